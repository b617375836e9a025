"""Founders (創業支援): a startup case's stages 相談 → 事業計画 → 資金計画 → 創業, the founding
itself (which closes the case with outcome `founded`), and grants such as 移住起業支援金."""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import and_visible
from ..dates import today_jst
from ..extensions import db
from ..models import FOUNDER_STAGES, Case, CaseStageChange, Center, Client, Founding, Grant, Industry, User
from ..textnorm import client_search_text, valid_corporate_number
from . import audit
from .cases import close_case
from .errors import Checks, DomainError
from .filters import where_equal, where_within
from .locking import check_version
from .voiding import void_record
from ..searchindex import search_terms

STAGE_ORDER = list(FOUNDER_STAGES)
GRANT_DECISIONS = {"adopted": "採択", "rejected": "不採択"}
DEFAULT_GRANT_PROGRAM = "移住起業支援金"


def is_founder_case(case: Case) -> bool:
    return case.center.code == "startup" or case.stage is not None


def _require_founder_case(case: Case) -> None:
    if case is None or case.voided_at is not None or not is_founder_case(case):
        raise DomainError("創業支援の案件ではありません。", "case_id")


def stage_history(case: Case) -> list[CaseStageChange]:
    return list(db.session.scalars(select(CaseStageChange).where(CaseStageChange.case_id == case.id)
                                   .order_by(CaseStageChange.changed_on, CaseStageChange.id)))


def _record_stage(case: Case, stage: str, on: dt.date, by: User | None, note: str | None) -> CaseStageChange:
    change = CaseStageChange(case_id=case.id, stage=stage, changed_on=on, changed_by_id=getattr(by, "id", None),
                             note=(note or "").strip() or None)
    db.session.add(change)
    before = case.stage
    case.stage = stage
    db.session.flush()
    audit.record("stage", case, user=by, detail={"from": before, "to": stage, "on": str(on)})
    return change


def later_stages(case: Case) -> list[str]:
    """The stages a founder may still be moved to by hand (創業 is recorded with record_founding)."""
    current = STAGE_ORDER.index(case.stage or "consultation")
    return [s for s in STAGE_ORDER[current + 1:] if s != "founded"]


def advance_stage(case: Case, stage: str, changed_on: dt.date, *, note: str | None = None,
                  expected_version: int | None = None, by: User | None = None) -> CaseStageChange:
    """Move a founder forward (stages may be skipped, never gone back); 創業 is recorded with
    record_founding, which captures the new business."""
    _require_founder_case(case)
    check_version(case, expected_version)
    if case.closed_on is not None:
        raise DomainError("終了した案件の段階は変えられません。", "stage")
    checks = Checks()  # every independent problem at once, each beside its field
    if stage not in FOUNDER_STAGES or stage == "founded":
        checks.fail("段階を選んでください（創業は「創業を記録」から）。", "stage")
    elif STAGE_ORDER.index(stage) <= STAGE_ORDER.index(case.stage or "consultation"):
        checks.fail(f"「{FOUNDER_STAGES[case.stage or 'consultation']}」より先の段階を選んでください。", "stage")
    checks.collect(_check_date, case, changed_on, "changed_on", by)
    checks.raise_if_any()
    return _record_stage(case, stage, changed_on, by, note)


def _check_date(case: Case, on: dt.date, field: str, by: User | None) -> None:
    if on < case.opened_on:
        raise DomainError("日付が案件の開始日より前です。", field)
    last = db.session.scalar(select(CaseStageChange.changed_on).where(CaseStageChange.case_id == case.id)
                             .order_by(CaseStageChange.changed_on.desc()).limit(1))
    if last and on < last:
        raise DomainError(f"日付が前の段階（{last:%Y-%m-%d}）より前です。", field)
    if by is not None and on > today_jst() + dt.timedelta(days=1):
        raise DomainError("未来の日付です。", field)


@dataclass
class FoundingData:
    founded_on: dt.date
    business_name: str
    incorporated: bool = False
    corporate_number: str | None = None
    industry_code: str | None = None
    note: str | None = None


def record_founding(case: Case, data: FoundingData, *, expected_version: int | None = None,
                    by: User | None = None) -> Founding:
    """創業: the stage change, the founding record, and the case closed with outcome `founded`
    (outcome_on = founding date) through close_case, so the follow-ups follow."""
    _require_founder_case(case)
    check_version(case, expected_version)
    if case.closed_on is not None or db.session.scalar(select(Founding.id).where(Founding.case_id == case.id)):
        raise DomainError("この案件は既に終了しています。", "founded_on")
    name = (data.business_name or "").strip()
    checks = Checks()  # every independent problem at once, each beside its field
    if not name:
        checks.fail("事業者名（屋号・法人名）を入力してください。", "business_name")
    number = unicodedata.normalize("NFKC", data.corporate_number or "").replace("-", "").replace(" ", "") or None
    if data.incorporated and number is None:
        checks.fail("法人設立の場合は法人番号を入力してください。", "corporate_number")
    if number is not None and not valid_corporate_number(number):
        checks.fail("法人番号が正しくありません（13桁・チェックディジットを確認してください）。", "corporate_number")
    if data.industry_code and db.session.get(Industry, data.industry_code) is None:
        checks.fail("業種が見つかりません。", "industry_code")
    checks.collect(_check_date, case, data.founded_on, "founded_on", by)
    checks.raise_if_any()
    founding = Founding(case_id=case.id, founded_on=data.founded_on, business_name=name,
                        corporate_number=number, industry_code=data.industry_code or None)
    db.session.add(founding)
    _update_founded_client(case, data, number, by)
    _record_stage(case, "founded", data.founded_on, by, data.note)
    audit.record("create", founding, user=by, center_id=case.center_id,
                 detail={"case_id": case.id, "business_name": name, "corporate_number": number})
    close_case(case, closed_on=data.founded_on, outcome_code="founded", outcome_on=data.founded_on,
               note=f"創業: {name}", by=by)
    return founding


