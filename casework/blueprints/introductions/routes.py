"""Introductions (あっせん紹介) between a buyer (発注側) and a supplier (受注側), with their outcome."""
from flask import request, url_for
from flask_login import current_user, login_required

from ...dates import today_jst
from ...models import Introduction
from ...services import introductions as service
from ...services.introductions import IntroductionData
from ...services.program_records import load, resolve_client_text
from ..records import default_program_id, form_page, preselect_program, record_views
from . import bp
from .forms import IntroductionFilterForm, IntroductionForm


def _void_text(i: Introduction) -> dict:
    return dict(subject=f"あっせん紹介 {i.buyer.name} ← {i.supplier.name}",
                detail=f"{i.introduced_on:%Y-%m-%d}・{i.outcome_label}",
                back=url_for("introductions.detail", introduction_id=i.id), done=url_for("introductions.index"),
                message="あっせん紹介を取り消しました。")


record_views(bp, Introduction, "introduction", filters=IntroductionFilterForm, query=service.introduction_list_query,
             void=service.void_introduction, describe=_void_text)


def _data(form) -> IntroductionData:
    buyer = resolve_client_text(current_user, form.buyer.data, "buyer")
    supplier = resolve_client_text(current_user, form.supplier.data, "supplier")
    return IntroductionData(program_id=form.program_id.data, buyer_client_id=buyer.id, supplier_client_id=supplier.id,
                            introduced_on=form.introduced_on.data, outcome=form.outcome.data,
                            outcome_on=form.outcome_on.data, amount=form.amount.data, subject=form.subject.data,
                            notes=form.notes.data)


def _shown(introduction: Introduction) -> str:
    return url_for("introductions.detail", introduction_id=introduction.id)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = IntroductionForm(current_user)
    if request.method == "GET":
        form.introduced_on.data = today_jst()
        preselect_program(form.program_id, default_program_id("introduction"))
    return form_page(form, "introductions/form.html", lambda: service.introduce(_data(form), by=current_user),
                     message=lambda i: f"あっせん紹介（{i.buyer.name} ← {i.supplier.name}）を記録しました。",
                     done=_shown, introduction=None)


@bp.route("/<int:introduction_id>/edit", methods=["GET", "POST"])
@login_required
def edit(introduction_id):
    introduction = load(current_user, Introduction, introduction_id)
    form = IntroductionForm(current_user, obj=introduction, record=introduction)
    return form_page(form, "introductions/form.html", lambda: service.update_introduction(
        introduction, _data(form), expected_version=form.expected_version(), by=current_user),
        message="あっせん紹介を保存しました。", done=_shown, introduction=introduction)
