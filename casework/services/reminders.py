"""Reminders: the morning digest (one Notification per user, item and day) and stale-case flags.

Who is told what follows casework/access.py: a user is reminded only of records in centers
they may see (confidential succession/M&A records reach succession members only).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, has_request_context
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from ..access import can_see_center
from ..dates import JST
from ..extensions import db
from ..models import (
    DEAL_STAGES, Case, Center, Client, Consultation, Deal, Dispatch, DispatchVisit, FollowUp, MatchProfile,
    Notification, TallySnapshot, User, memberships, utcnow,
)

KINDS = {
    "followup_due": "フォローアップ（本日期限）",
    "followup_overdue": "フォローアップ（期限超過）",
    "report_overdue": "専門家報告書の未提出",
    "deal_idle": "M&A 案件の停滞",
    "founder_no_contact": "創業者との接触なし",
    "next_action": "次回対応日の到来",
    "stale_case": "長期間動きのない案件",
    "dispatch_pending": "専門家派遣の承認待ち",
    "tally_open": "月次集計の締め",
    "referral": "センター間の紹介",
    "duplicate_check": "相談先の重複の確認",
}


@dataclass
class Item:
    user_id: int
    kind: str
    key: str  # what it is about, e.g. "followup:12"
    title: str
    body: str | None
    link: str | None
    center_id: int | None


# ---------------------------------------------------------------------------------------------
# The morning digest
# ---------------------------------------------------------------------------------------------

def build_digest(day: dt.date) -> dict:
    """Write today's reminders as notifications; safe to run twice (existing ones are kept)."""
    cfg = current_app.config
    items = (list(_followups(day)) + list(_reports_overdue(day))
             + list(_deals_idle(day, int(cfg["DEAL_IDLE_DAYS"])))
             + list(_founders_without_contact(day, int(cfg["FOUNDER_NO_CONTACT_DAYS"])))
             + list(_next_actions(day)) + list(_dispatches_pending(day)) + list(_months_to_close(day)))
    created = save_items(items, day)
    return {"items": len(items), "created": created,
            "users": len({i.user_id for i in items})}


def save_items(items: list[Item], day: dt.date) -> int:
    """Insert the notifications not already there for (user, item, day); older unread ones about
    the same item are superseded (marked read) so the bell counts today's list only."""
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({i.user_id for i in items} or [-1])))}
    existing = set(db.session.execute(
        select(Notification.user_id, Notification.item_key).where(Notification.digest_on == day)).all())
    created = 0
    for item in items:
        user = users.get(item.user_id)
        if user is None or not user.active or (item.user_id, item.key) in existing:
            continue
        if item.center_id is not None and not can_see_center(user, item.center_id):
            continue  # nobody is told about records they may not see
        existing.add((item.user_id, item.key))
        db.session.execute(update(Notification).where(
            Notification.user_id == item.user_id, Notification.item_key == item.key,
            Notification.read_at.is_(None), Notification.digest_on < day).values(read_at=utcnow()))
        db.session.add(Notification(user_id=item.user_id, kind=item.kind, title=item.title, body=item.body,
                                    link=item.link, digest_on=day, item_key=item.key))
        created += 1
    db.session.flush()
    return created


def _followups(day: dt.date):
    rows = db.session.execute(
        select(FollowUp, Client.name).join(Client, FollowUp.client_id == Client.id)
        .where(FollowUp.voided_at.is_(None), FollowUp.completed_on.is_(None), FollowUp.assignee_id.is_not(None),
               FollowUp.due_on <= day, Client.voided_at.is_(None))
        .order_by(FollowUp.due_on, FollowUp.id))
    for f, client_name in rows:
        overdue = f.due_on < day
        if overdue and (f.source_key or "").startswith("dispatch_report:"):
            continue  # an overdue expert report is reminded as such (report_overdue), to more people
        when = f"期限 {f.due_on:%Y-%m-%d}" + (f"（{(day - f.due_on).days}日超過）" if overdue else "（本日）")
        yield Item(f.assignee_id, "followup_overdue" if overdue else "followup_due", f"followup:{f.id}",
                   f"フォローアップ: {client_name} — {f.reason}", when,
                   record_link("followup", f.id, case_id=f.case_id, client_id=f.client_id), f.center_id)


