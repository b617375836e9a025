"""Introductions (あっせん紹介) of a supplier (受注側) to a buyer (発注側), with their outcome."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..access import and_visible
from ..extensions import db
from ..models import INTRODUCTION_OUTCOMES, Introduction, User
from . import audit
from .errors import DomainError
from .program_records import apply_values, client_ids_matching, non_negative, not_future, strip
from .programs import check_program
from .voiding import void_record


@dataclass
class IntroductionData:
    program_id: int | None
    buyer_client_id: int
    supplier_client_id: int
    introduced_on: dt.date
    outcome: str = "ongoing"
    outcome_on: dt.date | None = None
    amount: int | None = None
    subject: str | None = None
    notes: str | None = None

    def cleaned(self, by: User | None) -> dict:
        program = check_program(by, self.program_id)
        if self.buyer_client_id == self.supplier_client_id:
            raise DomainError("発注側と受注側に同じ相談先は指定できません。", "supplier_client_id")
        not_future(self.introduced_on, "紹介日", "introduced_on", by)
        if self.outcome not in INTRODUCTION_OUTCOMES:
            raise DomainError("結果を選んでください。", "outcome")
        outcome_on = self.outcome_on
        if self.outcome == "ongoing":
            outcome_on = None
        elif outcome_on is None:
            raise DomainError("成立・不成立の日付を入力してください。", "outcome_on")
        if outcome_on is not None and outcome_on < self.introduced_on:
            raise DomainError("結果の日付が紹介日より前です。", "outcome_on")
        not_future(outcome_on, "結果の日付", "outcome_on", by)
        non_negative(self.amount, "成立金額", "amount")
        if self.outcome != "concluded" and self.amount:
            raise DomainError("成立金額は成立の場合だけ入力します。", "amount")
        return {"program_id": program.id, "center_id": program.center_id, "buyer_client_id": self.buyer_client_id,
                "supplier_client_id": self.supplier_client_id, "introduced_on": self.introduced_on,
                "outcome": self.outcome, "outcome_on": outcome_on,
                "amount": self.amount if self.outcome == "concluded" else None,
                "subject": strip(self.subject), "notes": strip(self.notes)}


def introduce(data: IntroductionData, by: User | None = None, ref: str | None = None) -> Introduction:
    values = data.cleaned(by)
    introduction = Introduction(ref=ref, created_by_id=getattr(by, "id", None), **values)
    db.session.add(introduction)
    db.session.flush()
    audit.record("create", introduction, user=by, detail={"buyer": data.buyer_client_id,
                                                          "supplier": data.supplier_client_id})
    return introduction


def update_introduction(introduction: Introduction, data: IntroductionData, *, expected_version: int | None,
                        by: User | None = None) -> Introduction:
    apply_values(introduction, data.cleaned(by), expected_version=expected_version, by=by)
    return introduction


def void_introduction(introduction: Introduction, reason: str, by: User, *, expected_version: int | None = None):
    return void_record(introduction, reason, by, expected_version=expected_version)


def introduction_list_query(user: User, *, program_id=None, outcome=None, q=None, introduced_from=None,
                            introduced_to=None):
    stmt = select(Introduction).where(and_visible(Introduction, user)).options(
        selectinload(Introduction.buyer), selectinload(Introduction.supplier), selectinload(Introduction.program))
    if program_id:
        stmt = stmt.where(Introduction.program_id == program_id)
    if outcome:
        stmt = stmt.where(Introduction.outcome == outcome)
    ids = client_ids_matching(q)
    if ids is not None:
        stmt = stmt.where(or_(Introduction.buyer_client_id.in_(ids), Introduction.supplier_client_id.in_(ids)))
    if introduced_from:
        stmt = stmt.where(Introduction.introduced_on >= introduced_from)
    if introduced_to:
        stmt = stmt.where(Introduction.introduced_on <= introduced_to)
    return stmt.order_by(Introduction.introduced_on.desc(), Introduction.id.desc())
