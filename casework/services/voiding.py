"""Voiding: records are never erased (style.md habit 5). One rule for every record type.

- Who: holders of the permission record.void (admins and managers) void any record they can see; other staff void the records they
  entered or are in charge of (ENTERED_BY). Clients, cases and dispatch requests: admins and
  managers only.
- What: a reason is required; the version the page was loaded with must still be current
  (optimistic locking); who, when and why are kept on the record (Voidable).
- Along with it: records that exist only because of this one are voided too (ALONG), e.g. the
  visits of a dispatch request, the report follow-up of a visit, the deals of an M&A profile.
- Audit: one 'void' entry per record, in the same transaction, with the reason and what went
  along; records of a confidential center (succession / M&A) are entered under that center and
  marked confidential.

Every list, count, timeline and match leaves voided rows out (access.and_visible,
reporting.metrics.record_conditions, the succession queries).
"""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import (
    DEAL_STAGES, PROFILE_SIDES, Case, Center, Client, Consultation, Deal, Diagnosis, Dispatch, DispatchVisit, Event,
    FollowUp, Grant, MatchProfile, Referral, User, utcnow,
)
from ..models import CaseMilestone, EventAttendance, Introduction, Program, Registration
from ..permissions import can
from . import audit
from .errors import DomainError
from .locking import check_version

# The user id that makes a record "theirs" for staff who are not admins or managers.
ENTERED_BY = {
    Consultation: lambda r: r.created_by_id,
    Event: lambda r: r.created_by_id,
    Diagnosis: lambda r: r.created_by_id,
    FollowUp: lambda r: r.assignee_id,
    Referral: lambda r: r.referred_by_id,
    Deal: lambda r: r.assignee_id,  # the proposer, unless reassigned
    DispatchVisit: lambda r: r.dispatch.requested_by_id if r.dispatch else None,  # who requested the dispatch logs its visits
    Grant: lambda r: (db.session.get(Case, r.case_id).assignee_id if r.case_id  # the IM in charge of the case
                      else r.created_by_id),
    MatchProfile: lambda r: r.case.assignee_id,
    Registration: lambda r: r.created_by_id,
    Introduction: lambda r: r.created_by_id,
    EventAttendance: lambda r: r.created_by_id,
    CaseMilestone: lambda r: r.created_by_id,
}

KIND_LABELS = {
    Client: "相談先", Case: "案件", Consultation: "相談記録", Event: "催し", Dispatch: "専門家派遣",
    DispatchVisit: "派遣の訪問記録", Diagnosis: "事業承継診断", MatchProfile: "譲渡・譲受希望", Deal: "ディール",
    Grant: "助成金の申請", FollowUp: "フォローアップ", Referral: "紹介",
    Registration: "登録企業", Introduction: "あっせん紹介", EventAttendance: "催しの参加企業", CaseMilestone: "案件の到達段階",
}


def kind_label(record) -> str:
    return KIND_LABELS.get(type(record), type(record).__name__)


def may_void(user: User, record=None) -> bool:
    if can(user, "record.void"):
        return True
    entered_by = ENTERED_BY.get(type(record))
    return entered_by is not None and entered_by(record) == user.id


def _confidential_center(center_id: int | None) -> bool:
    return center_id is not None and bool(db.session.scalar(select(Center.confidential).where(Center.id == center_id)))


def center_id_of(record) -> int | None:
    """The center a record's audit entry is filed under (a referral: the confidential end, if any)."""
    if isinstance(record, MatchProfile):
        return record.case.center_id
    if isinstance(record, Referral):
        return next((c for c in (record.to_center_id, record.from_center_id) if _confidential_center(c)),
                    record.from_center_id)
    return getattr(record, "center_id", None)


def is_confidential(record) -> bool:
    """Succession / M&A records: 事業承継診断, profiles and deals always, a client known to a
    confidential center, anything else when its center is confidential."""
    if isinstance(record, (Diagnosis, MatchProfile, Deal)):
        return True
    if isinstance(record, Client):
        from ..access import is_confidential_client

        return is_confidential_client(record)
    return _confidential_center(center_id_of(record)) or _confidential_program(record)