def _center_members(center_ids) -> dict[int, list[int]]:
    rows = db.session.execute(select(memberships.c.center_id, memberships.c.user_id)
                              .where(memberships.c.center_id.in_(set(center_ids) or [-1])))
    members: dict[int, list[int]] = {}
    for center_id, user_id in rows:
        members.setdefault(center_id, []).append(user_id)
    return members


def _reports_overdue(day: dt.date):
    rows = list(db.session.execute(
        select(DispatchVisit, Client.name, Dispatch.requested_by_id)
        .join(Client, DispatchVisit.client_id == Client.id)
        .outerjoin(Dispatch, DispatchVisit.dispatch_id == Dispatch.id)
        .where(DispatchVisit.voided_at.is_(None), DispatchVisit.report_received_on.is_(None),
               DispatchVisit.report_due_on.is_not(None), DispatchVisit.report_due_on < day)
        .order_by(DispatchVisit.report_due_on, DispatchVisit.id)))
    members = _center_members(v.center_id for v, _n, _r in rows)
    for visit, client_name, requester_id in rows:
        recipients = set(members.get(visit.center_id, []))
        if requester_id:
            recipients.add(requester_id)
        link = record_link("dispatch_visit", visit.id, dispatch_id=visit.dispatch_id, case_id=visit.case_id,
                           client_id=visit.client_id)
        for user_id in sorted(recipients):
            yield Item(user_id, "report_overdue", f"visit:{visit.id}",
                       f"専門家報告書が未提出: {client_name}（{visit.held_on:%Y-%m-%d} 訪問）",
                       f"提出期限 {visit.report_due_on:%Y-%m-%d}（{(day - visit.report_due_on).days}日超過）",
                       link, visit.center_id)


def _deals_idle(day: dt.date, idle_days: int):
    seller, buyer = aliased(MatchProfile), aliased(MatchProfile)
    rows = list(db.session.execute(
        select(Deal, seller.code_name, buyer.code_name)
        .join(seller, Deal.seller_id == seller.id).join(buyer, Deal.buyer_id == buyer.id)
        .where(Deal.voided_at.is_(None), Deal.stage.not_in(("closed", "broken")),
               Deal.stage_on < day - dt.timedelta(days=idle_days))
        .order_by(Deal.stage_on, Deal.id)))
    members = _center_members(d.center_id for d, _s, _b in rows)
    for deal, seller_code, buyer_code in rows:
        center_members = set(members.get(deal.center_id, []))
        # succession members only: the assignee if a member, otherwise every member of the center
        recipients = {deal.assignee_id} if deal.assignee_id in center_members else center_members
        for user_id in sorted(recipients):
            yield Item(user_id, "deal_idle", f"deal:{deal.id}",
                       f"M&A 案件が停滞: {seller_code} × {buyer_code}（{DEAL_STAGES.get(deal.stage, deal.stage)}）",
                       f"{deal.stage_on:%Y-%m-%d} から {(day - deal.stage_on).days}日 同じ段階",
                       record_link("deal", deal.id), deal.center_id)


def staff_with(permission: str) -> list[User]:
    """The active staff whose role holds this permission (permissions.py)."""
    from ..permissions import roles_with

    return list(db.session.scalars(select(User).where(User.active, User.role.in_(roles_with(permission)))
                                   .order_by(User.id)))


