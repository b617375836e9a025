"""Upload (from the record's page), download (only as a file to save), void."""
from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_login import current_user

from ...access import deny, get_client_or_404, get_in_center_or_404
from ...extensions import db
from ...models import Attachment, Case, Dispatch
from ...permissions import can
from ...services import attachments as service
from ...services import voiding
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import UploadForm

PAGES = {"client": ("clients.detail", "client_id"), "case": ("cases.detail", "case_id"),
         "dispatch": ("dispatch.detail", "dispatch_id"), "profile": ("succession.profile", "profile_id"),
         "deal": ("succession.deal", "deal_id")}
UPLOAD_ENDPOINTS = {"attachments.upload", "dispatch.report"}


@bp.record_once
def _limit_request_size(state):
    """Before anything reads the form (CSRF does, first): an upload larger than the limit is
    answered 413 (a Japanese page) without being read."""
    def limit():
        if request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = current_app.config["ATTACHMENT_MAX_BYTES"] + 64 * 1024
    state.app.before_request_funcs.setdefault(None, []).insert(0, limit)


def load_record(kind: str, record_id: int):
    """The record a document belongs to, as its own page loads it (404 and audited otherwise)."""
    if kind == "client":
        return get_client_or_404(current_user, record_id)
    if kind == "case":
        return get_in_center_or_404(current_user, Case, record_id)
    if kind == "dispatch":
        return get_in_center_or_404(current_user, Dispatch, record_id)
    if kind in ("profile", "deal"):
        if not can(current_user, "succession.use"):
            deny("MatchProfile" if kind == "profile" else "Deal", record_id)
        from ...services.succession import audit_view
        from ..succession.deals import _deal
        from ..succession.routes import load_profile

        record = load_profile(record_id) if kind == "profile" else _deal(record_id)
        audit_view(current_user, record)
        return record
    abort(404)


def page_of(kind: str, record_id: int) -> str:
    endpoint, arg = PAGES[kind]
    return url_for(endpoint, **{arg: record_id}) + "#documents"


def _attachment(attachment_id: int) -> tuple[Attachment, object]:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        deny("Attachment", attachment_id)
    record = load_record(attachment.record_kind, attachment.record_id)
    if attachment.voided_at is not None:
        deny("Attachment", attachment_id)
    return attachment, record


@bp.route("/client/<int:client_id>", methods=["POST"])
@bp.route("/case/<int:case_id>", methods=["POST"])
@bp.route("/dispatch/<int:dispatch_id>", methods=["POST"])
@bp.route("/profile/<int:profile_id>", methods=["POST"])
@bp.route("/deal/<int:deal_id>", methods=["POST"])
def upload(**ids):
    ((param, record_id),) = ids.items()
    kind = param.removesuffix("_id")
    record = load_record(kind, record_id)
    form = UploadForm()
    submission = Submission(form)
    if not submission.valid():
        for errors in (form.file.errors, form.label.errors):
            for error in errors:
                flash(f"書類を添付できませんでした：{error}", "danger")
        return redirect(page_of(kind, record_id), 303)
    with Submission():
        max_bytes = current_app.config["ATTACHMENT_MAX_BYTES"]
        data = service.read_upload(form.file.data.stream, max_bytes)
        attachment = service.attach_file(record, form.file.data.filename, data, by=current_user,
                                         label=form.label.data, max_bytes=max_bytes)
        flash(f"書類「{attachment.original_name}」を添付しました。", "success")
    return redirect(page_of(kind, record_id), 303)


@bp.route("/<int:attachment_id>/download")
def download(attachment_id):
    attachment, _record = _attachment(attachment_id)
    path = service.path_of(attachment)
    if not path.is_file():
        current_app.logger.error("attachment %s: file %s is missing", attachment.id, path)
        abort(404)
    service.note_download(attachment, current_user)
    safe = attachment.content_type if attachment.content_type in {t.content_type for t in service.TYPES.values()} \
        else "application/octet-stream"
    response = send_file(path, mimetype=safe, as_attachment=True, download_name=attachment.original_name,
                         conditional=False, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:attachment_id>/void", methods=["GET", "POST"])
def void(attachment_id):
    attachment, _record = _attachment(attachment_id)
    back = page_of(attachment.record_kind, attachment.record_id)
    return void_page(attachment, void=voiding.void_record, subject=attachment.original_name,
                     detail=f"{service.record_label(attachment.record_kind)}の添付書類", back=back, done=back,
                     message=f"添付書類「{attachment.original_name}」を取り消しました。")


@bp.app_context_processor
def _documents():
    """`documents(record)`: what the attachments partial lists on a record's page."""
    def documents(record):
        kind = service.KIND_OF_MODEL.get(type(record))
        items = service.attachments_of(record)
        return {"kind": kind, "param": f"{kind}_id", "items": items, "voidable": {a.id for a in items if voiding.may_void(current_user, a)},
                "max_mb": current_app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024), "accepted": service.ACCEPTED}
    return {"documents": documents}
