"""Expert dispatch (専門家派遣): the expert registry, requests and their approval, visits with
fees and the company's share, the expert's report, and the fiscal-year figures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..access import and_visible, can_see_center, visible_with_client
from ..dates import today_jst
from ..extensions import db
from ..models import (
    DISPATCH_STATUSES, Case, Center, Client, Dispatch, DispatchProgram, DispatchVisit, Expert, User,
)
from ..permissions import can
from . import audit
from .errors import Checks, DomainError
from .filters import where_equal, where_within
from .locking import apply_values, check_version
from .voiding import void_record
from ..searchindex import search_terms

EXPERT_MANAGERS_ONLY = "専門家の登録・変更（謝金を含む）は統括責任者または管理者が行います。"


def _require_expert_manager(by: User | None) -> None:
    if by is not None and not can(by, "expert.manage"):
        raise DomainError(EXPERT_MANAGERS_ONLY)


# --- expert registry -------------------------------------------------------------------------

@dataclass
class ExpertData:
    name: str
    organisation: str | None = None
    specialties: str | None = None
    fee_per_visit: int | None = None
    active: bool = True

    def cleaned(self) -> dict:
        values = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in self.__dict__.items()}
        if not values["name"]:
            raise DomainError("氏名を入力してください。", "name")
        if values["fee_per_visit"] is not None and values["fee_per_visit"] < 0:
            raise DomainError("謝金は0以上にしてください。", "fee_per_visit")
        return values


def _unique_name(name: str, expert_id: int | None = None) -> None:
    other = db.session.scalar(select(Expert.id).where(Expert.name == name))
    if other is not None and other != expert_id:
        raise DomainError(f"「{name}」は既に登録されています。", "name")


def register_expert(data: ExpertData, by: User | None = None) -> Expert:
    _require_expert_manager(by)
    values = data.cleaned()
    _unique_name(values["name"])
    expert = Expert(**values)
    db.session.add(expert)
    db.session.flush()
    audit.record("create", expert, user=by, detail={"name": expert.name})
    return expert


def update_expert(expert: Expert, data: ExpertData, *, expected_version: int | None, by: User | None = None) -> Expert:
    _require_expert_manager(by)
    values = data.cleaned()
    _unique_name(values["name"], expert.id)
    apply_values(expert, values, expected_version=expected_version, by=by)
    return expert


def expert_list_query(q: str | None = None, active_only: bool = False):
    stmt = select(Expert)
    if active_only:
        stmt = stmt.where(Expert.active)
    for term in search_terms(q, folded=False):
        like = f"%{term}%"
        stmt = stmt.where(Expert.name.like(like) | Expert.organisation.like(like) | Expert.specialties.like(like))
    return stmt.order_by(Expert.active.desc(), Expert.name)


def expert_choices() -> list[tuple[int, str]]:
    """Every expert as (id, name), for the list's filter (those no longer active too)."""
    return [(id_, name) for id_, name in db.session.execute(
        select(Expert.id, Expert.name).order_by(Expert.active.desc(), Expert.name, Expert.id))]


# --- requests and decisions ------------------------------------------------------------------

@dataclass
class DispatchRequest:
    case_id: int
    expert_id: int
    requested_on: dt.date
    program_id: int | None = None
    purpose: str | None = None
    planned_visits: int | None = None


def default_program(center_id: int) -> DispatchProgram | None:
    return (db.session.scalar(select(DispatchProgram).where(DispatchProgram.center_id == center_id,
                                                            DispatchProgram.active).order_by(DispatchProgram.id))
            or db.session.scalar(select(DispatchProgram).where(DispatchProgram.active).order_by(DispatchProgram.id)))


def request_dispatch(data: DispatchRequest, by: User | None = None) -> Dispatch:
    case = db.session.get(Case, data.case_id) if data.case_id else None
    if case is None or case.voided_at is not None or (by is not None and not can_see_center(by, case.center_id)):
        raise DomainError("案件が見つかりません。", "case_id")
    if case.closed_on is not None:
        raise DomainError("終了した案件には派遣を申請できません。", "case_id")
    checks = Checks()  # every independent problem at once, each beside its field
    expert = db.session.get(Expert, data.expert_id) if data.expert_id else None
    if expert is None or not expert.active:
        checks.fail("専門家を選んでください（登録済みで有効な専門家）。", "expert_id")
    program = db.session.get(DispatchProgram, data.program_id) if data.program_id else default_program(case.center_id)
    if program is None or not program.active:
        checks.fail("派遣事業を選んでください。", "program_id")
    if data.planned_visits is not None and data.planned_visits < 1:
        checks.fail("予定回数は1回以上にしてください。", "planned_visits")
    if data.requested_on < case.opened_on:
        checks.fail("申請日が案件の開始日より前です。", "requested_on")
    checks.raise_if_any()
    dispatch = Dispatch(case_id=case.id, client_id=case.client_id, center_id=case.center_id, expert_id=expert.id,
                        program_id=program.id, purpose=(data.purpose or "").strip() or None,
                        planned_visits=data.planned_visits, requested_on=data.requested_on,
                        requested_by_id=getattr(by, "id", None), status="requested")
    db.session.add(dispatch)
    db.session.flush()
    audit.record("create", dispatch, user=by, detail={"case_id": case.id, "expert_id": expert.id})
    return dispatch


