"""What waits for a manager or an admin: dispatch requests to decide, M&A deals gone idle,
months whose tally is not stored (or changed since). The home page lists them; the morning
digest (services/reminders.py) puts the same items in the bell.

Each list follows the permission table (permissions.can) and record visibility (access.py),
so nobody is shown, or reminded of, what they may not open.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..dates import today_jst
from ..extensions import db
from ..models import DEAL_STAGES, Deal, Dispatch, TallySnapshot
from ..permissions import can
from . import dispatch as dispatch_service, succession, tallies

TALLY_MONTHS_BACK = 3  # the ended months the home page checks (older ones are on 月次集計)


@dataclass
class MonthToClose:
    key: str  # "2026-10"
    label: str  # "2026年10月"
    stored: bool  # False: never stored; True: stored, records changed since


def pending_dispatches(user, limit: int = 10) -> tuple[list[Dispatch], int]:
    if not can(user, "dispatch.decide"):
        return [], 0
    stmt = dispatch_service.dispatch_list_query(user, dispatch_service.DispatchFilter(status="requested"))
    count = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return list(db.session.scalars(stmt.order_by(None).order_by(Dispatch.requested_on, Dispatch.id).limit(limit))), count


def idle_deals(user, today: dt.date, limit: int = 10) -> list[Deal]:
    if not can(user, "succession.use"):
        return []
    limit_on = today - dt.timedelta(days=int(current_app.config["DEAL_IDLE_DAYS"]))
    stmt = succession.deals_query(user, open_only=True).where(Deal.stage_on < limit_on)
    return list(db.session.scalars(stmt.order_by(None).order_by(Deal.stage_on, Deal.id).limit(limit)))


def months_to_close(user, today: dt.date) -> list[MonthToClose]:
    if not can(user, "tally.store"):
        return []
    ended = [tallies.add_months(today.year, today.month, -n) for n in range(TALLY_MONTHS_BACK, 0, -1)]
    keys = [tallies.month_key(year, month) for year, month in ended]
    stored = dict(db.session.execute(select(TallySnapshot.month, TallySnapshot.fingerprint)
                                     .where(TallySnapshot.month.in_(keys))).all())  # one query, oldest first below
    return [MonthToClose(key, f"{year}年{month}月", key in stored)
            for (year, month), key in zip(ended, keys)
            if key not in stored or stored[key] != tallies.fingerprint(year, month)]


def waiting_for(user, today: dt.date | None = None) -> dict:
    today = today or today_jst()
    dispatches, dispatch_count = pending_dispatches(user)
    deals = idle_deals(user, today)
    months = months_to_close(user, today)
    return {"pending_dispatches": dispatches, "pending_dispatch_count": dispatch_count, "idle_deals": deals,
            "months_to_close": months, "deal_stages": DEAL_STAGES,
            "waiting_count": dispatch_count + len(deals) + len(months)}
