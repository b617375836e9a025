// casework: small progressive enhancements. No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Alt+<key> jumps to the navigation entry marked data-hotkey="<key>".
  document.addEventListener("keydown", function (ev) {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var link = document.querySelector('[data-hotkey="' + ev.key.toLowerCase() + '"]');
    if (link) { ev.preventDefault(); link.click(); }
  });
  // Ctrl+Enter submits the form the focus is in (fast entry of the daily log) with the save button
  // used last on this page (保存 or 保存して次を記録), else the one marked data-default-submit.
  function lastSubmitKey(form) { return "casework:last-submit:" + (form.getAttribute("action") || location.pathname).split("?")[0]; }
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("button[type=submit][name], input[type=submit][name]");
    if (button && button.form) {
      try { sessionStorage.setItem(lastSubmitKey(button.form), button.name); } catch (e) { /* storage off */ }
    }
  }, true);
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !(ev.ctrlKey || ev.metaKey)) return;
    var form = ev.target && ev.target.form;
    if (!form) return;
    ev.preventDefault();
    var last = null;
    try { last = sessionStorage.getItem(lastSubmitKey(form)); } catch (e) { /* storage off */ }
    var button = (last && form.querySelector('[type=submit][name="' + last + '"]')) ||
      form.querySelector("[data-default-submit]") || form.querySelector("[type=submit]");
    if (form.requestSubmit) form.requestSubmit(button || undefined); else form.submit();
  });
  // <form data-confirm="..."> asks before submitting (void, stage changes).
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  }, true);
  // <input data-autocomplete="URL">: suggestions from URL?q=... (JSON [{name, kana, url}]) as links
  // under the box; ↓ moves into them. Without JS the surrounding GET form still searches.
  function setupAutocomplete(input) {
    var box = document.createElement("ul");
    box.hidden = true;
    box.setAttribute("role", "listbox");
    input.parentNode.appendChild(box);
    var timer = null, last = "";
    function render(rows) {
      box.textContent = "";
      rows.forEach(function (row) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = row.url;
        a.textContent = row.name + (row.kana ? "（" + row.kana + "）" : "");
        li.appendChild(a);
        box.appendChild(li);
      });
      box.hidden = rows.length === 0;
    }
    function query() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (!q) { render([]); return; }
      var params = new URLSearchParams(new FormData(input.form));
      fetch(input.getAttribute("data-autocomplete") + "?" + params.toString(), { credentials: "same-origin",
        headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) { if (input.value.trim() === q) render(rows); })
        .catch(function () { render([]); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(query, 200); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && !box.hidden) { ev.preventDefault(); box.querySelector("a").focus(); }
    });
    box.addEventListener("keydown", function (ev) {
      var li = ev.target.parentNode;
      if (ev.key === "ArrowDown" && li.nextSibling) { ev.preventDefault(); li.nextSibling.firstChild.focus(); }
      if (ev.key === "ArrowUp") { ev.preventDefault(); (li.previousSibling ? li.previousSibling.firstChild : input).focus(); }
      if (ev.key === "Escape") { box.hidden = true; input.focus(); }
    });
  }
  // <input data-date>: the date is typed (2024-04-01, R6.4.1, 令和6年4月1日); a calendar button
  // beside it fills it in ISO form for those who prefer picking. The picker has no name: only the
  // text box is sent, so typing always works.
  function setupDatePicker(input) {
    var picker = document.createElement("input");
    picker.type = "date";
    if (picker.type !== "date") return; // no native picker: typing only
    picker.className = "date-picker";
    picker.tabIndex = -1;
    picker.setAttribute("aria-label", "カレンダーから選ぶ");
    picker.min = "1900-01-01";
    if (/^\d{4}-\d{2}-\d{2}$/.test(input.value)) picker.value = input.value;
    picker.addEventListener("change", function () {
      if (picker.value) { input.value = picker.value; input.dispatchEvent(new Event("change", { bubbles: true })); }
    });
    input.insertAdjacentElement("afterend", picker);
  }
  // A form shown again with errors: focus the first field in error (the error summary at the top
  // lists all of them, each a link to its field).
  function focusFirstError() {
    var first = document.querySelector('main [aria-invalid="true"], [aria-invalid="true"]');
    if (first && typeof first.focus === "function") {
      first.focus();
      if (first.scrollIntoView) first.scrollIntoView({ block: "center" });
    }
  }
  // At phone width the header's menu folds behind a メニュー button (CSS shows it only there).
  function setupMenu() {
    var bar = document.querySelector(".topbar"), nav = bar && bar.querySelector(".mainnav");
    if (!nav) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "menu-toggle";
    button.textContent = "メニュー";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", nav.id);
    button.addEventListener("click", function () {
      button.setAttribute("aria-expanded", String(bar.classList.toggle("menu-open")));
    });
    bar.insertBefore(button, nav);
    bar.classList.add("has-menu");
  }
  // Lists read as cards on a phone: each cell carries its column's heading (colspans counted).
  function labelCells(table) {
    var heads = [];
    Array.prototype.forEach.call(table.querySelectorAll("thead tr:last-child th"), function (th) {
      for (var n = 0; n < (th.colSpan || 1); n++) heads.push(th.textContent.trim());
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
      var column = 0;
      Array.prototype.forEach.call(tr.children, function (cell) {
        if (!cell.hasAttribute("data-label") && heads[column] !== undefined) cell.setAttribute("data-label", heads[column]);
        column += cell.colSpan || 1;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
    Array.prototype.forEach.call(document.querySelectorAll("table.list"), labelCells);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete]"), setupAutocomplete);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-date]"), setupDatePicker);
    focusFirstError();
  });
})();
