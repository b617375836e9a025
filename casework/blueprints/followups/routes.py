"""Follow-ups: my open ones (overdue first), create by hand, complete with findings, void."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import get_in_center_or_404
from ...dates import today_jst
from ...models import Case, FollowUp
from ...services import followups as service
from ...services.dispatch import open_cases_for
from ..forms_common import colleague_choices, paginate, record_id, staff_choices
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import CompleteForm, FollowUpFilterForm, FollowUpForm


@bp.route("/")
def index():
    filters = FollowUpFilterForm(current_user)
    filters.checked()
    page = paginate(service.followup_list_query(current_user, filters.followup_filter()))
    return render_template("followups/index.html", page=page, filters=filters, today=today_jst(),
                           trends=service.SALES_TRENDS)


def _case_label(case) -> str:
    return f"{case.client.name}｜{case.center.name}｜{case.title or ''}"


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = FollowUpForm()
    form.case_id.choices = [(0, "（案件を選択）")] + [(k.id, _case_label(k)) for k in open_cases_for(current_user)]
    preselected = request.args.get("case_id", "")
    case = None
    if record_id(preselected):
        case = get_in_center_or_404(current_user, Case, int(preselected))  # closed cases get follow-ups too
        if case.id not in dict(form.case_id.choices):
            form.case_id.choices.append((case.id, _case_label(case)))
    # offer only staff who can see the follow-up: the case's center (and admins), or else the user's colleagues
    form.assignee_id.choices = [(0, "（自分）")] + (staff_choices(center_ids=[case.center_id]) if case is not None
                                                  else colleague_choices(current_user))
    if request.method == "GET":
        form.case_id.data = case.id if case is not None else 0
    submission = Submission(form)
    if submission.valid():
        with submission:
            followup = service.create_followup(service.FollowUpData(
                case_id=form.case_id.data, due_on=form.due_on.data, reason=form.reason.data,
                assignee_id=form.assignee_id.data or None), by=current_user)
            flash("フォローアップを登録しました。", "success")
            return redirect(url_for("followups.detail", followup_id=followup.id))
    return render_template("followups/new.html", form=form), submission.status


def _findings(form) -> service.Findings:
    alive = {"yes": True, "no": False}.get(form.still_in_business.data)
    return service.Findings(completed_on=form.completed_on.data, still_in_business=alive,
                            employees=form.employees.data, sales_trend=form.sales_trend.data or None,
                            jobs_retained=form.jobs_retained.data, findings=form.findings.data)


@bp.route("/<int:followup_id>", methods=["GET", "POST"])
def detail(followup_id):
    followup = get_in_center_or_404(current_user, FollowUp, followup_id)  # a confidential one's view is noted
    form = CompleteForm()
    if request.method == "GET":
        form.version.data, form.completed_on.data = followup.version, today_jst()
    submission = Submission(form, invalid=422)
    if submission.valid():
        with submission:
            service.complete_followup(followup, _findings(form), expected_version=form.expected_version(),
                                      by=current_user)
            flash("フォローアップを完了しました。", "success")
            return redirect(url_for("followups.index"))
    return render_template("followups/detail.html", followup=followup, form=form, trends=service.SALES_TRENDS,
                           today=today_jst()), submission.status


@bp.route("/<int:followup_id>/void", methods=["GET", "POST"])
def void(followup_id):
    followup = get_in_center_or_404(current_user, FollowUp, followup_id)
    return void_page(followup, void=service.void_followup, subject=followup.client.name,
                     detail=f"期日 {followup.due_on:%Y-%m-%d} {followup.reason}",
                     back=url_for("followups.detail", followup_id=followup.id), done=url_for("followups.index"),
                     message="フォローアップを取り消しました。")
