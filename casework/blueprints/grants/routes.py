"""Grants of any program and course: 採択 (adoption) and 交付 (delivery), with the round's and
the project's fiscal years."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...dates import fiscal_year, today_jst
from ...models import Grant
from ...services import grants as service
from ...services import programs as program_service
from ...services.grants import GrantRecordData
from ...services.program_records import client_text, load, resolve_client_text
from ..forms_common import paginate
from ..program_forms import save
from ..voiding import void_page
from . import bp
from .forms import GrantFilterForm, GrantForm


@bp.route("/")
@login_required
def index():
    filters = GrantFilterForm(current_user)
    filters.checked()
    page = paginate(service.grant_list_query(current_user, **filters.filters()))
    return render_template("grants/index.html", page=page, filters=filters)


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


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = GrantForm(current_user)
    if request.method == "GET":
        today = today_jst()
        form.applied_on.data = today
        form.round_fiscal_year.data = fiscal_year(today)
        default = program_service.user_default_program(current_user, "grant")
        offered = [v for v, _ in form.program_id.choices]
        form.program_id.data = default.id if default and default.id in offered else (offered[0] if offered else None)
        client_id = request.args.get("client_id", type=int)
        if client_id:
            from ...access import get_client_or_404

            form.client.data = client_text(get_client_or_404(current_user, client_id))
    if form.validate_on_submit():
        grant, failed = save(form, "grants/form.html", lambda: service.record_grant(_data(form), by=current_user),
                             grant=None)
        if failed:
            return failed
        flash(f"{grant.client.name}の助成金（{grant.business_program.name}）を記録しました。", "success")
        return redirect(url_for("grants.detail", grant_id=grant.id))
    return render_template("grants/form.html", form=form, grant=None)


@bp.route("/<int:grant_id>")
@login_required
def detail(grant_id):
    grant = load(current_user, Grant, grant_id)
    return render_template("grants/detail.html", grant=grant)


@bp.route("/<int:grant_id>/edit", methods=["GET", "POST"])
@login_required
def edit(grant_id):
    grant = load(current_user, Grant, grant_id)
    form = GrantForm(current_user, obj=grant, record=grant)
    if request.method == "GET":
        form.client.data = client_text(grant.client)
        form.name.data = grant.program
        form.decision.data = grant.decision or ""
    if form.validate_on_submit():
        _done, failed = save(form, "grants/form.html", lambda: service.update_grant(
            grant, _data(form, grant), expected_version=form.expected_version(), by=current_user), grant=grant)
        if failed:
            return failed
        flash("助成金の記録を保存しました。", "success")
        return redirect(url_for("grants.detail", grant_id=grant.id))
    return render_template("grants/form.html", form=form, grant=grant)


@bp.route("/<int:grant_id>/void", methods=["GET", "POST"])
@login_required
def void(grant_id):
    grant = load(current_user, Grant, grant_id)
    return void_page(grant, void=service.void_grant, subject=f"助成金 {grant.client.name}（{grant.program}）",
                     detail=f"申請 {grant.applied_on:%Y-%m-%d}・{grant.decision_label}",
                     back=url_for("grants.detail", grant_id=grant.id), done=url_for("grants.index"),
                     message=f"{grant.client.name}の助成金の記録を取り消しました。")
