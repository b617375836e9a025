"""The expert registry: list (everyone), register and edit with fees (permission expert.manage:
managers and admins); deactivate instead of deleting."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...models import Expert
from ...permissions import requires
from ...services import dispatch as service
from ..saving import Submission
from . import bp
from .forms import ExpertForm


def _data(form):
    return service.ExpertData(name=form.name.data, organisation=form.organisation.data,
                              specialties=form.specialties.data, fee_per_visit=form.fee_per_visit.data,
                              active=bool(form.active.data))


@bp.route("/experts/")
def experts():
    q = request.args.get("q", "").strip()
    stmt = service.expert_list_query(q, active_only=request.args.get("active") == "1")
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("dispatch/experts.html", page=page, q=q)


@bp.route("/experts/new", methods=["GET", "POST"])
@bp.route("/experts/<int:expert_id>/edit", methods=["GET", "POST"])
@requires("expert.manage")
def expert_form(expert_id=None):
    expert = db.get_or_404(Expert, expert_id) if expert_id is not None else None
    form = ExpertForm(obj=expert)
    if request.method == "GET" and expert is not None:
        form.version.data = expert.version
    submission = Submission(form)
    if submission.valid():
        with submission:
            if expert is None:
                expert = service.register_expert(_data(form), by=current_user)
                flash(f"専門家「{expert.name}」を登録しました。", "success")
            else:
                service.update_expert(expert, _data(form), expected_version=form.expected_version(), by=current_user)
                flash("専門家を更新しました。", "success")
            return redirect(url_for("dispatch.experts"))
    return render_template("dispatch/expert_form.html", form=form, expert=expert, stale=submission.stale), submission.status
