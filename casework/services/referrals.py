"""Referrals between centers (e.g. よろず → succession). The client's consent to share is
required: passing their data to another center is a third-party provision under APPI."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..access import can_see_center, hidden_confidential_center_ids
from ..dates import today_jst
from ..extensions import db
from ..models import Case, Center, Client, Referral, User, memberships
from . import audit
from .cases import CaseData, open_case
from .errors import Checks, DomainError
from .voiding import void_record

CONSENT_METHODS = ["書面", "口頭", "電子メール"]


@dataclass
class ReferralData:
    from_center_id: int
    to_center_id: int
    referred_on: dt.date
    consent_on: dt.date | None
    consent_method: str | None
    from_case_id: int | None = None
    note: str | None = None
    open_case: bool = False
    to_assignee_id: int | None = None


def refer_client(client: Client, data: ReferralData, by: User | None = None) -> Referral:
    checks = Checks()  # every independent problem at once, each beside its field
    if by is not None and not can_see_center(by, data.from_center_id):
        checks.fail("紹介元のセンターを選んでください。", "from_center_id")
    target = db.session.get(Center, data.to_center_id) if data.to_center_id else None
    if target is None or not target.active or data.to_center_id == data.from_center_id:
        checks.fail("紹介先のセンター（紹介元と別のセンター）を選んでください。", "to_center_id")
        target = None
    if data.consent_on is None:
        checks.fail("本人の同意を得た日を入力してください（第三者提供には同意が必要です）。", "consent_on")
    elif data.consent_on > data.referred_on:
        checks.fail("同意は紹介の前（または当日）に得てください。", "consent_on")
    if data.consent_method not in CONSENT_METHODS:
        checks.fail("同意の方法を選んでください。", "consent_method")
    if by is not None and data.referred_on > today_jst() + dt.timedelta(days=1):
        checks.fail("紹介日が未来の日付です。", "referred_on")
    if data.open_case and data.to_assignee_id and target is not None:
        # the new case's assignee reads it (home page, reminders, follow-ups): only a member of the
        # target center (or an admin), never e.g. the referring staff of another center
        assignee = db.session.get(User, data.to_assignee_id)
        if assignee is None or not assignee.active or not can_see_center(assignee, target.id):
            checks.fail(f"紹介先の担当者は{target.name}の職員から選んでください。", "to_assignee_id")
    if data.from_case_id:
        from_case = db.session.get(Case, data.from_case_id)
        if from_case is None or from_case.client_id != client.id or from_case.center_id != data.from_center_id:
            checks.fail("紹介元の案件が見つかりません。", "from_case_id")
    checks.raise_if_any()
    referral = Referral(client_id=client.id, from_case_id=data.from_case_id, from_center_id=data.from_center_id,
                        to_center_id=target.id, referred_on=data.referred_on, referred_by_id=getattr(by, "id", None),
                        consent_on=data.consent_on, consent_method=data.consent_method,
                        note=(data.note or "").strip() or None)
    db.session.add(referral)
    if data.open_case:
        # the referring staff may not be a member of the target center: open it on the center's behalf
        case = open_case(client, CaseData(center_id=target.id, opened_on=data.referred_on,
                                          assignee_id=data.to_assignee_id, title="紹介による相談"), by=None)
        case.created_by_id = getattr(by, "id", None)
        referral.to_case_id = case.id
    db.session.flush()
    _tell_receivers(referral, client, data.to_assignee_id if data.open_case else None)
    audit.record("create", referral, user=by, center_id=data.from_center_id,
                 detail={"to_center_id": target.id, "consent_on": str(data.consent_on),
                         "consent_method": data.consent_method, "to_case_id": referral.to_case_id})
    return referral


def _tell_receivers(referral: Referral, client: Client, assignee_id: int | None) -> None:
    """The receiving center hears of the referral at once (the bell): the new case's assignee, or
    else every member of the center."""
    from .reminders import Item, record_link, save_items

    if assignee_id:
        receivers = [assignee_id]
    else:
        receivers = list(db.session.scalars(select(memberships.c.user_id)
                                            .where(memberships.c.center_id == referral.to_center_id)))
    from_center = db.session.get(Center, referral.from_center_id)
    link = (record_link("case", referral.to_case_id, client_id=client.id) if referral.to_case_id
            else record_link("client", client.id, client_id=client.id))
    save_items([Item(user_id, "referral", f"referral:{referral.id}",
                     f"紹介を受けました: {client.name}（{from_center.name if from_center else ''}から）",
                     f"紹介日 {referral.referred_on:%Y-%m-%d}" + (f"・{referral.note}" if referral.note else ""),
                     link, referral.to_center_id)
                for user_id in receivers if user_id != referral.referred_by_id], today_jst())


def void_referral(referral: Referral, reason: str, by: User, *, expected_version: int | None = None) -> list:
    """A referral entered by mistake; a case it opened at the target center stays (that center may be working on it)."""
    return void_record(referral, reason, by, expected_version=expected_version)


def visible_referral_filter(user: User):
    """A referral is shown to those who see its from or to center, and never to someone who
    does not see a confidential center it touches."""
    from ..access import visible_center_ids

    ids = visible_center_ids(user)
    hidden = hidden_confidential_center_ids(user)
    clause = Referral.voided_at.is_(None)
    if ids is not None:
        clause = clause & (Referral.from_center_id.in_(ids or [-1]) | Referral.to_center_id.in_(ids or [-1]))
    if hidden:
        clause = clause & Referral.from_center_id.not_in(hidden) & Referral.to_center_id.not_in(hidden)
    return clause


def referrals_query(user: User, client_id: int | None = None, *, own: bool = False):
    """Referrals the user may see, of live clients they may see, newest first. `own`: also those
    the user sent, wherever they went (the list of the sender; not what the receiving center
    did with them since)."""
    from ..access import client_filter

    visible = visible_referral_filter(user) & client_filter(user)
    if own:
        visible = visible | (Referral.voided_at.is_(None) & (Referral.referred_by_id == user.id))
    stmt = (select(Referral).join(Client, Referral.client_id == Client.id)
            .where(visible, Client.voided_at.is_(None)))
    if client_id:
        stmt = stmt.where(Referral.client_id == client_id)
    return stmt.order_by(Referral.referred_on.desc(), Referral.id.desc())


def client_still_visible(user: User, client: Client) -> bool:
    """After a referral to a confidential center the referring staff may no longer see a client
    known to no other center (access.client_filter)."""
    from ..access import client_filter

    return db.session.scalar(select(Client.id).where(Client.id == client.id, client_filter(user))) is not None


def visible_referral(user: User, referral_id: int) -> Referral | None:
    return db.session.scalar(referrals_query(user).where(Referral.id == referral_id))
