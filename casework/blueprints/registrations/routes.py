"""Registrations in a program (受発注: 発注登録 / 受注登録 企業)."""
from flask import request, url_for
from flask_login import current_user, login_required

from ...dates import today_jst
from ...models import Registration
from ...services import registrations as service
from ...services.program_records import load, resolve_client_text
from ...services.registrations import RegistrationData
from ..records import default_program_id, form_page, prefill_client, preselect_program, record_views
from . import bp
from .forms import RegistrationFilterForm, RegistrationForm


def _void_text(r: Registration) -> dict:
    return dict(subject=f"{r.side.label}登録 {r.client.name}", detail=f"{r.program.name}・{r.registered_on:%Y-%m-%d}登録",
                back=url_for("registrations.detail", registration_id=r.id), done=url_for("registrations.index"),
                message=f"{r.client.name}の{r.side.label}登録を取り消しました。")


record_views(bp, Registration, "registration", filters=RegistrationFilterForm, query=service.registration_list_query,
             void=service.void_registration, describe=_void_text)


def _data(form) -> RegistrationData:
    client = resolve_client_text(current_user, form.client.data, "client")
    return RegistrationData(program_id=form.program_id.data, side_id=form.side_id.data, client_id=client.id,
                            registered_on=form.registered_on.data, ended_on=form.ended_on.data, notes=form.notes.data)


def _shown(registration: Registration) -> str:
    return url_for("registrations.detail", registration_id=registration.id)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = RegistrationForm(current_user)
    if request.method == "GET":
        form.registered_on.data = today_jst()
        preselect_program(form.program_id, default_program_id("registration"))
        prefill_client(form.client)
    return form_page(form, "registrations/form.html", lambda: service.register(_data(form), by=current_user),
                     message=lambda r: f"{r.client.name}を{r.side.label}として登録しました。", done=_shown,
                     registration=None)


@bp.route("/<int:registration_id>/edit", methods=["GET", "POST"])
@login_required
def edit(registration_id):
    registration = load(current_user, Registration, registration_id)
    form = RegistrationForm(current_user, obj=registration, record=registration)
    return form_page(form, "registrations/form.html", lambda: service.update_registration(
        registration, _data(form), expected_version=form.expected_version(), by=current_user),
        message="登録企業の記録を保存しました。", done=_shown, registration=registration)