def _dispatches_pending(day: dt.date):
    """Dispatch requests waiting for a decision: every manager who may decide and sees the center."""
    deciders = staff_with("dispatch.decide")
    rows = db.session.execute(
        select(Dispatch, Client.name).join(Client, Dispatch.client_id == Client.id)
        .where(Dispatch.voided_at.is_(None), Dispatch.status == "requested", Client.voided_at.is_(None))
        .order_by(Dispatch.requested_on, Dispatch.id))
    for dispatch, client_name in rows:
        for user in deciders:
            yield Item(user.id, "dispatch_pending", f"dispatch:{dispatch.id}:pending",
                       f"専門家派遣の承認待ち: {client_name}",
                       f"申請日 {dispatch.requested_on:%Y-%m-%d}（{(day - dispatch.requested_on).days}日経過）",
                       record_link("dispatch", dispatch.id, dispatch_id=dispatch.id), dispatch.center_id)


def _months_to_close(day: dt.date):
    """Last month's stored tally when its records changed since (it needs restating): whoever
    stores tallies. A month not stored yet is the monthly job's to store; the home page lists it."""
    from .tallies import add_months, fingerprint, month_key

    year, month = add_months(day.year, day.month, -1)
    key = month_key(year, month)
    stored = db.session.scalar(select(TallySnapshot.fingerprint).where(TallySnapshot.month == key))
    if stored is None or stored == fingerprint(year, month):
        return
    body = "保存後に記録が変更されています。再計算してください。"
    for user in staff_with("tally.store"):
        yield Item(user.id, "tally_open", f"tally:{key}", f"{year}年{month}月の月次集計", body,
                   record_link("tally", 0, ym=key), None)


def _founders_without_contact(day: dt.date, days: int):
    last_contact = (select(Consultation.case_id, func.max(Consultation.held_on).label("last_on"))
                    .where(Consultation.voided_at.is_(None)).group_by(Consultation.case_id).subquery())
    limit = day - dt.timedelta(days=days)
    rows = list(db.session.execute(
        select(Case, Client.name, last_contact.c.last_on)
        .join(Client, Case.client_id == Client.id).join(Center, Case.center_id == Center.id)
        .outerjoin(last_contact, last_contact.c.case_id == Case.id)
        .where(Center.code == "startup", Case.voided_at.is_(None), Case.closed_on.is_(None),
               Client.voided_at.is_(None), func.coalesce(last_contact.c.last_on, Case.opened_on) < limit)
        .order_by(Case.id)))
    members = _center_members(c.center_id for c, _n, _l in rows if c.assignee_id is None)
    for case, client_name, last_on in rows:
        recipients = [case.assignee_id] if case.assignee_id else members.get(case.center_id, [])
        since = last_on or case.opened_on
        for user_id in recipients:
            yield Item(user_id, "founder_no_contact", f"case:{case.id}:founder",
                       f"創業者と{days}日以上接触なし: {client_name}",
                       f"最後の相談 {since:%Y-%m-%d}（{(day - since).days}日前）" if last_on else
                       f"案件開始 {since:%Y-%m-%d} 以来 相談記録なし",
                       record_link("founder", case.id, client_id=case.client_id), case.center_id)


def _next_actions(day: dt.date):
    later = aliased(Consultation)
    newer_exists = (select(later.id).where(later.case_id == Consultation.case_id, later.voided_at.is_(None),
                                           later.held_on > Consultation.held_on).exists())
    rows = db.session.execute(
        select(Consultation, Case.assignee_id, Client.name)
        .join(Case, Consultation.case_id == Case.id).join(Client, Consultation.client_id == Client.id)
        .where(Consultation.voided_at.is_(None), Consultation.next_action_on.is_not(None),
               Consultation.next_action_on <= day, Case.voided_at.is_(None), Case.closed_on.is_(None),
               Client.voided_at.is_(None), ~newer_exists)
        .order_by(Consultation.next_action_on, Consultation.id))
    for c, assignee_id, client_name in rows:
        user_id = c.staff_id or assignee_id
        if user_id is None:
            continue
        passed = "本日" if c.next_action_on == day else f"{(day - c.next_action_on).days}日経過"
        yield Item(user_id, "next_action", f"consultation:{c.id}:next",
                   f"次回対応: {client_name} — {c.next_action or '（内容未記入）'}",
                   f"次回対応日 {c.next_action_on:%Y-%m-%d}（{passed}）",
                   record_link("consultation", c.id, case_id=c.case_id, client_id=c.client_id), c.center_id)