def decide_dispatch(dispatch: Dispatch, *, approve: bool, decided_on: dt.date, note: str | None = None,
                    expected_version: int | None = None, by: User | None = None) -> Dispatch:
    """Approval is a manager's (or admin's) decision, never the requester's own."""
    if by is not None and not can(by, "dispatch.decide"):
        raise DomainError("派遣の承認・却下は統括責任者または管理者が行います。", "decision")
    check_version(dispatch, expected_version)
    if dispatch.status != "requested":
        raise DomainError(f"この派遣は既に{DISPATCH_STATUSES[dispatch.status]}です。", "decision")
    if decided_on < dispatch.requested_on:
        raise DomainError("決定日が申請日より前です。", "decided_on")
    if not approve and not (note or "").strip():
        raise DomainError("却下の理由を入力してください。", "note")
    dispatch.status = "approved" if approve else "rejected"
    dispatch.decided_on, dispatch.decided_by_id = decided_on, getattr(by, "id", None)
    dispatch.decision_note = (note or "").strip() or None
    audit.record("approve" if approve else "reject", dispatch, user=by, detail={"note": dispatch.decision_note})
    return dispatch


def complete_dispatch(dispatch: Dispatch, *, expected_version: int | None = None, by: User | None = None) -> Dispatch:
    check_version(dispatch, expected_version)
    if dispatch.status != "approved":
        raise DomainError("承認済みの派遣だけを完了にできます。", "status")
    dispatch.status = "completed"
    audit.record("complete", dispatch, user=by)
    return dispatch


def void_dispatch(dispatch: Dispatch, reason: str, by: User, *, expected_version: int | None = None) -> list:
    """Voids its visits (and their open report follow-ups) too."""
    return void_record(dispatch, reason, by, expected_version=expected_version)


# --- visits ----------------------------------------------------------------------------------

@dataclass
class VisitData:
    held_on: dt.date
    hours: float | None = None
    fee: int | None = None  # None: the expert's fee per visit
    company_share: int | None = None  # None: computed from the program's ratio
    notes: str | None = None


def company_share_of(fee: int | None, program: DispatchProgram | None) -> int | None:
    """The company's share of the fee: fee × numerator / denominator, rounded down to the yen."""
    if fee is None:
        return None
    num, den = (program.share_numerator, program.share_denominator) if program else (1, 3)
    return fee * num // den


def log_visit(dispatch: Dispatch, data: VisitData, by: User | None = None, ref: str | None = None) -> DispatchVisit:
    if dispatch.status not in ("approved", "completed") or dispatch.voided_at is not None:
        raise DomainError("承認された派遣にだけ訪問を記録できます。", "held_on")
    checks = Checks()  # every independent problem at once, each beside its field
    if data.held_on < dispatch.requested_on:
        checks.fail("訪問日が申請日より前です。", "held_on")
    if by is not None and data.held_on > today_jst() + dt.timedelta(days=1):
        checks.fail("訪問日が未来の日付です。", "held_on")
    if data.hours is not None and not 0 < data.hours <= 24:
        checks.fail("時間は0より大きく24以下にしてください。", "hours")
    fee = data.fee if data.fee is not None else dispatch.expert.fee_per_visit
    if fee is None:
        checks.fail("謝金を入力してください（専門家に標準謝金が登録されていません）。", "fee")
    elif fee < 0:
        checks.fail("謝金は0以上にしてください。", "fee")
    share = data.company_share if data.company_share is not None else company_share_of(fee, dispatch.program)
    if share is not None and fee is not None and fee >= 0 and (share < 0 or share > fee):
        checks.fail("企業負担額は0以上、謝金以下にしてください。", "company_share")
    checks.raise_if_any()
    due_days = dispatch.program.report_due_days if dispatch.program else 14
    visit = DispatchVisit(ref=ref, dispatch_id=dispatch.id, case_id=dispatch.case_id, client_id=dispatch.client_id,
                          center_id=dispatch.center_id, expert_id=dispatch.expert_id, held_on=data.held_on,
                          hours=data.hours, fee=fee, company_share=share,
                          report_due_on=data.held_on + dt.timedelta(days=due_days),
                          notes=(data.notes or "").strip() or None)
    db.session.add(visit)
    case = dispatch.case
    if case.last_activity_on is None or data.held_on > case.last_activity_on:
        case.last_activity_on = data.held_on
    db.session.flush()
    audit.record("create", visit, user=by, detail={"dispatch_id": dispatch.id, "fee": fee, "company_share": share})
    from .followups import create_report_followup

    create_report_followup(visit, dispatch, by)
    return visit


