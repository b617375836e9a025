"""Succession pages: overview, 事業承継診断, seller/buyer profiles and their non-name sheet.

Every page here is confidential: what it shows is noted for the audit log (service.audit_view)
and written once the page is served, in a transaction of its own (casework/unit_of_work.py)."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import can_see_center, deny, found_or_404, get_client_or_404
from ...dates import today_jst
from ...extensions import db
from ...models import DEAL_STAGES, PROFILE_SIDES, MatchProfile
from ...services import anonymity, succession as service
from ..forms_common import paginate, record_id
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import ConfirmAnonymousForm, DiagnosisForm, ProfileForm, ProposeForm


def load_profile(profile_id) -> MatchProfile:
    profile = db.session.get(MatchProfile, profile_id)
    if profile is None or profile.voided_at is not None or not can_see_center(current_user, profile.case.center_id):
        deny("MatchProfile", profile_id)
    return profile


@bp.route("/")
def index():
    side = request.args.get("side") or None
    profiles = paginate(service.profiles_query(current_user, side=side, active_only=request.args.get("all") != "1"))
    deals = list(db.session.scalars(service.deals_query(current_user, open_only=True).limit(50)))
    diagnoses = list(db.session.scalars(service.diagnoses_query(current_user).limit(20)))
    service.audit_view(current_user, None, page="succession.index", profiles=[p.id for p in profiles.items])
    return render_template("succession/index.html", page=profiles, deals=deals, diagnoses=diagnoses, side=side,
                           sides=PROFILE_SIDES, stages=DEAL_STAGES)


@bp.route("/clients/<int:client_id>/diagnoses/new", methods=["GET", "POST"])
def diagnosis_new(client_id):
    client = get_client_or_404(current_user, client_id)
    form = DiagnosisForm()
    if request.method == "GET":
        form.held_on.data = today_jst()
    submission = Submission(form)
    if submission.valid():
        with submission:
            service.record_diagnosis(client, service.DiagnosisData(held_on=form.held_on.data, by_org=form.by_org.data,
                                                                   result=form.result.data),
                                     service.diagnosis_center_id(current_user), by=current_user)
            flash("事業承継診断を記録しました。", "success")
            return redirect(url_for("clients.detail", client_id=client.id))
    return render_template("succession/diagnosis_form.html", form=form, client=client), submission.status


def _profile_data(form, side) -> service.ProfileData:
    return service.ProfileData(side=side, industry_code=form.industry_code.data or None, region=form.region.data or None,
                               employees_band=form.employees_band.data or None, sales_band=form.sales_band.data or None,
                               price_band=form.price_band.data or None, reasons=form.reasons.data,
                               summary=form.summary.data, active=bool(form.active.data))


@bp.route("/profiles/new", methods=["GET", "POST"])
def profile_new():
    form = ProfileForm()
    form.case_id.choices = [(0, "（案件を選択）")] + [(k.id, f"{k.client.name}｜{k.opened_on:%Y-%m-%d}｜{k.title or ''}")
                                                   for k in service.open_succession_cases(current_user)]
    if request.method == "GET":
        case_id = request.args.get("case_id", "")
        form.case_id.data = record_id(case_id) or 0
        form.side.data = request.args.get("side", "seller")
    submission = Submission(form)
    if submission.valid():
        with submission:
            profile = service.create_profile(service.visible_case(current_user, form.case_id.data),
                                             _profile_data(form, form.side.data), by=current_user)
            flash(f"{PROFILE_SIDES[profile.side]}「{profile.code_name}」を登録しました。", "success")
            return redirect(url_for("succession.profile", profile_id=profile.id))
    return render_template("succession/profile_form.html", form=form, profile=None), submission.status


@bp.route("/profiles/<int:profile_id>")
def profile(profile_id):
    profile = load_profile(profile_id)
    candidates = service.candidates_for(current_user, profile)
    service.audit_view(current_user, profile, candidates=[c.profile.id for c in candidates])
    return render_template("succession/profile.html", profile=profile, candidates=candidates,
                           deals=service.deals_of(profile), sides=PROFILE_SIDES, stages=DEAL_STAGES,
                           propose=ProposeForm(proposed_on=today_jst()), bands=_bands())


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
def profile_edit(profile_id):
    profile = load_profile(profile_id)
    form = ProfileForm(obj=profile)
    form.case_id.choices = [(profile.case_id, profile.case.client.name)]
    if request.method == "GET":
        form.version.data = profile.version
    submission = Submission(form)
    if submission.valid():
        with submission:
            service.update_profile(profile, _profile_data(form, profile.side), expected_version=form.expected_version(),
                                   by=current_user)
            flash("プロフィールを更新しました。", "success")
            return redirect(url_for("succession.profile", profile_id=profile_id))
    service.audit_view(current_user, profile, page="edit")
    return render_template("succession/profile_form.html", form=form, profile=profile,
                           stale=submission.stale), submission.status


@bp.route("/profiles/<int:profile_id>/sheet")
def sheet(profile_id):
    """ノンネームシート: nothing that identifies the company (no name, no address, no client id)."""
    profile = load_profile(profile_id)
    service.audit_view(current_user, profile, page="nonname_sheet")
    found = anonymity.findings(profile)
    if found and not anonymity.confirmed(profile):
        # refused until the text is anonymised, or staff confirm it is (audited)
        return render_template("succession/sheet_check.html", profile=profile, found=found,
                               fields=anonymity.CHECKED_FIELDS, highlighted=anonymity.highlighted,
                               form=ConfirmAnonymousForm()), 409
    return render_template("succession/sheet.html", profile=profile, sides=PROFILE_SIDES, bands=_bands())


@bp.route("/profiles/<int:profile_id>/sheet/confirm", methods=["POST"])
def sheet_confirm(profile_id):
    profile = load_profile(profile_id)
    form = ConfirmAnonymousForm()
    submission = Submission(form, notice=False)
    if submission.valid():
        if form.version.data and record_id(form.version.data) != profile.version:
            flash("確認の後にプロフィールが変更されました。内容を確かめて、もう一度確認してください。", "warning")
        else:
            anonymity.confirm_anonymous(profile, note=form.note.data, by=current_user)
            flash("匿名化を確認しました（監査ログに記録されます）。", "success")
    else:
        flash("「会社を特定できる情報が含まれていないことを確認しました」にチェックしてください。", "danger")
    return redirect(url_for("succession.sheet", profile_id=profile.id))


@bp.route("/profiles/<int:profile_id>/void", methods=["GET", "POST"])
def profile_void(profile_id):
    profile = load_profile(profile_id)
    return void_page(profile, void=service.void_profile, subject=f"{PROFILE_SIDES[profile.side]} {profile.code_name}",
                     detail=profile.case.client.name, back=url_for("succession.profile", profile_id=profile.id),
                     done=url_for("succession.index"), message=f"{profile.code_name} を取り消しました。")


@bp.route("/diagnoses/")
def diagnoses():
    page = paginate(service.diagnoses_query(current_user))
    service.audit_view(current_user, None, page="succession.diagnoses", diagnoses=[d.id for d in page.items])
    return render_template("succession/diagnoses.html", page=page)


@bp.route("/diagnoses/<int:diagnosis_id>/void", methods=["GET", "POST"])
def diagnosis_void(diagnosis_id):
    diagnosis = found_or_404(service.visible_diagnosis(current_user, diagnosis_id), "Diagnosis", diagnosis_id)
    return void_page(diagnosis, void=service.void_diagnosis, subject=diagnosis.client.name,
                     detail=f"{diagnosis.held_on:%Y-%m-%d} {diagnosis.by_org or ''}",
                     back=url_for("succession.diagnoses"), done=url_for("succession.diagnoses"),
                     message=f"{diagnosis.client.name}の事業承継診断（{diagnosis.held_on:%Y-%m-%d}）を取り消しました。")


def _bands():
    return {"employees": service.EMPLOYEE_BANDS, "sales": service.SALES_BANDS, "price": service.PRICE_BANDS}
