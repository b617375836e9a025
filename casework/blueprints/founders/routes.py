"""Founders: the startup cases by stage, one founder's page (stages, founding, grants)."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...access import deny, get_client_or_404, get_in_center_or_404
from ...dates import today_jst
from ...models import FOUNDER_STAGES, Case, Grant
from ...services import founders as service
from ...services.followups import followups_of_case
from ..forms_common import paginate
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import FounderFilterForm, FoundingForm, GrantDecisionForm, GrantForm, StageForm


def _case(case_id) -> Case:
    case = get_in_center_or_404(current_user, Case, case_id)
    get_client_or_404(current_user, case.client_id)
    if not service.is_founder_case(case):
        deny("Case", case_id)  # not a founder's case: this page does not exist for it
    return case


@bp.route("/")
def index():
    filters = FounderFilterForm(current_user)
    filters.checked()
    page = paginate(service.founder_list_query(current_user, **filters.filters()))
    return render_template("founders/index.html", page=page, stages=FOUNDER_STAGES, filters=filters)


def _render(case, stage_form=None, founding_form=None, grant_form=None, decision_forms=None, status=200):
    grants = service.grants_of(case)
    decision_forms = decision_forms or {}
    stage_form = stage_form or StageForm(version=case.version, changed_on=today_jst())
    later = service.later_stages(case)  # offer only the stages ahead (the posted form was checked already)
    stage_form.stage.choices = [(k, v) for k, v in stage_form.stage.choices if k in later or k == stage_form.stage.data]
    for g in grants:
        decision_forms.setdefault(g.id, GrantDecisionForm(prefix=f"g{g.id}", version=g.version, decided_on=today_jst()))
    return render_template(
        "founders/detail.html", case=case, stages=FOUNDER_STAGES, history=service.stage_history(case),
        founding=service.founding_of(case), grants=grants, followups=followups_of_case(current_user, case.id),
        stage_form=stage_form, later_stages=later,
        founding_form=founding_form or FoundingForm(version=case.version, founded_on=today_jst(),
                                                    industry_code=case.client.industry_code or ""),
        grant_form=grant_form or GrantForm(applied_on=today_jst()), decision_forms=decision_forms), status


@bp.route("/cases/<int:case_id>")
def detail(case_id):
    return _render(_case(case_id))


def _submit(case, shown: dict, form, save, message, notice=True):
    """One of the page's forms: on success `save()` and back to the page; otherwise the page
    again (`shown`: this form in its place) with the form's errors (422) or the other person's
    save (409: shown by the form's errors, or flashed with notice=False for a form without
    them), nothing written."""
    submission = Submission(form, notice=notice, invalid=422)
    if submission.valid():
        with submission:
            save()
            flash(message() if callable(message) else message, "success")
            return redirect(url_for("founders.detail", case_id=case.id))
    return _render(case, status=submission.status, **shown)


@bp.route("/cases/<int:case_id>/stage", methods=["POST"])
def stage(case_id):
    case, form = _case(case_id), StageForm()
    return _submit(case, {"stage_form": form}, form, lambda: service.advance_stage(
        case, form.stage.data, form.changed_on.data, note=form.note.data, expected_version=form.expected_version(),
        by=current_user), lambda: f"段階を「{FOUNDER_STAGES[form.stage.data]}」に進めました。")


@bp.route("/cases/<int:case_id>/founding", methods=["POST"])
def founding(case_id):
    case, form = _case(case_id), FoundingForm()
    return _submit(case, {"founding_form": form}, form, lambda: service.record_founding(case, service.FoundingData(
        founded_on=form.founded_on.data, business_name=form.business_name.data,
        incorporated=bool(form.incorporated.data), corporate_number=form.corporate_number.data,
        industry_code=form.industry_code.data or None, note=form.note.data),
        expected_version=form.expected_version(), by=current_user),
        "創業を記録し、案件を終了しました（3か月後・12か月後のフォローアップを作成）。")


@bp.route("/cases/<int:case_id>/grants", methods=["POST"])
def grant_new(case_id):
    case, form = _case(case_id), GrantForm()
    return _submit(case, {"grant_form": form}, form, lambda: service.apply_grant(
        case, service.GrantData(applied_on=form.applied_on.data, program=form.program.data), by=current_user),
        "助成金の申請を記録しました。")


@bp.route("/grants/<int:grant_id>/decide", methods=["POST"])
def grant_decide(grant_id):
    grant = get_in_center_or_404(current_user, Grant, grant_id)
    case, form = _case(grant.case_id), GrantDecisionForm(prefix=f"g{grant.id}")
    return _submit(case, {"decision_forms": {grant.id: form}}, form, lambda: service.decide_grant(
        grant, decision=form.decision.data, decided_on=form.decided_on.data, amount=form.amount.data,
        expected_version=form.expected_version(), by=current_user), "助成金の結果を記録しました。", notice=False)


@bp.route("/grants/<int:grant_id>/void", methods=["GET", "POST"])
def grant_void(grant_id):
    grant = get_in_center_or_404(current_user, Grant, grant_id)
    case = _case(grant.case_id)
    back = url_for("founders.detail", case_id=case.id)
    return void_page(grant, void=service.void_grant, subject=f"{case.client.name}「{grant.program}」",
                     detail=f"申請 {grant.applied_on:%Y-%m-%d}", back=back, done=back,
                     message=f"{grant.program}（申請 {grant.applied_on:%Y-%m-%d}）の記録を取り消しました。")
