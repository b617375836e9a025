from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import get_client_or_404, get_in_center_or_404
from ...extensions import db
from ...models import Consultation
from ...services import clients as client_service
from ...services import consultations as consultation_service
from ...services import outreach as outreach_service
from ...services.voiding import may_void
from ...unit_of_work import checks_before_writing
from ..forms_common import channel_choices, keyset_page
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import ConsultationFilterForm, ConsultationForm, describe_kept, kept_args

PICK_LIMIT = 20


@bp.route("/")
def index():
    filters = ConsultationFilterForm(current_user)
    filters.checked()
    stmt = consultation_service.consultation_list_query(current_user, filters.consultation_filter())
    page = keyset_page(stmt, [Consultation.held_on, Consultation.id])
    return render_template("consultations/index.html", page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
@checks_before_writing
def new():
    client_id = request.values.get("client_id", type=int)
    if not client_id:
        return _pick_client()
    client = get_client_or_404(current_user, client_id)
    slot = _booked_slot(request.values.get("slot_id", type=int))  # logged from a booked 出張相談会 slot
    form = ConsultationForm(current_user, client)
    if request.method == "GET":
        form.fill_defaults(current_user, request.args)
    form.set_events(current_user)
    submission = Submission(form)
    if submission.valid():
        with submission:
            consultation = consultation_service.log_consultation(client, form.consultation_data(), by=current_user)
            channel = dict(channel_choices()).get(consultation.channel_code) or consultation.channel.label
            saved = f"{client.name}（{consultation.held_on:%Y-%m-%d} {channel}）の相談を記録しました。"
            if slot is not None:
                outreach_service.link_consultation(slot, consultation, by=current_user)
                flash(saved, "success")
                return redirect(url_for("outreach.detail", day_id=slot.day_id))
            if form.save_next.data:
                flash(saved + "続けて次の相談先を選んでください。", "success")
                return redirect(url_for("consultations.new", **form.kept()))
            flash(saved, "success")
            return redirect(url_for("cases.detail", case_id=consultation.case_id))
    return render_template("consultations/form.html", form=form, client=client, consultation=None,
                           kept=kept_args(request.args)), submission.status


def _booked_slot(slot_id):
    if not slot_id:
        return None
    from ..outreach.routes import load_slot

    return load_slot(slot_id)


def _pick_client():
    """Step one of the log screen without JS: search the client (GET) and pick one."""
    q = request.args.get("q", "").strip()
    results = []
    if q:
        results = db.session.scalars(client_service.search_query(current_user, q).limit(PICK_LIMIT)).all()
    kept = kept_args(request.args)
    return render_template("consultations/pick.html", q=q, results=results, kept=kept,
                           kept_words=describe_kept(current_user, kept), limit=PICK_LIMIT)


@bp.route("/clients.json")
def client_search():
    """Autocomplete for the client search box (casework.js): the same search, as JSON."""
    q = request.args.get("q", "").strip()
    if not q:
        return jsonify([])
    kept = kept_args(request.args)
    rows = db.session.scalars(client_service.search_query(current_user, q).limit(10))
    return jsonify([{"id": c.id, "name": c.name, "kana": c.name_kana or "",
                     "url": url_for("consultations.new", client_id=c.id, **kept)} for c in rows])


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@checks_before_writing
def edit(consultation_id):
    consultation = get_in_center_or_404(current_user, Consultation, consultation_id)
    form = ConsultationForm(current_user, consultation.client, obj=consultation, current_case_id=consultation.case_id)
    if request.method == "GET":
        form.theme_codes.data = [t.code for t in consultation.themes]
    form.set_events(current_user, current_event=consultation.event)
    submission = Submission(form)
    if submission.valid():
        with submission:
            consultation_service.update_consultation(consultation, form.consultation_data(),
                                                     expected_version=form.expected_version(), by=current_user)
            flash("相談記録を更新しました。", "success")
            return redirect(url_for("cases.detail", case_id=consultation.case_id))
    return render_template("consultations/form.html", form=form, client=consultation.client,
                           consultation=consultation, kept={}, stale=submission.stale,
                           may_void=may_void(current_user, consultation)), submission.status


@bp.route("/<int:consultation_id>/void", methods=["GET", "POST"])
def void(consultation_id):
    consultation = get_in_center_or_404(current_user, Consultation, consultation_id)
    return void_page(consultation, void=consultation_service.void_consultation, subject=consultation.client.name,
                     detail=f"{consultation.held_on:%Y-%m-%d} {consultation.channel.label}",
                     back=url_for("consultations.edit", consultation_id=consultation.id),
                     done=url_for("cases.detail", case_id=consultation.case_id),
                     message=f"{consultation.client.name}（{consultation.held_on:%Y-%m-%d}）の相談記録を取り消しました。")