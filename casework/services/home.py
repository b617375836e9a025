"""The home page: what the logged-in staff member has on today."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..access import and_visible
from ..dates import today_jst
from ..extensions import db
from ..models import Case, Consultation, User


def my_day(user: User, limit: int = 20) -> dict:
    today = today_jst()
    todays = list(db.session.scalars(
        select(Consultation).where(Consultation.staff_id == user.id, Consultation.held_on == today,
                                   and_visible(Consultation, user))
        .options(selectinload(Consultation.client), selectinload(Consultation.channel))
        .order_by(Consultation.id)))
    next_actions = list(db.session.scalars(
        select(Consultation).where(Consultation.staff_id == user.id, Consultation.next_action_on.is_not(None),
                                   Consultation.next_action_on <= today, and_visible(Consultation, user))
        .options(selectinload(Consultation.client))
        .order_by(Consultation.next_action_on).limit(limit)))
    open_cases = list(db.session.scalars(
        select(Case).where(Case.assignee_id == user.id, Case.closed_on.is_(None), and_visible(Case, user))
        .options(selectinload(Case.client), selectinload(Case.center))
        .order_by(Case.opened_on.desc()).limit(limit)))
    open_count = db.session.scalar(select(func.count()).select_from(Case).where(
        Case.assignee_id == user.id, Case.closed_on.is_(None), and_visible(Case, user)))
    from .events import outreach_days_near

    return {"today": today, "todays": todays, "next_actions": next_actions,
            "open_cases": open_cases, "open_count": open_count,
            "outreach_today": outreach_days_near(user, today, days=0)}
