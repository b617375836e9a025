"""Case milestones: a case's dated steps in a program (活性化: 事前相談 … 雇用維持効果 名;
経営改善計画: 事業利用申請受付 … 伴走支援実施 回)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import and_visible
from ..extensions import db
from ..models import Case, CaseMilestone, User
from . import audit
from .errors import DomainError
from .program_records import apply_values, client_ids_matching, non_negative, not_future, strip
from .programs import check_program, check_term
from .voiding import void_record


@dataclass
class MilestoneData:
    program_id: int | None
    milestone_id: int | None
    achieved_on: dt.date
    number: int | None = None
    notes: str | None = None

    def cleaned(self, case: Case, by: User | None) -> dict:
        program = check_program(by, self.program_id, case.center_id)
        milestone = check_term(program, self.milestone_id, "milestone", "milestone_id", required=True)
        not_future(self.achieved_on, "日付", "achieved_on", by)
        if self.achieved_on < case.opened_on:
            raise DomainError("日付が案件の開始日より前です。", "achieved_on")
        non_negative(self.number, "数", "number")
        if milestone.unit and self.number is None:
            raise DomainError(f"{milestone.label}の数（{milestone.unit}）を入力してください。", "number")
        return {"program_id": program.id, "milestone_id": milestone.id, "achieved_on": self.achieved_on,
                "number": self.number, "notes": strip(self.notes)}


def add_milestone(case: Case, data: MilestoneData, by: User | None = None, ref: str | None = None) -> CaseMilestone:
    if case is None or case.voided_at is not None:
        raise DomainError("案件が見つかりません。")
    milestone = CaseMilestone(ref=ref, case_id=case.id, client_id=case.client_id, center_id=case.center_id,
                              created_by_id=getattr(by, "id", None), **data.cleaned(case, by))
    db.session.add(milestone)
    db.session.flush()
    audit.record("create", milestone, user=by, detail={"case_id": case.id, "milestone_id": milestone.milestone_id})
    return milestone


def update_milestone(milestone: CaseMilestone, data: MilestoneData, *, expected_version: int | None,
                     by: User | None = None) -> CaseMilestone:
    apply_values(milestone, data.cleaned(milestone.case, by), expected_version=expected_version, by=by)
    return milestone


def void_milestone(milestone: CaseMilestone, reason: str, by: User, *, expected_version: int | None = None):
    return void_record(milestone, reason, by, expected_version=expected_version)


def milestones_of(case: Case) -> list[CaseMilestone]:
    return list(db.session.scalars(
        select(CaseMilestone).where(CaseMilestone.case_id == case.id, CaseMilestone.voided_at.is_(None))
        .options(selectinload(CaseMilestone.milestone), selectinload(CaseMilestone.program))
        .order_by(CaseMilestone.achieved_on, CaseMilestone.id)))


def milestone_list_query(user: User, *, program_id=None, milestone_id=None, q=None, achieved_from=None,
                         achieved_to=None):
    stmt = select(CaseMilestone).where(and_visible(CaseMilestone, user)).options(
        selectinload(CaseMilestone.client), selectinload(CaseMilestone.program), selectinload(CaseMilestone.milestone))
    if program_id:
        stmt = stmt.where(CaseMilestone.program_id == program_id)
    if milestone_id:
        stmt = stmt.where(CaseMilestone.milestone_id == milestone_id)
    ids = client_ids_matching(q)
    if ids is not None:
        stmt = stmt.where(CaseMilestone.client_id.in_(ids))
    if achieved_from:
        stmt = stmt.where(CaseMilestone.achieved_on >= achieved_from)
    if achieved_to:
        stmt = stmt.where(CaseMilestone.achieved_on <= achieved_to)
    return stmt.order_by(CaseMilestone.achieved_on.desc(), CaseMilestone.id.desc())
