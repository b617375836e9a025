"""Grants of any program and course: application, adoption (採択) and delivery (交付), with
the round's fiscal year and the project's (「令和4年度 (令和5年度事業)」). The founders
screens' 移住起業支援金 (services.founders) are grants of the same table."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..access import and_visible
from ..extensions import db
from ..models import GRANT_DECISION_LABELS, Case, Client, Grant, User
from .errors import DomainError
from .program_records import (add_record, change_record, client_ids_matching, non_negative, not_future, strip,
                              void_program_record)
from .programs import check_program, check_term


@dataclass
class GrantRecordData:
    program_id: int | None
    client_id: int
    applied_on: dt.date
    course_id: int | None = None
    name: str | None = None  # 制度名 (grants.program); default: the program's report name
    title: str | None = None
    partners: str | None = None
    decision: str | None = None
    decided_on: dt.date | None = None
    amount: int | None = None
    granted_on: dt.date | None = None
    granted_amount: int | None = None
    round_fiscal_year: int | None = None
    project_fiscal_year: int | None = None
    project_end_fiscal_year: int | None = None
    case_id: int | None = None
    notes: str | None = None

    def cleaned(self, by: User | None) -> dict:
        program = check_program(by, self.program_id)
        course = check_term(program, self.course_id, "course", "course_id")
        not_future(self.applied_on, "申請日", "applied_on", by)
        decision = self.decision or None
        if decision is not None and decision not in GRANT_DECISION_LABELS:
            raise DomainError("審査結果を選んでください。", "decision")
        if decision is None and (self.decided_on or self.amount):
            raise DomainError("決定日・採択金額は審査結果とあわせて入力してください。", "decision")
        if decision is not None and self.decided_on is None:
            raise DomainError("決定日を入力してください。", "decided_on")
        if self.decided_on is not None and self.decided_on < self.applied_on:
            raise DomainError("決定日が申請日より前です。", "decided_on")
        non_negative(self.amount, "採択金額", "amount")
        if decision == "rejected" and self.amount:
            raise DomainError("不採択の場合、採択金額は入力しません。", "amount")
        non_negative(self.granted_amount, "交付金額", "granted_amount")
        if (self.granted_on or self.granted_amount) and decision != "adopted":
            raise DomainError("交付は採択された申請にだけ記録できます。", "granted_on")
        if self.granted_amount and self.granted_on is None:
            raise DomainError("交付決定日を入力してください。", "granted_on")
        if self.granted_on is not None and self.decided_on is not None and self.granted_on < self.decided_on:
            raise DomainError("交付決定日が採択の決定日より前です。", "granted_on")
        for key, label in (("round_fiscal_year", "採択の年度"), ("project_fiscal_year", "事業の年度"),
                           ("project_end_fiscal_year", "事業の最終年度")):
            year = getattr(self, key)
            if year is not None and not 1990 <= year <= 2100:
                raise DomainError(f"{label}は西暦の年（例: 2023）で入力してください。", key)
        if self.project_end_fiscal_year and self.project_fiscal_year and \
                self.project_end_fiscal_year < self.project_fiscal_year:
            raise DomainError("事業の最終年度が事業の年度より前です。", "project_end_fiscal_year")
        if self.round_fiscal_year and self.project_fiscal_year and self.project_fiscal_year < self.round_fiscal_year:
            raise DomainError("事業の年度が採択の年度より前です。", "project_fiscal_year")
        case_id = self.case_id
        if case_id:
            case = db.session.get(Case, case_id)
            if case is None or case.client_id != self.client_id or case.voided_at is not None:
                raise DomainError("案件が見つかりません。", "case_id")
        return {"program_id": program.id, "center_id": program.center_id, "client_id": self.client_id,
                "course_id": course.id if course else None, "program": strip(self.name) or program.report_name,
                "title": strip(self.title), "partners": strip(self.partners), "applied_on": self.applied_on,
                "decision": decision, "decided_on": self.decided_on,
                "amount": self.amount if decision == "adopted" else None,
                "granted_on": self.granted_on, "granted_amount": self.granted_amount,
                "round_fiscal_year": self.round_fiscal_year, "project_fiscal_year": self.project_fiscal_year,
                "project_end_fiscal_year": self.project_end_fiscal_year, "case_id": case_id or None,
                "notes": strip(self.notes)}


def record_grant(data: GrantRecordData, by: User | None = None, ref: str | None = None) -> Grant:
    values = data.cleaned(by)
    return add_record(Grant, values, by=by, ref=ref, detail={"client_id": data.client_id, "program_id": values["program_id"]})


def update_grant(grant: Grant, data: GrantRecordData, *, expected_version: int | None, by: User | None = None):
    return change_record(grant, data.cleaned(by), expected_version=expected_version, by=by)


void_grant = void_program_record


def grant_list_query(user: User, *, program_id=None, course_id=None, decision=None, q=None, applied_from=None,
                     applied_to=None, round_fiscal_year=None):
    stmt = (select(Grant).join(Client, Client.id == Grant.client_id)
            .where(and_visible(Grant, user), Client.voided_at.is_(None))
            .options(selectinload(Grant.client), selectinload(Grant.business_program), selectinload(Grant.course)))
    if program_id:
        stmt = stmt.where(Grant.program_id == program_id)
    if course_id:
        stmt = stmt.where(Grant.course_id == course_id)
    if decision == "pending":
        stmt = stmt.where(Grant.decision.is_(None))
    elif decision:
        stmt = stmt.where(Grant.decision == decision)
    ids = client_ids_matching(q)
    if ids is not None:
        stmt = stmt.where(or_(Grant.client_id.in_(ids), Grant.title.contains(q.strip(), autoescape=True)))
    if applied_from:
        stmt = stmt.where(Grant.applied_on >= applied_from)
    if applied_to:
        stmt = stmt.where(Grant.applied_on <= applied_to)
    if round_fiscal_year:
        stmt = stmt.where(Grant.round_fiscal_year == round_fiscal_year)
    return stmt.order_by(Grant.applied_on.desc(), Grant.id.desc())
