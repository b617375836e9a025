"""Records kept past the retention period (RETENTION_YEARS), for review and disposal.

Nothing is erased here: the report lists what is due so that the center can decide (and the
scheduler can remind). The period counts from when a record stopped being in use.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import exists, func, or_, select

from ..extensions import db
from ..models import AuditEntry, Case, Client, Consultation, Dispatch, FollowUp


@dataclass(frozen=True)
class PastRetention:
    kind: str  # case, client, voided record, audit entry
    object_type: str
    object_id: int
    since: dt.date  # the date the retention period counts from
    note: str


def cutoff_date(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def records_past_retention(today: dt.date, years: int | None = None) -> list[PastRetention]:
    """Everything whose retention period ended before `today`:

    - cases closed more than N years ago;
    - clients with no open case and no case, consultation or follow-up in the last N years;
    - records voided more than N years ago (kept so far for the audit trail);
    - audit entries older than N years (the audit log's own period)."""
    years = years if years is not None else int(current_app.config["RETENTION_YEARS"])
    cutoff = cutoff_date(today, years)
    cutoff_dt = dt.datetime.combine(cutoff, dt.time())
    found: list[PastRetention] = []

    for case in db.session.scalars(select(Case).where(Case.voided_at.is_(None), Case.closed_on < cutoff)
                                   .order_by(Case.closed_on, Case.id)):
        found.append(PastRetention("case", "Case", case.id, case.closed_on, f"終了 {case.closed_on}"))

    recent_case = exists().where(Case.client_id == Client.id, Case.voided_at.is_(None),
                                 or_(Case.closed_on.is_(None), Case.closed_on >= cutoff, Case.opened_on >= cutoff))
    recent_consultation = exists().where(Consultation.client_id == Client.id, Consultation.voided_at.is_(None),
                                         Consultation.held_on >= cutoff)
    recent_follow_up = exists().where(FollowUp.client_id == Client.id, FollowUp.voided_at.is_(None),
                                      or_(FollowUp.due_on >= cutoff, FollowUp.completed_on >= cutoff))
    for client in db.session.scalars(select(Client).where(
            Client.voided_at.is_(None), Client.created_at < cutoff_dt,
            ~recent_case, ~recent_consultation, ~recent_follow_up).order_by(Client.id)):
        last = _last_activity(client.id) or client.created_at.date()
        found.append(PastRetention("client", "Client", client.id, last, f"最終の記録 {last}"))

    for model in (Client, Case, Consultation, Dispatch, FollowUp):
        for record in db.session.scalars(select(model).where(model.voided_at < cutoff_dt).order_by(model.id)):
            found.append(PastRetention("voided", model.__name__, record.id, record.voided_at.date(),
                                       f"取消 {record.voided_at.date()}"))

    old_audit = db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.at < cutoff_dt))
    if old_audit:
        first = db.session.scalar(select(func.min(AuditEntry.at)))
        found.append(PastRetention("audit", "AuditEntry", 0, first.date(), f"{old_audit} 件（{cutoff} より前）"))
    return found


def _last_activity(client_id: int) -> dt.date | None:
    dates = [
        db.session.scalar(select(func.max(Consultation.held_on)).where(Consultation.client_id == client_id)),
        db.session.scalar(select(func.max(func.coalesce(Case.closed_on, Case.opened_on))).where(Case.client_id == client_id)),
    ]
    dates = [d if isinstance(d, dt.date) else (dt.date.fromisoformat(d) if d else None) for d in dates]
    dates = [d for d in dates if d]
    return max(dates) if dates else None
