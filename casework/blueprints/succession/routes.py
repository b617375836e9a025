"""Succession pages: overview, 事業承継診断, seller/buyer profiles and their non-name sheet."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...access import can_see_center, deny, get_client_or_404
from ...dates import today_jst
from ...extensions import db
from ...models import DEAL_STAGES, PROFILE_SIDES, Case, MatchProfile
from ...services import succession as service
from ...services.errors import DomainError, StaleRecord
from ..forms_common import attach_error, record_id, show_stale
from ..voiding import void_page
from . import bp
from .forms import DiagnosisForm, ProfileForm, ProposeForm


def load_profile(profile_id) -> MatchProfile:
    profile = db.session.get(MatchProfile, profile_id)
    if profile is None or profile.voided_at is not None or not can_see_center(current_user, profile.case.center_id):
        deny("MatchProfile", profile_id)
    return profile


@bp.route("/")
@login_required
def index():
    side = request.args.get("side") or None
    profiles = db.paginate(service.profiles_query(current_user, side=side, active_only=request.args.get("all") != "1"),
                           per_page=current_app.config["PER_PAGE"], error_out=False)
    deals = list(db.session.scalars(service.deals_query(current_user, open_only=True).limit(50)))
    diagnoses = list(db.session.scalars(service.diagnoses_query(current_user).limit(20)))
    service.audit_view(current_user, None, page="succession.index", profiles=[p.id for p in profiles.items])
    db.session.commit()
    return render_template("succession/index.html", page=profiles, deals=deals, diagnoses=diagnoses, side=side,
                           sides=PROFILE_SIDES, stages=DEAL_STAGES)


@bp.route("/clients/<int:client_id>/diagnoses/new", methods=["GET", "POST"])
@login_required
def diagnosis_new(client_id):
    client = get_client_or_404(current_user, client_id)
    form = DiagnosisForm()
    if request.method == "GET":
        form.held_on.data = today_jst()
    if form.validate_on_submit():
        center_id = service.confidential_center_ids(current_user)[0]
        try:
            service.record_diagnosis(client, service.DiagnosisData(held_on=form.held_on.data, by_org=form.by_org.data,
                                                                   result=form.result.data), center_id, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash("事業承継診断を記録しました。", "success")
            return redirect(url_for("clients.detail", client_id=client.id))
    return render_template("succession/diagnosis_form.html", form=form, client=client)


def _profile_data(form, side) -> service.ProfileData:
    return service.ProfileData(side=side, industry_code=form.industry_code.data or None, region=form.region.data or None,
                               employees_band=form.employees_band.data or None, sales_band=form.sales_band.data or None,
                               price_band=form.price_band.data or None, reasons=form.reasons.data,
                               summary=form.summary.data, active=bool(form.active.data))


def _succession_cases():
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    ids = service.confidential_center_ids(current_user)
    return list(db.session.scalars(select(Case).where(Case.center_id.in_(ids or [-1]), Case.voided_at.is_(None),
                                                      Case.closed_on.is_(None))
                                   .options(selectinload(Case.client)).order_by(Case.opened_on.desc())))


@bp.route("/profiles/new", methods=["GET", "POST"])
@login_required
def profile_new():
    form = ProfileForm()
    form.case_id.choices = [(0, "（案件を選択）")] + [(k.id, f"{k.client.name}｜{k.opened_on:%Y-%m-%d}｜{k.title or ''}")
                                                   for k in _succession_cases()]
    if request.method == "GET":
        case_id = request.args.get("case_id", "")
        form.case_id.data = record_id(case_id) or 0
        form.side.data = request.args.get("side", "seller")
    if form.validate_on_submit():
        case = db.session.get(Case, form.case_id.data) if form.case_id.data else None
        try:
            profile = service.create_profile(case, _profile_data(form, form.side.data), by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(f"{PROFILE_SIDES[profile.side]}「{profile.code_name}」を登録しました。", "success")
            return redirect(url_for("succession.profile", profile_id=profile.id))
    return render_template("succession/profile_form.html", form=form, profile=None)


@bp.route("/profiles/<int:profile_id>")
@login_required
def profile(profile_id):
    profile = load_profile(profile_id)
    candidates = service.candidates_for(current_user, profile)
    service.audit_view(current_user, profile, candidates=[c.profile.id for c in candidates])
    db.session.commit()
    return render_template("succession/profile.html", profile=profile, candidates=candidates,
                           deals=service.deals_of(profile), sides=PROFILE_SIDES, stages=DEAL_STAGES,
                           propose=ProposeForm(proposed_on=today_jst()), bands=_bands())


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
@login_required
def profile_edit(profile_id):
    profile = load_profile(profile_id)
    form = ProfileForm(obj=profile)
    form.case_id.choices = [(profile.case_id, profile.case.client.name)]
    if request.method == "GET":
        form.version.data = profile.version
    status = 200
    if form.validate_on_submit():
        try:
            service.update_profile(profile, _profile_data(form, profile.side), expected_version=form.expected_version(),
                                   by=current_user)
            db.session.commit()
        except StaleRecord as exc:
            db.session.rollback()
            show_stale(form, exc)
            profile, status = load_profile(profile_id), 409
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
            profile = load_profile(profile_id)
        else:
            flash("プロフィールを更新しました。", "success")
            return redirect(url_for("succession.profile", profile_id=profile_id))
    service.audit_view(current_user, profile, page="edit")
    db.session.commit()
    return render_template("succession/profile_form.html", form=form, profile=profile), status


@bp.route("/profiles/<int:profile_id>/sheet")
@login_required
def sheet(profile_id):
    """ノンネームシート: nothing that identifies the company (no name, no address, no client id)."""
    profile = load_profile(profile_id)
    service.audit_view(current_user, profile, page="nonname_sheet")
    db.session.commit()
    return render_template("succession/sheet.html", profile=profile, sides=PROFILE_SIDES, bands=_bands())


@bp.route("/profiles/<int:profile_id>/void", methods=["GET", "POST"])
@login_required
def profile_void(profile_id):
    profile = load_profile(profile_id)
    return void_page(profile, void=service.void_profile, subject=f"{PROFILE_SIDES[profile.side]} {profile.code_name}",
                     detail=profile.case.client.name, back=url_for("succession.profile", profile_id=profile.id),
                     done=url_for("succession.index"), message=f"{profile.code_name} を取り消しました。")


@bp.route("/diagnoses/")
@login_required
def diagnoses():
    page = db.paginate(service.diagnoses_query(current_user), per_page=current_app.config["PER_PAGE"], error_out=False)
    service.audit_view(current_user, None, page="succession.diagnoses", diagnoses=[d.id for d in page.items])
    db.session.commit()
    return render_template("succession/diagnoses.html", page=page)


@bp.route("/diagnoses/<int:diagnosis_id>/void", methods=["GET", "POST"])
@login_required
def diagnosis_void(diagnosis_id):
    diagnosis = service.visible_diagnosis(current_user, diagnosis_id)
    if diagnosis is None:
        deny("Diagnosis", diagnosis_id)
    return void_page(diagnosis, void=service.void_diagnosis, subject=diagnosis.client.name,
                     detail=f"{diagnosis.held_on:%Y-%m-%d} {diagnosis.by_org or ''}",
                     back=url_for("succession.diagnoses"), done=url_for("succession.diagnoses"),
                     message=f"{diagnosis.client.name}の事業承継診断（{diagnosis.held_on:%Y-%m-%d}）を取り消しました。")


def _bands():
    return {"employees": service.EMPLOYEE_BANDS, "sales": service.SALES_BANDS, "price": service.PRICE_BANDS}
