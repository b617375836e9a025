"""Grants of any program and course: 採択 (adoption) and 交付 (delivery), with the round's and
the project's fiscal years."""
from flask_login import current_user

from ...dates import fiscal_year, today_jst
from ...models import Grant
from ...services import grants as service
from ...services.grants import GrantRecordData
from ...services.program_records import resolve_client_text
from ..records import default_program_id, prefill_client, preselect_program, record_views
from . import bp
from .forms import GrantFilterForm, GrantForm


def _data(form, grant) -> GrantRecordData:
    client = resolve_client_text(current_user, form.client.data, "client")
    return GrantRecordData(
        program_id=form.program_id.data, client_id=client.id, applied_on=form.applied_on.data,
        course_id=form.course_id.data, name=form.name.data, title=form.title.data, partners=form.partners.data,
        decision=form.decision.data or None, decided_on=form.decided_on.data, amount=form.amount.data,
        granted_on=form.granted_on.data, granted_amount=form.granted_amount.data,
        round_fiscal_year=form.round_fiscal_year.data, project_fiscal_year=form.project_fiscal_year.data,
        project_end_fiscal_year=form.project_end_fiscal_year.data,
        case_id=grant.case_id if grant is not None and grant.client_id == client.id else None, notes=form.notes.data)


def _start(form) -> None:
    form.applied_on.data = today_jst()
    form.round_fiscal_year.data = fiscal_year(form.applied_on.data)
    preselect_program(form.program_id, default_program_id("grant"))
    prefill_client(form.client)


def _on_edit(form, grant: Grant) -> None:
    form.name.data = grant.program
    form.decision.data = grant.decision or ""


record_views(bp, Grant, "grant", filters=GrantFilterForm, query=service.grant_list_query,
             form=GrantForm, data=_data, start=_start, on_edit=_on_edit,
             create=service.record_grant, created=lambda g: f"{g.client.name}の助成金（{g.business_program.name}）を記録しました。",
             update=service.update_grant, saved="助成金の記録を保存しました。",
             void=service.void_grant, describe=lambda g: dict(
                 subject=f"助成金 {g.client.name}（{g.program}）", detail=f"申請 {g.applied_on:%Y-%m-%d}・{g.decision_label}",
                 message=f"{g.client.name}の助成金の記録を取り消しました。"))
