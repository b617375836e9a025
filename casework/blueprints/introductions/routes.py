"""Introductions (あっせん紹介) between a buyer (発注側) and a supplier (受注側), with their outcome."""
from flask_login import current_user

from ...dates import today_jst
from ...models import Introduction
from ...services import introductions as service
from ...services.introductions import IntroductionData
from ...services.program_records import resolve_client_text
from ..records import default_program_id, preselect_program, record_views
from . import bp
from .forms import IntroductionFilterForm, IntroductionForm


def _data(form, _record) -> IntroductionData:
    buyer = resolve_client_text(current_user, form.buyer.data, "buyer")
    supplier = resolve_client_text(current_user, form.supplier.data, "supplier")
    return IntroductionData(program_id=form.program_id.data, buyer_client_id=buyer.id, supplier_client_id=supplier.id,
                            introduced_on=form.introduced_on.data, outcome=form.outcome.data,
                            outcome_on=form.outcome_on.data, amount=form.amount.data, subject=form.subject.data,
                            notes=form.notes.data)


def _start(form) -> None:
    form.introduced_on.data = today_jst()
    preselect_program(form.program_id, default_program_id("introduction"))


record_views(bp, Introduction, "introduction", filters=IntroductionFilterForm, query=service.introduction_list_query,
             form=IntroductionForm, data=_data, start=_start,
             create=service.introduce, created=lambda i: f"あっせん紹介（{i.buyer.name} ← {i.supplier.name}）を記録しました。",
             update=service.update_introduction, saved="あっせん紹介を保存しました。",
             void=service.void_introduction, describe=lambda i: dict(
                 subject=f"あっせん紹介 {i.buyer.name} ← {i.supplier.name}",
                 detail=f"{i.introduced_on:%Y-%m-%d}・{i.outcome_label}", message="あっせん紹介を取り消しました。"))
