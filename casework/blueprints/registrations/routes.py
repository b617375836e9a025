"""Registrations in a program (受発注: 発注登録 / 受注登録 企業)."""
from flask_login import current_user

from ...dates import today_jst
from ...models import Registration
from ...services import registrations as service
from ...services.program_records import resolve_client_text
from ...services.registrations import RegistrationData
from ..records import default_program_id, prefill_client, preselect_program, record_views
from . import bp
from .forms import RegistrationFilterForm, RegistrationForm


def _data(form, _record) -> RegistrationData:
    client = resolve_client_text(current_user, form.client.data, "client")
    return RegistrationData(program_id=form.program_id.data, side_id=form.side_id.data, client_id=client.id,
                            registered_on=form.registered_on.data, ended_on=form.ended_on.data, notes=form.notes.data)


def _start(form) -> None:
    form.registered_on.data = today_jst()
    preselect_program(form.program_id, default_program_id("registration"))
    prefill_client(form.client)


record_views(bp, Registration, "registration", filters=RegistrationFilterForm, query=service.registration_list_query,
             form=RegistrationForm, data=_data, start=_start,
             create=service.register, created=lambda r: f"{r.client.name}を{r.side.label}として登録しました。",
             update=service.update_registration, saved="登録企業の記録を保存しました。",
             void=service.void_registration, describe=lambda r: dict(
                 subject=f"{r.side.label}登録 {r.client.name}", detail=f"{r.program.name}・{r.registered_on:%Y-%m-%d}登録",
                 message=f"{r.client.name}の{r.side.label}登録を取り消しました。"))