# ---------------------------------------------------------------------------------------------
# Stale cases
# ---------------------------------------------------------------------------------------------

def flag_stale_cases(day: dt.date, days: int | None = None) -> dict:
    """Flag open cases with no activity for STALE_CASE_DAYS for review and tell their assignees.
    Cases with activity since their flag are unflagged. Safe to run twice."""
    days = int(days if days is not None else current_app.config["STALE_CASE_DAYS"])
    limit = day - dt.timedelta(days=days)
    open_case = (Case.voided_at.is_(None), Case.closed_on.is_(None))
    unflagged = 0
    for case in db.session.scalars(select(Case).where(*open_case, Case.review_flagged_at.is_not(None))):
        flagged_on = case.review_flagged_at.replace(tzinfo=dt.timezone.utc).astimezone(JST).date()
        if case.last_activity_on and case.last_activity_on >= flagged_on:
            case.review_flagged_at = None
            unflagged += 1
    stale = list(db.session.execute(
        select(Case, Client.name).join(Client, Case.client_id == Client.id)
        .where(*open_case, Case.review_flagged_at.is_(None), Client.voided_at.is_(None),
               func.coalesce(Case.last_activity_on, Case.opened_on) < limit)
        .order_by(Case.id)))
    items = []
    now = utcnow()
    for case, client_name in stale:
        case.review_flagged_at = now
        since = case.last_activity_on or case.opened_on
        if case.assignee_id:
            items.append(Item(case.assignee_id, "stale_case", f"case:{case.id}:stale",
                              f"見直しが必要な案件: {client_name}（{days}日以上動きなし）",
                              f"最終活動日 {since:%Y-%m-%d}",
                              record_link("case", case.id, client_id=case.client_id), case.center_id))
    created = save_items(items, day)
    return {"flagged": len(stale), "unflagged": unflagged, "notified": created}


# ---------------------------------------------------------------------------------------------
# Links to records (blueprints are discovered, so use the most specific page that exists)
# ---------------------------------------------------------------------------------------------

CANDIDATES = {
    "followup": [("followups.detail", "id"), ("cases.detail", "case_id"), ("clients.detail", "client_id"),
                 ("followups.index", None)],
    "dispatch_visit": [("dispatch.detail", "dispatch_id"), ("cases.detail", "case_id"),
                       ("clients.detail", "client_id"), ("dispatch.index", None)],
    "deal": [("succession.deal", "id"), ("succession.deal_detail", "id"), ("succession.index", None)],
    "founder": [("founders.detail", "id"), ("cases.detail", "id"), ("clients.detail", "client_id")],
    "case": [("cases.detail", "id"), ("clients.detail", "client_id")],
    "client": [("clients.detail", "client_id")],
    "consultation": [("consultations.detail", "id"), ("cases.detail", "case_id"), ("clients.detail", "client_id")],
    "dispatch": [("dispatch.detail", "dispatch_id"), ("dispatch.index", None)],
    "tally": [("tallies.detail", "ym"), ("tallies.index", None)],
}


def record_link(kind: str, record_id: int, **ids) -> str | None:
    """A site-relative URL of the record's page, or of the nearest page that exists."""
    from flask import url_for

    app = current_app
    values = {"id": record_id, **ids}
    rules = app.url_map._rules_by_endpoint  # endpoint → rules
    for endpoint, source in CANDIDATES.get(kind, []):
        if endpoint not in rules:
            continue
        if source is not None and values.get(source) is None:
            continue
        for rule in rules[endpoint]:
            args = list(rule.arguments)
            if len(args) > 1 or (args and source is None):
                continue
            params = {args[0]: values[source]} if args else {}
            if has_request_context():
                return url_for(endpoint, **params)
            with app.test_request_context("/"):
                return url_for(endpoint, **params)
    return None
