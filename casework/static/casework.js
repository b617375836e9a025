// casework: small progressive enhancements. No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Alt+<key> jumps to the navigation entry marked data-hotkey="<key>".
  document.addEventListener("keydown", function (ev) {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var link = document.querySelector('[data-hotkey="' + ev.key.toLowerCase() + '"]');
    if (link) { ev.preventDefault(); link.click(); }
  });
  // Ctrl+Enter submits the form the focus is in (fast entry of the daily log).
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !(ev.ctrlKey || ev.metaKey)) return;
    var form = ev.target && ev.target.form;
    if (form) { ev.preventDefault(); (form.requestSubmit ? form.requestSubmit() : form.submit()); }
  });
  // <form data-confirm="..."> asks before submitting (void, stage changes).
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  }, true);
})();
