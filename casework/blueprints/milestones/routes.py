"""Case milestones (活性化: 事前相談 … 雇用維持効果; 経営改善計画: 事業利用申請受付 …), recorded
from the case page."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...access import get_in_center_or_404
from ...dates import today_jst
from ...models import Case, CaseMilestone
from ...services import milestones as service
from ...services import programs as program_service
from ...services.milestones import MilestoneData
from ...services.program_records import load
from ..forms_common import paginate
from ..program_forms import save
from ..voiding import void_page
from . import bp
from .forms import MilestoneFilterForm, MilestoneForm, milestone_programs


@bp.app_context_processor
def _case_milestones():
    """For the case page's 到達段階 section (templates/milestones/_case_section.html)."""
    def case_milestones(case):
        from ...services.voiding import may_void

        rows = service.milestones_of(case)
        return {"rows": rows, "voidable": {m.id for m in rows if may_void(current_user, m)},
                "offered": bool(milestone_programs(current_user, case.center_id))}
    return {"case_milestones": case_milestones}


@bp.route("/")
@login_required
def index():
    filters = MilestoneFilterForm(current_user)
    filters.checked()
    page = paginate(service.milestone_list_query(current_user, **filters.filters()))
    return render_template("milestones/index.html", page=page, filters=filters)


def _data(form) -> MilestoneData:
    return MilestoneData(program_id=form.program_id.data, milestone_id=form.milestone_id.data,
                         achieved_on=form.achieved_on.data, number=form.number.data, notes=form.notes.data)


@bp.route("/case/<int:case_id>/new", methods=["GET", "POST"])
@login_required
def new(case_id):
    case = get_in_center_or_404(current_user, Case, case_id)
    form = MilestoneForm(current_user, case)
    if request.method == "GET":
        form.achieved_on.data = today_jst()
        offered = [v for v, _ in form.program_id.choices]
        preferred = [case.program_id, program_service.center_default_program_id(case.center_id, "milestone")]
        form.program_id.data = next((p for p in preferred if p in offered), offered[0] if offered else None)
        form.milestone_id.data = request.args.get("milestone_id", type=int)
    if form.validate_on_submit():
        milestone, failed = save(form, "milestones/form.html",
                                 lambda: service.add_milestone(case, _data(form), by=current_user),
                                 case=case, milestone=None)
        if failed:
            return failed
        flash(f"到達段階「{milestone.milestone.label}」（{milestone.achieved_on:%Y-%m-%d}）を記録しました。", "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("milestones/form.html", form=form, case=case, milestone=None)


@bp.route("/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit(milestone_id):
    milestone = load(current_user, CaseMilestone, milestone_id)
    case = milestone.case
    form = MilestoneForm(current_user, case, obj=milestone, record=milestone)
    if form.validate_on_submit():
        _done, failed = save(form, "milestones/form.html", lambda: service.update_milestone(
            milestone, _data(form), expected_version=form.expected_version(), by=current_user),
            case=case, milestone=milestone)
        if failed:
            return failed
        flash("到達段階を保存しました。", "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("milestones/form.html", form=form, case=case, milestone=milestone)


@bp.route("/<int:milestone_id>/void", methods=["GET", "POST"])
@login_required
def void(milestone_id):
    milestone = load(current_user, CaseMilestone, milestone_id)
    return void_page(milestone, void=service.void_milestone,
                     subject=f"到達段階「{milestone.milestone.label}」{milestone.client.name}",
                     detail=f"{milestone.achieved_on:%Y-%m-%d}", back=url_for("cases.detail", case_id=milestone.case_id),
                     done=url_for("cases.detail", case_id=milestone.case_id),
                     message=f"到達段階「{milestone.milestone.label}」を取り消しました。")