def receive_report(visit: DispatchVisit, received_on: dt.date, *, expected_version: int | None = None,
                   by: User | None = None) -> DispatchVisit:
    check_version(visit, expected_version)
    if received_on < visit.held_on:
        raise DomainError("受領日が訪問日より前です。", "received_on")
    if visit.report_received_on is not None:
        raise DomainError("報告書は既に受領済みです。", "received_on")
    visit.report_received_on = received_on
    audit.record("report_received", visit, user=by, detail={"received_on": str(received_on)})
    from .followups import complete_report_followup

    complete_report_followup(visit, received_on, by)
    return visit


def void_visit(visit: DispatchVisit, reason: str, by: User, *, expected_version: int | None = None) -> list:
    """Voids its open report follow-up too."""
    return void_record(visit, reason, by, expected_version=expected_version)


def visits_of(dispatch: Dispatch) -> list[DispatchVisit]:
    return list(db.session.scalars(select(DispatchVisit).where(DispatchVisit.dispatch_id == dispatch.id,
                                                               DispatchVisit.voided_at.is_(None))
                                   .order_by(DispatchVisit.held_on, DispatchVisit.id)))


# --- lists and figures -----------------------------------------------------------------------

@dataclass
class DispatchFilter:
    center_id: int | None = None
    status: str | None = None
    expert_id: int | None = None
    requested_from: dt.date | None = None
    requested_to: dt.date | None = None
    q: str | None = None
    report_overdue: bool = False


def dispatch_list_query(user: User, f: DispatchFilter, today: dt.date | None = None):
    stmt = (visible_with_client(Dispatch, user)
            .options(selectinload(Dispatch.client), selectinload(Dispatch.center), selectinload(Dispatch.expert),
                     selectinload(Dispatch.program)))
    stmt = where_equal(stmt, (Dispatch.center_id, f.center_id), (Dispatch.status, f.status),
                       (Dispatch.expert_id, f.expert_id))
    stmt = where_within(stmt, Dispatch.requested_on, f.requested_from, f.requested_to)
    for term in search_terms(f.q):
        stmt = stmt.where(Client.search_text.contains(term, autoescape=True))
    if f.report_overdue:
        stmt = stmt.where(select(DispatchVisit.id).where(
            DispatchVisit.dispatch_id == Dispatch.id, DispatchVisit.voided_at.is_(None),
            DispatchVisit.report_received_on.is_(None),
            DispatchVisit.report_due_on < (today or today_jst())).exists())
    return stmt.order_by(Dispatch.requested_on.desc(), Dispatch.id.desc())


def visit_counts(dispatch_ids: list[int]) -> dict[int, int]:
    if not dispatch_ids:
        return {}
    rows = db.session.execute(select(DispatchVisit.dispatch_id, func.count()).where(
        DispatchVisit.dispatch_id.in_(dispatch_ids), DispatchVisit.voided_at.is_(None))
        .group_by(DispatchVisit.dispatch_id))
    return dict(rows.all())


def fiscal_year_stats(user: User, fy: int) -> dict:
    """派遣延べ回数, 企業数 (distinct), 謝金 and 企業負担 by center and by program, over the centers
    the user sees. The counting rules are metrics in casework/reporting/dispatch_stats.py."""
    from ..access import visible_center_ids
    from ..reporting.dispatch_stats import fiscal_year_dispatch_stats

    ids = visible_center_ids(user)
    codes = None if ids is None else set(db.session.scalars(select(Center.code).where(Center.id.in_(ids or [-1]))))
    return fiscal_year_dispatch_stats(fy, codes)


def programs() -> list[DispatchProgram]:
    return list(db.session.scalars(select(DispatchProgram).where(DispatchProgram.active).order_by(DispatchProgram.id)))


def open_cases_for(user: User, limit: int = 500) -> list[Case]:
    """Open cases a dispatch can be requested on, for the request form's choices."""
    return list(db.session.scalars(
        select(Case).join(Client, Case.client_id == Client.id)
        .where(and_visible(Case, user), Case.closed_on.is_(None), Client.voided_at.is_(None))
        .options(selectinload(Case.client), selectinload(Case.center))
        .order_by(Client.name_kana, Case.id).limit(limit)))


# --- the expert's report file ----------------------------------------------------------------

def attach_report(visit: DispatchVisit, name: str, data: bytes, *, by: User | None,
                  max_bytes: int | None = None):
    """The report file received for a visit: a document of its dispatch (services/attachments.py
    checks and keeps it, and `casework backup` carries it), labelled with the visit's date."""
    from . import attachments

    return attachments.attach_file(visit.dispatch, name, data, by=by, max_bytes=max_bytes,
                                   label=f"報告書（訪問 {visit.held_on:%Y-%m-%d}）")
