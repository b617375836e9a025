"""Grants of any program and course: 採択 (adoption) and 交付 (delivery), with the round's and
the project's fiscal years."""
from flask import request, url_for
from flask_login import current_user, login_required

from ...dates import fiscal_year, today_jst
from ...models import Grant
from ...services import grants as service
from ...services.grants import GrantRecordData
from ...services.program_records import load, resolve_client_text
from ..records import default_program_id, form_page, prefill_client, preselect_program, record_views
from . import bp
from .forms import GrantFilterForm, GrantForm


def _void_text(g: Grant) -> dict:
    return dict(subject=f"助成金 {g.client.name}（{g.program}）", detail=f"申請 {g.applied_on:%Y-%m-%d}・{g.decision_label}",
                back=url_for("grants.detail", grant_id=g.id), done=url_for("grants.index"),
                message=f"{g.client.name}の助成金の記録を取り消しました。")


record_views(bp, Grant, "grant", filters=GrantFilterForm, query=service.grant_list_query, void=service.void_grant,
             describe=_void_text)


def _data(form, grant=None) -> GrantRecordData:
    client = resolve_client_text(current_user, form.client.data, "client")
    return GrantRecordData(
        program_id=form.program_id.data, client_id=client.id, applied_on=form.applied_on.data,
        course_id=form.course_id.data, name=form.name.data, title=form.title.data, partners=form.partners.data,
        decision=form.decision.data or None, decided_on=form.decided_on.data, amount=form.amount.data,
        granted_on=form.granted_on.data, granted_amount=form.granted_amount.data,
        round_fiscal_year=form.round_fiscal_year.data, project_fiscal_year=form.project_fiscal_year.data,
        project_end_fiscal_year=form.project_end_fiscal_year.data,
        case_id=grant.case_id if grant is not None and grant.client_id == client.id else None, notes=form.notes.data)


def _shown(grant: Grant) -> str:
    return url_for("grants.detail", grant_id=grant.id)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = GrantForm(current_user)
    if request.method == "GET":
        form.applied_on.data = today_jst()
        form.round_fiscal_year.data = fiscal_year(form.applied_on.data)
        preselect_program(form.program_id, default_program_id("grant"))
        prefill_client(form.client)
    return form_page(form, "grants/form.html", lambda: service.record_grant(_data(form), by=current_user),
                     message=lambda g: f"{g.client.name}の助成金（{g.business_program.name}）を記録しました。",
                     done=_shown, grant=None)


@bp.route("/<int:grant_id>/edit", methods=["GET", "POST"])
@login_required
def edit(grant_id):
    grant = load(current_user, Grant, grant_id)
    form = GrantForm(current_user, obj=grant, record=grant)
    if request.method == "GET":
        form.name.data = grant.program
        form.decision.data = grant.decision or ""
    return form_page(form, "grants/form.html", lambda: service.update_grant(
        grant, _data(form, grant), expected_version=form.expected_version(), by=current_user),
        message="助成金の記録を保存しました。", done=_shown, grant=grant)
