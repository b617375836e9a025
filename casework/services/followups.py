"""Follow-up tasks (フォローアップ): by hand, and automatically after outcomes (3 and 12 months
after founding or succession) and after each expert visit (the expert's report).

Automatic follow-ups carry a unique source_key, so creating them again changes nothing.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case as sql_case, select
from sqlalchemy.orm import selectinload

from ..access import and_visible, can_see_center, visible_with_client
from ..dates import today_jst
from ..extensions import db
from ..models import Case, FollowUp, User
from . import audit
from .errors import Checks, DomainError
from .filters import where_equal, where_within
from .hooks import on_outcome
from .locking import check_version
from .voiding import void_record

SALES_TRENDS = {"up": "増加", "flat": "横ばい", "down": "減少"}
OUTCOME_FOLLOWUPS = {"founded": "創業", "succeeded": "事業承継", "ma_closed": "M&A成約"}
FOLLOWUP_MONTHS = (3, 12)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month `months` later; the month's last day when it has no such day
    (2024-01-31 + 1 month = 2024-02-29)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _ensure(source_key: str, **values) -> FollowUp:
    """Create the automatic follow-up once; an open one moves with its source's date."""
    existing = db.session.scalar(select(FollowUp).where(FollowUp.source_key == source_key))
    if existing is not None:
        if existing.completed_on is None and existing.voided_at is None and existing.due_on != values["due_on"]:
            existing.due_on = values["due_on"]
        return existing
    followup = FollowUp(source_key=source_key, **values)
    db.session.add(followup)
    db.session.flush()
    audit.record("create", followup, user=None, detail={"source": values.get("source"), "auto": True})
    return followup


@on_outcome
def create_outcome_followups(case: Case, by: User | None) -> list[FollowUp]:
    """3 and 12 months after founding, succession or an M&A closing."""
    if case.outcome_code not in OUTCOME_FOLLOWUPS or case.outcome_on is None:
        return []
    label = OUTCOME_FOLLOWUPS[case.outcome_code]
    return [_ensure(f"outcome:{case.id}:{case.outcome_code}:{months}m",
                    client_id=case.client_id, case_id=case.id, center_id=case.center_id,
                    assignee_id=case.assignee_id or getattr(by, "id", None),
                    due_on=add_months(case.outcome_on, months),
                    reason=f"{label}後{months}か月フォローアップ", source=f"{case.outcome_code}+{months}m")
            for months in FOLLOWUP_MONTHS]


def report_key(visit) -> str:
    return f"dispatch_report:{visit.id}"


def create_report_followup(visit, dispatch, by: User | None) -> FollowUp:
    """The expert's report is due report_due_days after the visit."""
    return _ensure(report_key(visit), client_id=visit.client_id, case_id=visit.case_id, center_id=visit.center_id,
                   assignee_id=dispatch.requested_by_id or getattr(by, "id", None), due_on=visit.report_due_on,
                   reason=f"専門家派遣報告書の受領（{dispatch.expert.name}、{visit.held_on:%Y-%m-%d}訪問）",
                   source="dispatch_report")


def complete_report_followup(visit, received_on: dt.date, by: User | None) -> None:
    followup = db.session.scalar(select(FollowUp).where(FollowUp.source_key == report_key(visit)))
    if followup is not None and followup.completed_on is None:
        followup.completed_on, followup.completed_by_id = received_on, getattr(by, "id", None)
        followup.findings = "報告書を受領"
        audit.record("complete", followup, user=by, detail={"auto": True})




# --- by hand ---------------------------------------------------------------------------------

@dataclass
class FollowUpData:
    case_id: int
    due_on: dt.date
    reason: str
    assignee_id: int | None = None


def create_followup(data: FollowUpData, by: User | None = None) -> FollowUp:
    case = db.session.get(Case, data.case_id) if data.case_id else None
    if case is None or case.voided_at is not None or (by is not None and not can_see_center(by, case.center_id)):
        raise DomainError("案件が見つかりません。", "case_id")
    checks = Checks()  # every independent problem at once, each beside its field
    if not (data.reason or "").strip():
        checks.fail("内容を入力してください。", "reason")
    if data.due_on < case.opened_on:
        checks.fail("期日が案件の開始日より前です。", "due_on")
    assignee = db.session.get(User, data.assignee_id) if data.assignee_id is not None else None
    if data.assignee_id is not None and (assignee is None or not assignee.active):
        checks.fail("担当者が見つかりません。", "assignee_id")
    if assignee is not None and not can_see_center(assignee, case.center_id):
        # nobody would be reminded: the assignee could neither list nor open this follow-up
        checks.fail(f"{assignee.name}さんは{case.center.name}に所属していないため、このフォローアップを見られません。"
                    f"{case.center.name}の職員を選んでください。", "assignee_id")
    checks.raise_if_any()
    followup = FollowUp(client_id=case.client_id, case_id=case.id, center_id=case.center_id,
                        assignee_id=data.assignee_id or getattr(by, "id", None), due_on=data.due_on,
                        reason=data.reason.strip(), source="manual")
    db.session.add(followup)
    db.session.flush()
    audit.record("create", followup, user=by, detail={"case_id": case.id})
    return followup


