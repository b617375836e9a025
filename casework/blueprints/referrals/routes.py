"""Referrals between centers, with the client's consent recorded."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...access import found_or_404, get_client_or_404
from ...dates import today_jst
from ...extensions import db
from ...models import Center
from ...services import referrals as service
from ..forms_common import center_choices, record_id, staff_choices
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import ReferralForm


@bp.route("/")
def index():
    page = db.paginate(service.referrals_query(current_user, own=True), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("referrals/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
def new():
    client_id = request.args.get("client_id", "")
    client = get_client_or_404(current_user, record_id(client_id) or 0)
    form = ReferralForm()
    form.from_center_id.choices = center_choices(current_user)
    form.to_center_id.choices = [(0, "（選択）")] + [(c.id, c.name) for c in db.session.scalars(
        select(Center).where(Center.active).order_by(Center.sort_order))]
    form.to_assignee_id.choices = [(0, "（未定）")] + staff_choices()
    if request.method == "GET":
        form.referred_on.data = today_jst()
    submission = Submission(form)
    if submission.valid():
        with submission:
            referral = service.refer_client(client, service.ReferralData(
                from_center_id=form.from_center_id.data, to_center_id=form.to_center_id.data,
                referred_on=form.referred_on.data, consent_on=form.consent_on.data,
                consent_method=form.consent_method.data, note=form.note.data, open_case=bool(form.open_case.data),
                to_assignee_id=form.to_assignee_id.data or None), by=current_user)
            flash(f"{referral.to_center.name}へ紹介しました（同意 {referral.consent_on:%Y-%m-%d}・{referral.consent_method}）。",
                  "success")
            if not service.client_still_visible(current_user, client):
                # e.g. a client known to no other center, referred to the succession center: from
                # now on only that center's staff see it
                flash("この相談先は、今後は紹介先センターの職員だけが閲覧できます。", "info")
                return redirect(url_for("clients.index"))
            return redirect(url_for("clients.detail", client_id=client.id))
    return render_template("referrals/new.html", form=form, client=client), submission.status


@bp.route("/<int:referral_id>/void", methods=["GET", "POST"])
def void(referral_id):
    referral = found_or_404(service.visible_referral(current_user, referral_id), "Referral", referral_id)
    listing = url_for("referrals.index")
    return void_page(referral, void=service.void_referral, subject=referral.client.name, back=listing, done=listing,
                     detail=f"{referral.from_center.name} → {referral.to_center.name}（{referral.referred_on:%Y-%m-%d}）",
                     message=f"{referral.client.name}の紹介（{referral.referred_on:%Y-%m-%d}）を取り消しました。",
                     notes=("紹介で開始した紹介先の案件は取り消されません（紹介先で対応中のことがあるため）。",)
                     if referral.to_case_id else ())
