"""Web import of legacy CSV files and XLSX workbooks (admins): upload → validation result → confirm → applied."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ...extensions import db
from ...services import uploads
from ...services.errors import DomainError
from ...services.import_preview import preview_plan
from ...unit_of_work import refuse
from . import bp
from .forms import ConfirmForm, UploadForm

from ...services.import_sources import EXTENSIONS, KIND_LABELS  # noqa: E402


def _root() -> Path:
    return Path(current_app.instance_path) / "uploads"


@bp.route("/", methods=["GET", "POST"])
def upload():
    from ...services.legacy_import import validate_files

    form = UploadForm()
    if form.validate_on_submit():
        files = form.uploads()
        bad = [name for name, _data in files if not name.lower().endswith(EXTENSIONS)]
        if not files:
            form.files.errors = ["CSV ファイルを選んでください（Excel ブック .xlsx も取り込めます）。"]
        elif bad:
            form.files.errors = [f"CSV ファイルではありません: {'、'.join(bad)}（.csv か .xlsx を選んでください）"]
        else:
            plan = validate_files(files)
            names = [name for name, _data in files]
            if plan.errors:
                return render_template("imports/upload.html", form=form, errors=plan.error_lines(),
                                       error_total=plan.error_total, names=names), 422
            token = uploads.stash(_root(), current_user.id, files)
            return render_template("imports/confirm.html", form=ConfirmForm(token=token), names=names,
                                   preview=preview_plan(plan), kind_labels=KIND_LABELS)
    return render_template("imports/upload.html", form=form, errors=None, names=None)


@bp.route("/apply", methods=["POST"])
def apply():
    from ...services.legacy_import import apply_plan, validate_files

    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    token = form.token.data
    try:
        files = uploads.load(_root(), current_user.id, token)
    except DomainError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("imports.upload"))
    names = [name for name, _data in files]
    plan = validate_files(files)  # again: the database may have changed since the check
    if plan.errors:
        uploads.discard(_root(), token)
        return render_template("imports/upload.html", form=UploadForm(), errors=plan.error_lines(),
                               error_total=plan.error_total, names=names), 422
    try:
        result = apply_plan(plan, by=current_user)  # audited as "import"; the request commits it at once
        db.session.flush()
    except (DomainError, SQLAlchemyError) as exc:
        refuse()
        flash(f"取り込めませんでした（何も書き込まれていません）: {getattr(exc, 'message', exc.__class__.__name__)}",
              "danger")
        return redirect(url_for("imports.upload"))
    finally:
        uploads.discard(_root(), token)
    summary = "、".join(f"{KIND_LABELS.get(k, k)} 作成{c}件・更新{u}件" for k, (c, u) in result.items())
    flash(f"取り込みました: {summary}", "success")
    return redirect(url_for("imports.upload"))


@bp.route("/cancel", methods=["POST"])
def cancel():
    form = ConfirmForm()
    if form.validate_on_submit():
        uploads.discard(_root(), form.token.data)
    flash("取り込みを中止しました。", "info")
    return redirect(url_for("imports.upload"))
