"""Case milestones: a case's dated steps in a program (活性化: 事前相談 … 雇用維持効果 名;
経営改善計画: 事業利用申請受付 … 伴走支援実施 回)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import Case, CaseMilestone, User
from .errors import DomainError
from .program_records import (add_record, change_record, live_records, non_negative, not_future, record_list_query,
                              strip, void_program_record)
from .programs import check_program, check_term


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
    values = data.cleaned(case, by)
    return add_record(CaseMilestone, {"case_id": case.id, "client_id": case.client_id, "center_id": case.center_id,
                                      **values}, by=by, ref=ref,
                      detail={"case_id": case.id, "milestone_id": values["milestone_id"]})


def update_milestone(milestone: CaseMilestone, data: MilestoneData, *, expected_version: int | None,
                     by: User | None = None) -> CaseMilestone:
    return change_record(milestone, data.cleaned(milestone.case, by), expected_version=expected_version, by=by)


void_milestone = void_program_record


def milestones_of(case: Case) -> list[CaseMilestone]:
    return live_records(CaseMilestone, case_id=case.id, load=("milestone", "program"), order_by=("achieved_on", "id"))


def milestone_list_query(user: User, *, program_id=None, milestone_id=None, q=None, achieved_from=None,
                         achieved_to=None):
    return record_list_query(CaseMilestone, user, dated="achieved_on", date_from=achieved_from, date_to=achieved_to,
                             q=q, load=("client", "program", "milestone"), program_id=program_id,
                             milestone_id=milestone_id)
