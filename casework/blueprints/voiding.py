"""The void page every record type shares: each blueprint's `…void` route loads its record
through casework/access.py and hands it to void_page.

GET shows the record, what will be voided along with it and asks for a reason; POST voids it
through the domain's service (which goes through services.voiding) at the version the page was
loaded with. A stale version answers 409 with the current version in the form (saving again is
then deliberate); a missing reason is shown beside the field (422); nothing is written then.
Permission is services.voiding.may_void (the table's record.void, or the record's own person)
unless the route passes `allowed`: a refusal is 403 and on the audit log."""
from flask import flash, redirect, render_template, request
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from ..permissions import refuse
from ..services import audit, voiding
from .forms_common import VersionedForm
from .saving import Submission


class VoidForm(VersionedForm):
    reason = TextAreaField("取消の理由", validators=[DataRequired("取消の理由を入力してください。")])


def void_page(record, *, void, subject: str, back: str, done: str, detail: str = "", message: str | None = None,
              notes: tuple[str, ...] = (), allowed: bool | None = None):
    """`void(record, reason, by, expected_version=)` is the domain's service; `back` the page the
    cancel link returns to, `done` where a successful void goes; `message` the flash shown then."""
    if not (voiding.may_void(current_user, record) if allowed is None else allowed):
        refuse("record.void")
    kind = voiding.kind_label(record)
    confidential = voiding.is_confidential(record)
    if confidential:  # showing or changing a confidential record is on the audit log
        audit.note_view(record, center_id=voiding.center_id_of(record))
    form = VoidForm()
    if request.method == "GET":
        form.version.data = record.version
    submission = Submission(form, notice=False, invalid=422)
    if submission.valid():
        with submission:
            along = void(record, form.reason.data, current_user, expected_version=form.expected_version())
            extra = f"あわせて{'、'.join(voiding.describe(r) for r in along)}を取り消しました。" if along else ""
            flash((message or f"{kind}を取り消しました。") + extra, "info")
            return redirect(done)
        if submission.stale is None and submission.status == 409 and record.voided_at is not None:
            flash("この記録は既に取り消されています。", "info")
            return redirect(done, code=303)
    along = [voiding.describe(r) for r in voiding.along_with(record)]
    return render_template("_void.html", form=form, kind=kind, subject=subject, detail=detail, back=back,
                           along=along, notes=notes, confidential=confidential), submission.status
