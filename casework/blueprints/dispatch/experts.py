"""The expert registry: list, register, edit (deactivate instead of deleting)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...extensions import db
from ...models import Expert
from ...services import dispatch as service
from ...services.errors import DomainError, StaleRecord
from ..forms_common import attach_error
from . import bp
from .forms import ExpertForm


def _data(form):
    return service.ExpertData(name=form.name.data, organisation=form.organisation.data,
                              specialties=form.specialties.data, fee_per_visit=form.fee_per_visit.data,
                              active=bool(form.active.data))


@bp.route("/experts/")
@login_required
def experts():
    q = request.args.get("q", "").strip()
    stmt = service.expert_list_query(q, active_only=request.args.get("active") == "1")
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("dispatch/experts.html", page=page, q=q)


@bp.route("/experts/new", methods=["GET", "POST"])
@login_required
def expert_new():
    form = ExpertForm()
    if form.validate_on_submit():
        try:
            expert = service.register_expert(_data(form), by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(f"専門家「{expert.name}」を登録しました。", "success")
            return redirect(url_for("dispatch.experts"))
    return render_template("dispatch/expert_form.html", form=form, expert=None)


@bp.route("/experts/<int:expert_id>/edit", methods=["GET", "POST"])
@login_required
def expert_edit(expert_id):
    expert = db.get_or_404(Expert, expert_id)
    form = ExpertForm(obj=expert)
    if request.method == "GET":
        form.version.data = expert.version
    if form.validate_on_submit():
        try:
            service.update_expert(expert, _data(form), expected_version=form.expected_version(), by=current_user)
            db.session.commit()
        except StaleRecord as exc:
            db.session.rollback()
            return render_template("dispatch/expert_form.html", form=form, expert=db.session.get(Expert, expert_id),
                                   stale=exc), 409
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            flash("専門家を更新しました。", "success")
            return redirect(url_for("dispatch.experts"))
    return render_template("dispatch/expert_form.html", form=form, expert=expert)
