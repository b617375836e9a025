"""Merge two records of one client (admins; managers within their centers), undo a merge from its
audit entry, restore voided records (admins)."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import get_client_or_404
from ...extensions import db
from ...models import AuditEntry
from ...permissions import requires
from ...services.errors import DomainError
from ...services import audit, clients as client_service, labels, merge, restoring, voiding
from ..forms_common import record_id
from ..saving import Submission
from . import bp
from .forms import MergeForm, RestoreForm, UndoMergeForm


@bp.route("/merge", methods=["GET", "POST"])
@requires("client.merge")
def merge_clients():
    survivor_id = record_id(request.values.get("survivor_id", ""))
    if not survivor_id:
        flash("残す相談先を開いて「重複を統合」を押してください。", "info")
        return redirect(url_for("clients.index"))
    survivor = get_client_or_404(current_user, survivor_id)
    duplicate_id = record_id(request.values.get("duplicate_id", ""))
    if not duplicate_id:  # step 1: find the other record of the same company
        q = (request.args.get("q") or "").strip()
        candidates = client_service.likely_duplicates(current_user, survivor.name, survivor.name_kana,
                                                      survivor.corporate_number, exclude_id=survivor.id, limit=10)
        found = (list(db.session.scalars(client_service.search_query(current_user, q).where(
            client_service.Client.id != survivor.id).limit(20))) if q else [])
        return render_template("corrections/merge_pick.html", survivor=survivor, candidates=candidates,
                               found=found, q=q)
    duplicate = get_client_or_404(current_user, duplicate_id)
    form = MergeForm(survivor_id=survivor.id, duplicate_id=duplicate.id)
    submission = Submission(form, invalid=422)
    if submission.valid():
        with submission:
            merge.merge_clients(survivor, duplicate, reason=form.reason.data, by=current_user)
            flash(f"{duplicate.name}（#{duplicate.id}）を{survivor.name}に統合しました。"
                  "監査ログの統合の記録から元に戻せます。", "success")
            return redirect(url_for("clients.detail", client_id=survivor.id))
    refusal = None
    try:
        moving = merge.check_may_merge(current_user, survivor, duplicate)
    except DomainError as error:
        moving, refusal = merge.records_of(duplicate), error.message
    filled = [(name, getattr(duplicate, name)) for name in merge.FILLABLE
              if getattr(survivor, name) in (None, "") and getattr(duplicate, name) not in (None, "")]
    return render_template("corrections/merge_confirm.html", survivor=survivor, duplicate=duplicate, form=form,
                           moving=moving, filled=filled, refusal=refusal,
                           label=labels.field_label), submission.status


@bp.route("/merges/<int:merge_id>/undo", methods=["GET", "POST"])
@requires("client.merge")
def undo_merge(merge_id):
    entry = db.session.get(AuditEntry, merge_id)
    if entry is None or entry.action != "merge":
        abort(404)
    survivor = get_client_or_404(current_user, entry.object_id)
    form = UndoMergeForm()
    submission = Submission(form, invalid=422)
    if submission.valid():
        with submission:
            merge.undo_merge(entry, reason=form.reason.data, by=current_user)
            flash("統合を元に戻しました。", "success")
            return redirect(url_for("clients.detail", client_id=entry.detail["duplicate_id"]))
    return render_template("corrections/undo_merge.html", entry=entry, survivor=survivor, form=form,
                           undone=merge.merge_undone(entry.id), moved=_moved_counts(entry)), submission.status


def _moved_counts(entry):
    return [(merge.TABLE_LABELS.get(key.split(".")[0], key), len(ids))
            for key, ids in ((entry.detail or {}).get("moved") or {}).items()]


@bp.route("/voided/")
@requires("record.restore")
def voided():
    kind = request.args.get("object_type") or None
    stmt = restoring.void_entries_query().where(AuditEntry.detail["auto"].as_string().is_(None))
    if kind in audit.OBJECT_TYPES:
        stmt = stmt.where(AuditEntry.object_type == kind)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    rows = [(entry, restoring.voided_record(entry)) for entry in page.items]
    return render_template("corrections/voided.html", page=page, rows=rows, kind=kind,
                           object_types=audit.OBJECT_TYPES, describe=voiding.describe)


@bp.route("/voided/<int:void_id>/restore", methods=["GET", "POST"])
@requires("record.restore")
def restore(void_id):
    entry = db.session.get(AuditEntry, void_id)
    record = restoring.voided_record(entry) if entry is not None and entry.action == "void" else None
    if record is None:
        abort(404)
    form = RestoreForm()
    if request.method == "GET":
        form.version.data = record.version
    submission = Submission(form, invalid=422)
    if submission.valid():
        with submission:
            along = restoring.restore_record(record, form.reason.data, current_user,
                                             expected_version=form.expected_version())
            extra = f"あわせて{'、'.join(voiding.describe(r) for r in along)}を復元しました。" if along else ""
            flash(f"{voiding.kind_label(record)}を復元しました。" + extra, "success")
            return redirect(url_for("corrections.voided"))
    return render_template("corrections/restore.html", entry=entry, record=record, form=form,
                           kind=voiding.kind_label(record), subject=voiding.describe(record),
                           stale=submission.stale), submission.status