@dataclass
class Findings:
    completed_on: dt.date
    still_in_business: bool | None = None
    employees: int | None = None
    sales_trend: str | None = None
    jobs_retained: int | None = None
    findings: str | None = None


def complete_followup(followup: FollowUp, data: Findings, *, expected_version: int | None = None,
                      by: User | None = None) -> FollowUp:
    values = {"completed_on": data.completed_on, "still_in_business": data.still_in_business,
              "employees": data.employees, "sales_trend": data.sales_trend or None,
              "jobs_retained": data.jobs_retained, "findings": (data.findings or "").strip() or None}
    check_version(followup, expected_version, values)
    checks = Checks()  # every independent problem at once, each beside its field
    if followup.completed_on is not None:
        checks.fail("このフォローアップは既に完了しています。", "completed_on")
    if by is not None and data.completed_on > today_jst() + dt.timedelta(days=1):
        checks.fail("実施日が未来の日付です。", "completed_on")
    if followup.case is not None and data.completed_on < followup.case.opened_on:
        checks.fail("実施日が案件の開始日より前です。", "completed_on")
    if values["sales_trend"] is not None and values["sales_trend"] not in SALES_TRENDS:
        checks.fail("売上の傾向が不正です。", "sales_trend")
    for name, label in (("employees", "従業員数"), ("jobs_retained", "維持された雇用")):
        if values[name] is not None and values[name] < 0:
            checks.fail(f"{label}は0以上にしてください。", name)
    if values["still_in_business"] is False and values["jobs_retained"]:
        checks.fail("廃業している場合、維持された雇用は0です。", "jobs_retained")
    checks.raise_if_any()
    for key, value in values.items():
        setattr(followup, key, value)
    followup.completed_by_id = getattr(by, "id", None)
    audit.record("complete", followup, user=by, detail={k: audit._plain(v) for k, v in values.items()})
    return followup


def void_followup(followup: FollowUp, reason: str, by: User, *, expected_version: int | None = None) -> list:
    return void_record(followup, reason, by, expected_version=expected_version)


# --- lists -----------------------------------------------------------------------------------

@dataclass
class FollowUpFilter:
    scope: str = "mine"  # mine / all (every follow-up of the centers the user sees)
    status: str = "open"  # open / done / all
    center_id: int | None = None
    source: str | None = None  # manual / auto
    due_from: dt.date | None = None
    due_to: dt.date | None = None


def followup_list_query(user: User, f: FollowUpFilter, today: dt.date | None = None):
    today = today or today_jst()
    stmt = (visible_with_client(FollowUp, user)
            .options(selectinload(FollowUp.client), selectinload(FollowUp.center), selectinload(FollowUp.assignee)))
    if f.scope != "all":
        stmt = stmt.where(FollowUp.assignee_id == user.id)
    if f.status == "open":
        stmt = stmt.where(FollowUp.completed_on.is_(None))
    elif f.status == "done":
        stmt = stmt.where(FollowUp.completed_on.is_not(None))
    stmt = where_equal(stmt, (FollowUp.center_id, f.center_id))
    if f.source == "manual":
        stmt = stmt.where(FollowUp.source == "manual")
    elif f.source == "auto":
        stmt = stmt.where(FollowUp.source != "manual")
    stmt = where_within(stmt, FollowUp.due_on, f.due_from, f.due_to)
    overdue_first = sql_case((FollowUp.completed_on.is_(None) & (FollowUp.due_on < today), 0), else_=1)
    return stmt.order_by(overdue_first, FollowUp.due_on, FollowUp.id)


def followups_of_case(user: User, case_id: int) -> list[FollowUp]:
    return list(db.session.scalars(select(FollowUp).where(FollowUp.case_id == case_id, and_visible(FollowUp, user))
                                   .order_by(FollowUp.due_on)))
