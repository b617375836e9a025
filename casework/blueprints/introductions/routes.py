"""Introductions (あっせん紹介) between a buyer (発注側) and a supplier (受注側), with their outcome."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...dates import today_jst
from ...models import Introduction
from ...services import introductions as service
from ...services import programs as program_service
from ...services.introductions import IntroductionData
from ...services.program_records import client_text, load, resolve_client_text
from ..forms_common import paginate
from ..program_forms import save
from ..voiding import void_page
from . import bp
from .forms import IntroductionFilterForm, IntroductionForm


@bp.route("/")
@login_required
def index():
    filters = IntroductionFilterForm(current_user)
    filters.checked()
    page = paginate(service.introduction_list_query(current_user, **filters.filters()))
    return render_template("introductions/index.html", page=page, filters=filters)


def _data(form) -> IntroductionData:
    buyer = resolve_client_text(current_user, form.buyer.data, "buyer")
    supplier = resolve_client_text(current_user, form.supplier.data, "supplier")
    return IntroductionData(program_id=form.program_id.data, buyer_client_id=buyer.id, supplier_client_id=supplier.id,
                            introduced_on=form.introduced_on.data, outcome=form.outcome.data,
                            outcome_on=form.outcome_on.data, amount=form.amount.data, subject=form.subject.data,
                            notes=form.notes.data)



@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = IntroductionForm(current_user)
    if request.method == "GET":
        form.introduced_on.data = today_jst()
        default = program_service.user_default_program(current_user, "introduction")
        offered = [v for v, _ in form.program_id.choices]
        form.program_id.data = default.id if default and default.id in offered else (offered[0] if offered else None)
    if form.validate_on_submit():
        introduction, failed = save(form, "introductions/form.html",
                                    lambda: service.introduce(_data(form), by=current_user), introduction=None)
        if failed:
            return failed
        flash(f"あっせん紹介（{introduction.buyer.name} ← {introduction.supplier.name}）を記録しました。", "success")
        return redirect(url_for("introductions.detail", introduction_id=introduction.id))
    return render_template("introductions/form.html", form=form, introduction=None)


@bp.route("/<int:introduction_id>")
@login_required
def detail(introduction_id):
    introduction = load(current_user, Introduction, introduction_id)
    return render_template("introductions/detail.html", introduction=introduction)


@bp.route("/<int:introduction_id>/edit", methods=["GET", "POST"])
@login_required
def edit(introduction_id):
    introduction = load(current_user, Introduction, introduction_id)
    form = IntroductionForm(current_user, obj=introduction, record=introduction)
    if request.method == "GET":
        form.buyer.data = client_text(introduction.buyer)
        form.supplier.data = client_text(introduction.supplier)
    if form.validate_on_submit():
        _done, failed = save(form, "introductions/form.html", lambda: service.update_introduction(
            introduction, _data(form), expected_version=form.expected_version(), by=current_user),
            introduction=introduction)
        if failed:
            return failed
        flash("あっせん紹介を保存しました。", "success")
        return redirect(url_for("introductions.detail", introduction_id=introduction.id))
    return render_template("introductions/form.html", form=form, introduction=introduction)


@bp.route("/<int:introduction_id>/void", methods=["GET", "POST"])
@login_required
def void(introduction_id):
    introduction = load(current_user, Introduction, introduction_id)
    return void_page(introduction, void=service.void_introduction,
                     subject=f"あっせん紹介 {introduction.buyer.name} ← {introduction.supplier.name}",
                     detail=f"{introduction.introduced_on:%Y-%m-%d}・{introduction.outcome_label}",
                     back=url_for("introductions.detail", introduction_id=introduction.id),
                     done=url_for("introductions.index"), message="あっせん紹介を取り消しました。")
