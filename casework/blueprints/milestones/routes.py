"""Case milestones (活性化: 事前相談 … 雇用維持効果; 経営改善計画: 事業利用申請受付 …), recorded
from the case page."""
from flask import request, url_for
from flask_login import current_user

from ...access import get_in_center_or_404
from ...dates import today_jst
from ...models import Case, CaseMilestone
from ...services import milestones as service
from ...services import programs as program_service
from ...services.milestones import MilestoneData
from ...services.program_records import load
from ..records import form_page, preselect_program, record_views
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


def _void_text(m: CaseMilestone) -> dict:
    case_page = url_for("cases.detail", case_id=m.case_id)
    return dict(subject=f"到達段階「{m.milestone.label}」{m.client.name}", detail=f"{m.achieved_on:%Y-%m-%d}",
                back=case_page, done=case_page, message=f"到達段階「{m.milestone.label}」を取り消しました。")


record_views(bp, CaseMilestone, "milestone", filters=MilestoneFilterForm, query=service.milestone_list_query,
             detail=False, void=service.void_milestone, describe=_void_text)


def _data(form) -> MilestoneData:
    return MilestoneData(program_id=form.program_id.data, milestone_id=form.milestone_id.data,
                         achieved_on=form.achieved_on.data, number=form.number.data, notes=form.notes.data)


@bp.route("/case/<int:case_id>/new", methods=["GET", "POST"])
def new(case_id):
    case = get_in_center_or_404(current_user, Case, case_id)
    form = MilestoneForm(current_user, case)
    if request.method == "GET":
        form.achieved_on.data = today_jst()
        preselect_program(form.program_id, case.program_id,
                          program_service.center_default_program_id(case.center_id, "milestone"))
        form.milestone_id.data = request.args.get("milestone_id", type=int)
    return form_page(form, "milestones/form.html", lambda: service.add_milestone(case, _data(form), by=current_user),
                     message=lambda m: f"到達段階「{m.milestone.label}」（{m.achieved_on:%Y-%m-%d}）を記録しました。",
                     done=url_for("cases.detail", case_id=case.id), case=case, milestone=None)


@bp.route("/<int:milestone_id>/edit", methods=["GET", "POST"])
def edit(milestone_id):
    milestone = load(current_user, CaseMilestone, milestone_id)
    case = milestone.case
    form = MilestoneForm(current_user, case, obj=milestone, record=milestone)
    return form_page(form, "milestones/form.html", lambda: service.update_milestone(
        milestone, _data(form), expected_version=form.expected_version(), by=current_user),
        message="到達段階を保存しました。", done=url_for("cases.detail", case_id=case.id), case=case, milestone=milestone)
