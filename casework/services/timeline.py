"""What a client page shows: the client's cases, and one chronological timeline of every
consultation, dispatch, diagnosis, stage change, deal step, follow-up, grant and referral of
the client across centers, limited to what the viewer may see (succession items only for
succession members and admins). Showing confidential items is audited."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import and_visible, confidential_center_ids, sees_succession
from ..extensions import db
from ..models import (
    DEAL_STAGES, DISPATCH_STATUSES, FOUNDER_STAGES, Case, CaseStageChange, Client, Consultation, Deal, DealStep,
    Diagnosis, Dispatch, DispatchVisit, FollowUp, Grant, MatchProfile, Referral, User,
)
from . import audit


@dataclass
class Entry:
    on: dt.date
    kind: str
    center: str
    text: str
    endpoint: str | None = None
    args: dict = field(default_factory=dict)
    confidential: bool = False
    order: int = 0


def client_overview(user: User, client: Client, consultation_limit: int = 50) -> dict:
    cases = list(db.session.scalars(
        select(Case).where(Case.client_id == client.id, and_visible(Case, user))
        .options(selectinload(Case.center), selectinload(Case.assignee))
        .order_by(Case.opened_on.desc(), Case.id.desc())))
    consultations = list(db.session.scalars(
        select(Consultation).where(Consultation.client_id == client.id, and_visible(Consultation, user))
        .options(selectinload(Consultation.center), selectinload(Consultation.staff),
                 selectinload(Consultation.channel))
        .order_by(Consultation.held_on.desc(), Consultation.id.desc()).limit(consultation_limit)))
    entries = client_timeline(user, client)
    confidential = [e for e in entries if e.confidential]
    if any(c.center.confidential for c in cases) or confidential:
        audit.note_view(client, detail={
            "confidential_cases": [c.id for c in cases if c.center.confidential],
            "confidential_timeline_items": len(confidential)})
    return {"cases": cases, "consultations": consultations, "timeline": entries,
            "sees_succession": sees_succession(user)}


def client_timeline(user: User, client: Client, limit: int = 500) -> list[Entry]:
    entries: list[Entry] = []
    cid = client.id

    for c in db.session.scalars(select(Consultation).where(Consultation.client_id == cid, and_visible(Consultation, user))
                                .options(selectinload(Consultation.center), selectinload(Consultation.channel),
                                         selectinload(Consultation.staff))):
        themes = "・".join(t.label for t in c.themes)
        entries.append(Entry(c.held_on, "相談", c.center.name,
                             f"{c.channel.label}{'（' + themes + '）' if themes else ''} {c.staff.name if c.staff else ''} {c.notes or ''}".strip(),
                             confidential=c.center.confidential, order=1))

    for d in db.session.scalars(select(Dispatch).where(Dispatch.client_id == cid, and_visible(Dispatch, user))
                                .options(selectinload(Dispatch.center), selectinload(Dispatch.expert))):
        entries.append(Entry(d.requested_on, "派遣申請", d.center.name, f"{d.expert.name}（{DISPATCH_STATUSES[d.status]}）",
                             "dispatch.detail", {"dispatch_id": d.id}, d.center.confidential, 2))
    for v in db.session.scalars(select(DispatchVisit).where(DispatchVisit.client_id == cid, and_visible(DispatchVisit, user))
                                .options(selectinload(DispatchVisit.center), selectinload(DispatchVisit.expert))):
        report = f"報告書受領 {v.report_received_on:%Y-%m-%d}" if v.report_received_on else f"報告書期限 {v.report_due_on:%Y-%m-%d}"
        entries.append(Entry(v.held_on, "専門家派遣", v.center.name, f"{v.expert.name} 訪問（{report}）",
                             "dispatch.detail", {"dispatch_id": v.dispatch_id} if v.dispatch_id else {},
                             v.center.confidential, 3))

    conf_ids = confidential_center_ids(user) if sees_succession(user) else []
    if conf_ids:
        for g in db.session.scalars(select(Diagnosis).where(
                Diagnosis.client_id == cid, Diagnosis.voided_at.is_(None),
                Diagnosis.center_id.in_(conf_ids) | Diagnosis.center_id.is_(None))):
            entries.append(Entry(g.held_on, "事業承継診断", "事業承継・引継ぎ支援センター",
                                 f"{g.by_org or ''}：{g.result or ''}", confidential=True, order=4))

    for s in db.session.scalars(select(CaseStageChange).join(Case, CaseStageChange.case_id == Case.id)
                                .where(Case.client_id == cid, and_visible(Case, user))
                                .options(selectinload(CaseStageChange.changed_by))):
        case = db.session.get(Case, s.case_id)
        entries.append(Entry(s.changed_on, "段階", case.center.name,
                             f"{FOUNDER_STAGES.get(s.stage, s.stage)}へ {s.changed_by.name if s.changed_by else ''}".strip(),
                             "founders.detail", {"case_id": case.id}, case.center.confidential, 5))

    if conf_ids:
        profile_ids = select(MatchProfile.id).join(Case, MatchProfile.case_id == Case.id).where(
            Case.client_id == cid, MatchProfile.voided_at.is_(None))
        for step in db.session.scalars(
                select(DealStep).join(Deal, DealStep.deal_id == Deal.id)
                .where(Deal.voided_at.is_(None), Deal.center_id.in_(conf_ids),
                       Deal.seller_id.in_(profile_ids) | Deal.buyer_id.in_(profile_ids))
                .options(selectinload(DealStep.deal).selectinload(Deal.seller), selectinload(DealStep.by))):
            deal = step.deal
            entries.append(Entry(step.stepped_on, "M&A", "事業承継・引継ぎ支援センター",
                                 f"{deal.seller.code_name}→{deal.buyer.code_name}：{DEAL_STAGES[step.stage]}"
                                 f"{' ' + step.note if step.note else ''}", "succession.deal", {"deal_id": deal.id}, True, 6))

    for f in db.session.scalars(select(FollowUp).where(FollowUp.client_id == cid, and_visible(FollowUp, user))
                                .options(selectinload(FollowUp.center))):
        state = f"完了 {f.completed_on:%Y-%m-%d}" if f.completed_on else f"期日 {f.due_on:%Y-%m-%d}"
        entries.append(Entry(f.completed_on or f.due_on, "フォローアップ", f.center.name, f"{f.reason}（{state}）",
                             "followups.detail", {"followup_id": f.id}, f.center.confidential, 7))

    for g in db.session.scalars(select(Grant).where(Grant.client_id == cid, and_visible(Grant, user))):
        decision = {"adopted": "採択", "rejected": "不採択"}.get(g.decision or "", "審査中")
        amount = f" {g.amount:,}円" if g.amount else ""
        entries.append(Entry(g.decided_on or g.applied_on, "助成金", "", f"{g.program}（{decision}{amount}）",
                             "founders.detail", {"case_id": g.case_id} if g.case_id else {}, False, 8))

    from .referrals import visible_referral_filter

    for r in db.session.scalars(select(Referral).where(Referral.client_id == cid, visible_referral_filter(user))
                                .options(selectinload(Referral.from_center), selectinload(Referral.to_center))):
        entries.append(Entry(r.referred_on, "紹介", r.from_center.name,
                             f"{r.from_center.name} → {r.to_center.name}（同意 {r.consent_on:%Y-%m-%d}・{r.consent_method}）",
                             confidential=r.to_center.confidential or r.from_center.confidential, order=9))

    entries.sort(key=lambda e: (e.on, e.order), reverse=True)
    return entries[:limit]

