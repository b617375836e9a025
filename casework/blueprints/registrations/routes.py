"""Registrations in a program (受発注: 発注登録 / 受注登録 企業)."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...dates import today_jst
from ...models import Registration
from ...services import programs as program_service
from ...services import registrations as service
from ...services.program_records import client_text, load, resolve_client_text
from ...services.registrations import RegistrationData
from ..forms_common import paginate
from ..program_forms import save
from ..voiding import void_page
from . import bp
from .forms import RegistrationFilterForm, RegistrationForm


@bp.route("/")
@login_required
def index():
    filters = RegistrationFilterForm(current_user)
    filters.checked()
    page = paginate(service.registration_list_query(current_user, **filters.filters()))
    return render_template("registrations/index.html", page=page, filters=filters)


def _data(form) -> RegistrationData:
    client = resolve_client_text(current_user, form.client.data, "client")
    return RegistrationData(program_id=form.program_id.data, side_id=form.side_id.data, client_id=client.id,
                            registered_on=form.registered_on.data, ended_on=form.ended_on.data, notes=form.notes.data)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = RegistrationForm(current_user)
    if request.method == "GET":
        form.registered_on.data = today_jst()
        default = program_service.user_default_program(current_user, "registration")
        offered = [v for v, _ in form.program_id.choices]
        form.program_id.data = default.id if default and default.id in offered else (offered[0] if offered else None)
        client_id = request.args.get("client_id", type=int)
        if client_id:
            from ...access import get_client_or_404

            form.client.data = client_text(get_client_or_404(current_user, client_id))
    if form.validate_on_submit():
        registration, failed = save(form, "registrations/form.html",
                                    lambda: service.register(_data(form), by=current_user), registration=None)
        if failed:
            return failed
        flash(f"{registration.client.name}を{registration.side.label}として登録しました。", "success")
        return redirect(url_for("registrations.detail", registration_id=registration.id))
    return render_template("registrations/form.html", form=form, registration=None)


@bp.route("/<int:registration_id>")
@login_required
def detail(registration_id):
    registration = load(current_user, Registration, registration_id)
    return render_template("registrations/detail.html", registration=registration)


@bp.route("/<int:registration_id>/edit", methods=["GET", "POST"])
@login_required
def edit(registration_id):
    registration = load(current_user, Registration, registration_id)
    form = RegistrationForm(current_user, obj=registration, record=registration)
    if request.method == "GET":
        form.client.data = client_text(registration.client)
    if form.validate_on_submit():
        _done, failed = save(form, "registrations/form.html", lambda: service.update_registration(
            registration, _data(form), expected_version=form.expected_version(), by=current_user),
            registration=registration)
        if failed:
            return failed
        flash("登録企業の記録を保存しました。", "success")
        return redirect(url_for("registrations.detail", registration_id=registration.id))
    return render_template("registrations/form.html", form=form, registration=registration)


@bp.route("/<int:registration_id>/void", methods=["GET", "POST"])
@login_required
def void(registration_id):
    registration = load(current_user, Registration, registration_id)
    return void_page(registration, void=service.void_registration,
                     subject=f"{registration.side.label}登録 {registration.client.name}",
                     detail=f"{registration.program.name}・{registration.registered_on:%Y-%m-%d}登録",
                     back=url_for("registrations.detail", registration_id=registration.id),
                     done=url_for("registrations.index"),
                     message=f"{registration.client.name}の{registration.side.label}登録を取り消しました。")
