"""Introductions (あっせん紹介) of a supplier (受注側) to a buyer (発注側), with their outcome."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


from ..models import INTRODUCTION_OUTCOMES, Introduction, User
from .errors import DomainError
from .program_records import (add_record, change_record, non_negative, not_future, record_list_query, strip,
                              void_program_record)
from .programs import check_program


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
    return add_record(Introduction, data.cleaned(by), by=by, ref=ref,
                      detail={"buyer": data.buyer_client_id, "supplier": data.supplier_client_id})


def update_introduction(introduction: Introduction, data: IntroductionData, *, expected_version: int | None,
                        by: User | None = None) -> Introduction:
    return change_record(introduction, data.cleaned(by), expected_version=expected_version, by=by)


void_introduction = void_program_record


def introduction_list_query(user: User, *, program_id=None, outcome=None, q=None, introduced_from=None,
                            introduced_to=None):
    return record_list_query(Introduction, user, dated="introduced_on", date_from=introduced_from,
                             date_to=introduced_to, q=q, clients=("buyer_client_id", "supplier_client_id"),
                             load=("buyer", "supplier", "program"), program_id=program_id, outcome=outcome)
