"""How a route hands a submitted form to a service (style.md habit 2 and 3).

    submission = Submission(form)
    if submission.valid():
        with submission:
            case = case_service.open_case(client, form.case_data(), by=current_user)
            flash("…", "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, stale=submission.stale), submission.status

- `valid()` is validate_on_submit(); a submitted form with errors is shown again (status
  `invalid`: 200 for a page that is the form, 422 for a form inside a record's page) and the
  request writes nothing (unit_of_work.refuse()). `rejected` is the status of a form the
  service refused (a DomainError), `invalid` unless given (the program record screens: 422).
- Inside `with submission:` a service's DomainError is shown beside its field (`invalid`) and a
  StaleRecord answers 409 with what changed and the current version in the form, so that saving
  again is deliberate. Either way everything the request changed is rolled back, and the page
  then shows the stored records. Nothing here commits: the request does, once
  (casework/unit_of_work.py).
- A 409 is shown by the form itself (form.stale: form_errors(form) or stale_notice(stale, form)
  in the template, once). `Submission()` without a form (buttons that redirect), or
  `notice=False` for a page that does not show the form's errors: the message is flashed instead.
"""
from __future__ import annotations

from flask import flash, request

from ..services.errors import DomainError, DomainErrors, StaleRecord
from ..unit_of_work import begin_writing, refuse
from .forms_common import attach_error, show_stale


class Submission:
    def __init__(self, form=None, *, rename: dict[str, str] | None = None, notice: bool = True,
                 invalid: int = 200, rejected: int | None = None):
        self.form = form
        self.invalid = invalid  # the status of a form shown again with its errors (a page of one form: 200)
        self.rejected = invalid if rejected is None else rejected  # … with a service's DomainError beside its field
        self.notice = notice  # the template shows `stale` with stale_notice(); otherwise it is flashed
        self.rename = rename or {}  # a service's field name -> the form's (centers -> center_codes)
        self.stale: StaleRecord | None = None
        self.error: DomainError | None = None
        self.status = 200

    def valid(self) -> bool:
        if self.form.validate_on_submit():
            return True
        if request.method == "POST":
            refuse()
            self.status = self.invalid
        return False

    def __enter__(self):
        begin_writing()  # the form is valid: the service's reads and writes hold the write lock
        return self

    def __exit__(self, _type, exc, _tb) -> bool:
        if not isinstance(exc, DomainError):
            return False
        self.error = exc
        if isinstance(exc, StaleRecord):
            refuse()
            self.status = 409
            version = getattr(self.form, "version", None)
            if version is not None and self.notice:
                # the form carries the refusal (form_errors / stale_notice show what changed, once)
                # and its version moves to the stored one, read again after the rollback
                self.stale = show_stale(self.form, exc)
            else:
                if version is not None:
                    version.data = exc.record.version
                flash(exc.message, "danger")
            return True
        self.status = self.rejected
        if self.form is None:
            refuse()
            for one in getattr(exc, "errors", None) or [exc]:
                flash(one.message, "danger")
        else:
            attach_error(self.form, DomainErrors([DomainError(one.message, self.rename.get(one.field, one.field))
                                                  for one in getattr(exc, "errors", None) or [exc]]))
        return True
