"""Deals between one seller and one buyer: propose, step forward, break."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import can_see_center, deny
from ...dates import today_jst
from ...extensions import db
from ...models import DEAL_STAGES, Deal
from ...services import succession as service
from ..forms_common import paginate
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import ProposeForm, StepForm
from .routes import load_profile


def _deal(deal_id) -> Deal:
    deal = db.session.get(Deal, deal_id)
    if deal is None or deal.voided_at is not None or not can_see_center(current_user, deal.center_id):
        deny("Deal", deal_id)
    return deal


@bp.route("/deals/propose", methods=["POST"])
def propose():
    form = ProposeForm()
    seller = load_profile(request.form.get("seller_id", 0, type=int))
    buyer = load_profile(request.form.get("buyer_id", 0, type=int))
    back = request.form.get("back_id", type=int) or seller.id
    if not Submission(form).valid():
        flash("提案日を入力してください。", "danger")
        return redirect(url_for("succession.profile", profile_id=back))
    with Submission():
        deal = service.propose_deal(seller, buyer, form.proposed_on.data, by=current_user)
        flash(f"{seller.code_name} と {buyer.code_name} の組み合わせを提案しました。", "success")
        return redirect(url_for("succession.deal", deal_id=deal.id))
    return redirect(url_for("succession.profile", profile_id=back))


def _render(deal, form=None, status=200):
    service.audit_view(current_user, deal)
    if form is None:
        form = StepForm(version=deal.version, stepped_on=today_jst(), stage=service.next_stage(deal) or "closed")
    offered = {service.next_stage(deal), "broken", form.stage.data}  # the next step, 破談, or what was posted
    form.stage.choices = [(k, v) for k, v in form.stage.choices if k in offered]
    return render_template("succession/deal.html", deal=deal, form=form, stages=DEAL_STAGES, path=service.DEAL_PATH,
                           next_stage=service.next_stage(deal)), status


@bp.route("/deals/")
def deals():
    stage = request.args.get("stage") or None
    page = paginate(service.deals_query(current_user, stage=stage if stage in DEAL_STAGES else None))
    service.audit_view(current_user, None, page="succession.deals", deals=[d.id for d in page.items])
    return render_template("succession/deals.html", page=page, stages=DEAL_STAGES, stage=stage)


@bp.route("/deals/<int:deal_id>")
def deal(deal_id):
    return _render(_deal(deal_id))


@bp.route("/deals/<int:deal_id>/step", methods=["POST"])
def step(deal_id):
    deal = _deal(deal_id)
    form = StepForm()
    submission = Submission(form, invalid=422)
    if submission.valid():
        with submission:
            service.advance_deal(deal, form.stage.data, form.stepped_on.data, note=form.note.data,
                                 reason=form.reason.data, closing_amount=form.closing_amount.data,
                                 expected_version=form.expected_version(), by=current_user)
            closed = "両方の案件を成約で終了しました。" if form.stage.data == "closed" else ""
            flash(f"「{DEAL_STAGES[form.stage.data]}」を記録しました。{closed}", "success")
            return redirect(url_for("succession.deal", deal_id=deal_id))
    return _render(deal, form, submission.status)


@bp.route("/deals/<int:deal_id>/void", methods=["GET", "POST"])
def deal_void(deal_id):
    """A deal entered by mistake leaves lists, counts and matching; 破談 is a step, not a void."""
    deal = _deal(deal_id)
    notes = ["破談になった場合は取り消さず、ディールの画面で「破談」を記録してください。"]
    if deal.stage == "closed":
        notes.append("成約で終了した両方の案件は終了のままです（必要なら案件を再開してください）。")
    return void_page(deal, void=service.void_deal, subject=f"{deal.seller.code_name} → {deal.buyer.code_name}",
                     detail=f"{DEAL_STAGES[deal.stage]}（{deal.stage_on:%Y-%m-%d}）",
                     back=url_for("succession.deal", deal_id=deal.id), done=url_for("succession.deals"),
                     message=f"ディール {deal.seller.code_name} → {deal.buyer.code_name} を取り消しました。", notes=tuple(notes))