def _confidential_program(record) -> bool:
    """A record of a confidential program (中小企業活性化 …), wherever its center stands."""
    program_id = getattr(record, "program_id", None)
    if program_id is None and isinstance(record, EventAttendance):
        program_id = record.event.program_id
    return program_id is not None and bool(db.session.scalar(select(Program.confidential)
                                                             .where(Program.id == program_id)))


def along_with(record) -> list:
    """Live records that exist only because of `record` and are voided with it."""
    out = []
    if isinstance(record, Dispatch):
        for visit in db.session.scalars(select(DispatchVisit).where(DispatchVisit.dispatch_id == record.id,
                                                                    DispatchVisit.voided_at.is_(None))
                                        .order_by(DispatchVisit.held_on, DispatchVisit.id)):
            out += [visit, *along_with(visit)]
    elif isinstance(record, DispatchVisit):
        from .followups import report_key

        followup = db.session.scalar(select(FollowUp).where(FollowUp.source_key == report_key(record)))
        if followup is not None and followup.voided_at is None and followup.completed_on is None:
            out.append(followup)  # a completed one records a real contact and stays
    elif isinstance(record, Event):
        out += db.session.scalars(select(EventAttendance).where(EventAttendance.event_id == record.id,
                                                                EventAttendance.voided_at.is_(None))
                                  .order_by(EventAttendance.id))
    elif isinstance(record, Case):
        out += db.session.scalars(select(CaseMilestone).where(CaseMilestone.case_id == record.id,
                                                              CaseMilestone.voided_at.is_(None))
                                  .order_by(CaseMilestone.id))
    elif isinstance(record, MatchProfile):
        out += db.session.scalars(select(Deal).where((Deal.seller_id == record.id) | (Deal.buyer_id == record.id),
                                                     Deal.voided_at.is_(None)).order_by(Deal.id))
    return out


_DESCRIBE = {
    DispatchVisit: lambda r: f"訪問 {r.held_on:%Y-%m-%d}（{r.expert.name}）",
    FollowUp: lambda r: f"フォローアップ 期日 {r.due_on:%Y-%m-%d}「{r.reason}」",
    Deal: lambda r: f"ディール {r.seller.code_name} → {r.buyer.code_name}（{DEAL_STAGES[r.stage]}）",
    MatchProfile: lambda r: f"{PROFILE_SIDES[r.side]} {r.code_name}",
    EventAttendance: lambda r: f"参加企業 {r.company_label}",
    CaseMilestone: lambda r: f"到達段階「{r.milestone.label}」{r.achieved_on:%Y-%m-%d}",
}


def describe(record) -> str:
    """One line naming a record on the void page and in messages (code names only for M&A)."""
    text = _DESCRIBE.get(type(record))
    return text(record) if text is not None else kind_label(record)


def void_record(record, reason: str | None, by: User, *, expected_version: int | None = None) -> list:
    """Void `record` (and what goes along with it); returns the records voided along."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("取消の理由を入力してください。", "reason")
    if not may_void(by, record):
        raise DomainError("この記録を取り消せるのは、記録した職員・担当者と統括責任者・管理者です。")
    check_version(record, expected_version)
    if record.voided_at is not None:
        raise DomainError("この記録は既に取り消されています。")
    along = along_with(record)
    _mark(record, by, reason, {"reason": reason, "along": [f"{type(r).__name__}:{r.id}" for r in along] or None})
    for other in along:
        _mark(other, by, f"{kind_label(record)}の取消に伴う取消（{reason}）",
              {"auto": True, "with": f"{type(record).__name__}:{record.id}"})
    return along


def _mark(record, by: User, reason: str, detail: dict) -> None:
    record.voided_at, record.voided_by_id, record.void_reason = utcnow(), by.id, reason
    detail = {k: v for k, v in detail.items() if v is not None}
    if is_confidential(record):
        detail["confidential"] = True
    audit.record("void", record, user=by, center_id=center_id_of(record), detail=detail)
