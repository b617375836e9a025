"""Follow-ups: my open ones (overdue first), create by hand, complete with findings, void."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...access import get_in_center_or_404
from ...dates import today_jst
from ...extensions import db
from ...models import FollowUp
from ...services import audit, followups as service
from ...services.dispatch import open_cases_for
from ...services.errors import DomainError, StaleRecord
from ..forms_common import attach_error, center_choices, staff_choices, record_id, show_stale
from ..voiding import void_page
from . import bp
from .forms import CompleteForm, FollowUpForm


def _load(followup_id) -> FollowUp:
    followup = get_in_center_or_404(current_user, FollowUp, followup_id)
    if followup.center.confidential:
        audit.record("view", followup, user=current_user)
    return followup


@bp.route("/")
@login_required
def index():
    center = request.args.get("center_id", "")
    f = service.FollowUpFilter(scope=request.args.get("scope", "mine"), status=request.args.get("status", "open"),
                               center_id=record_id(center),
                               source=request.args.get("source") or None)
    page = db.paginate(service.followup_list_query(current_user, f), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    return render_template("followups/index.html", page=page, f=f, today=today_jst(), trends=service.SALES_TRENDS,
                           centers=center_choices(current_user, "すべてのセンター"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = FollowUpForm()
    form.case_id.choices = [(0, "（案件を選択）")] + [(k.id, f"{k.client.name}｜{k.center.name}｜{k.title or ''}")
                                                   for k in open_cases_for(current_user)]
    preselected = request.args.get("case_id", "")
    if record_id(preselected) and record_id(preselected) not in dict(form.case_id.choices):
        from ...models import Case

        case = get_in_center_or_404(current_user, Case, int(preselected))  # closed cases get follow-ups too
        form.case_id.choices.append((case.id, f"{case.client.name}｜{case.center.name}｜{case.title or ''}"))
    form.assignee_id.choices = [(0, "（自分）")] + staff_choices()
    if request.method == "GET":
        form.case_id.data = record_id(preselected) or 0
    if form.validate_on_submit():
        try:
            followup = service.create_followup(service.FollowUpData(
                case_id=form.case_id.data, due_on=form.due_on.data, reason=form.reason.data,
                assignee_id=form.assignee_id.data or None), by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash("フォローアップを登録しました。", "success")
            return redirect(url_for("followups.detail", followup_id=followup.id))
    return render_template("followups/new.html", form=form)


def _findings(form) -> service.Findings:
    alive = {"yes": True, "no": False}.get(form.still_in_business.data)
    return service.Findings(completed_on=form.completed_on.data, still_in_business=alive,
                            employees=form.employees.data, sales_trend=form.sales_trend.data or None,
                            jobs_retained=form.jobs_retained.data, findings=form.findings.data)


@bp.route("/<int:followup_id>", methods=["GET", "POST"])
@login_required
def detail(followup_id):
    followup = _load(followup_id)
    form = CompleteForm()
    if request.method == "GET":
        form.version.data, form.completed_on.data = followup.version, today_jst()
    status = 200
    if form.validate_on_submit():
        try:
            service.complete_followup(followup, _findings(form), expected_version=form.expected_version(),
                                      by=current_user)
            db.session.commit()
        except StaleRecord as exc:
            db.session.rollback()
            show_stale(form, exc)
            followup, status = _load(followup_id), 409
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
            followup, status = _load(followup_id), 422
        else:
            flash("フォローアップを完了しました。", "success")
            return redirect(url_for("followups.index"))
    elif request.method == "POST":
        status = 422
    db.session.commit()  # confidential views are audited
    return render_template("followups/detail.html", followup=followup, form=form, trends=service.SALES_TRENDS,
                           today=today_jst()), status


@bp.route("/<int:followup_id>/void", methods=["GET", "POST"])
@login_required
def void(followup_id):
    followup = get_in_center_or_404(current_user, FollowUp, followup_id)
    return void_page(followup, void=service.void_followup, subject=followup.client.name,
                     detail=f"期日 {followup.due_on:%Y-%m-%d} {followup.reason}",
                     back=url_for("followups.detail", followup_id=followup.id), done=url_for("followups.index"),
                     message="フォローアップを取り消しました。")