def _update_founded_client(case: Case, data: FoundingData, number: str | None, by: User | None) -> None:
    """The founder is a company now: 区分 (法人 / 個人事業主), 法人番号 and the founding date move to
    the client; what it was before stays on the audit log (and the founding record)."""
    client = case.client
    values = {"kind": "corporation" if data.incorporated else "sole_proprietor", "founded_on": data.founded_on}
    if number and not client.corporate_number:
        values["corporate_number"] = number
    if data.industry_code and not client.industry_code:
        values["industry_code"] = data.industry_code
    diff = audit.changes(client, values)
    if diff:
        for name, value in values.items():
            setattr(client, name, value)
        if "corporate_number" in diff:
            client.search_text = client_search_text(client.name, client.name_kana, client.corporate_number)
        audit.record("change", client, user=by, detail={**diff, "reason": "創業の記録"})


def founding_of(case: Case) -> Founding | None:
    return db.session.scalar(select(Founding).where(Founding.case_id == case.id))


# --- grants ----------------------------------------------------------------------------------

@dataclass
class GrantData:
    applied_on: dt.date
    program: str = DEFAULT_GRANT_PROGRAM


def apply_grant(case: Case, data: GrantData, by: User | None = None) -> Grant:
    if case is None or case.voided_at is not None:
        raise DomainError("案件が見つかりません。", "case_id")
    program = (data.program or "").strip()
    checks = Checks()  # every independent problem at once, each beside its field
    if not program:
        checks.fail("制度名を入力してください。", "program")
    if data.applied_on < case.opened_on:
        checks.fail("申請日が案件の開始日より前です。", "applied_on")
    if by is not None and data.applied_on > today_jst() + dt.timedelta(days=1):
        checks.fail("申請日が未来の日付です。", "applied_on")
    checks.raise_if_any()
    grant = Grant(client_id=case.client_id, case_id=case.id, center_id=case.center_id, program=program,
                  applied_on=data.applied_on)
    db.session.add(grant)
    db.session.flush()
    audit.record("create", grant, user=by, detail={"program": program, "case_id": case.id})
    return grant


def decide_grant(grant: Grant, *, decision: str, decided_on: dt.date, amount: int | None,
                 expected_version: int | None = None, by: User | None = None) -> Grant:
    check_version(grant, expected_version, {"decision": decision, "amount": amount})
    checks = Checks()  # every independent problem at once, each beside its field
    if decision not in GRANT_DECISIONS:
        checks.fail("採択・不採択を選んでください。", "decision")
    if decided_on < grant.applied_on:
        checks.fail("決定日が申請日より前です。", "decided_on")
    if decision == "adopted" and (amount is None or amount <= 0):
        checks.fail("採択の場合は交付額（1円以上）を入力してください。", "amount")
    if decision == "rejected" and amount:
        checks.fail("不採択の場合、交付額は入力しません。", "amount")
    checks.raise_if_any()
    diff = audit.changes(grant, {"decision": decision, "decided_on": decided_on, "amount": amount})
    grant.decision, grant.decided_on = decision, decided_on
    grant.amount = amount if decision == "adopted" else None
    audit.record("decide", grant, user=by, detail=diff)
    return grant


def void_grant(grant: Grant, reason: str, by: User, *, expected_version: int | None = None) -> list:
    return void_record(grant, reason, by, expected_version=expected_version)


def grants_of(case: Case) -> list[Grant]:
    return list(db.session.scalars(select(Grant).where(Grant.case_id == case.id, Grant.voided_at.is_(None))
                                   .order_by(Grant.applied_on, Grant.id)))


# --- list ------------------------------------------------------------------------------------

def founder_list_query(user: User, stage: str | None = None, status: str | None = None, q: str | None = None,
                       assignee_id: int | None = None, opened_from: dt.date | None = None,
                       opened_to: dt.date | None = None):
    stmt = (select(Case).join(Client, Case.client_id == Client.id).join(Center, Case.center_id == Center.id)
            .where(and_visible(Case, user), Client.voided_at.is_(None), Center.code == "startup")
            .options(selectinload(Case.client), selectinload(Case.assignee)))
    if stage:
        stmt = stmt.where(Case.stage == stage)
    if status == "open":
        stmt = stmt.where(Case.closed_on.is_(None))
    elif status == "closed":
        stmt = stmt.where(Case.closed_on.is_not(None))
    stmt = where_equal(stmt, (Case.assignee_id, assignee_id))
    stmt = where_within(stmt, Case.opened_on, opened_from, opened_to)
    for term in search_terms(q):
        stmt = stmt.where(Client.search_text.contains(term, autoescape=True))
    return stmt.order_by(Case.closed_on.is_not(None), Case.opened_on.desc(), Case.id.desc())
