"""A user's notifications: the bell count, the list, read state and the email setting."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Notification, User, utcnow
from . import audit
from .errors import DomainError
from .filters import where_within
from .locking import check_version
from ..searchindex import search_terms


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def list_query(user: User, status: str = "unread", q: str | None = None, digest_from: dt.date | None = None,
               digest_to: dt.date | None = None):
    stmt = select(Notification).where(Notification.user_id == user.id)
    if status == "unread":
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = where_within(stmt, Notification.digest_on, digest_from, digest_to)
    for term in search_terms(q, folded=False):
        stmt = stmt.where(Notification.title.contains(term, autoescape=True))
    return stmt.order_by(Notification.digest_on.desc(), Notification.id.desc())


def get_own(user: User, notification_id: int) -> Notification | None:
    """The user's own notification, or None (others' notifications are not found)."""
    n = db.session.get(Notification, notification_id)
    return n if n is not None and n.user_id == user.id else None


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user: User) -> int:
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount or 0


def set_email_notifications(user: User, enabled: bool, *, expected_version: int | None) -> None:
    check_version(user, expected_version, {"email_notifications": enabled})
    if enabled and not user.email:
        raise DomainError("メールアドレスが登録されていません。管理者に登録を依頼してください。", "email_notifications")
    if bool(user.email_notifications) != bool(enabled):
        audit.record("change", user, user=user, detail={"email_notifications": [user.email_notifications, enabled]})
        user.email_notifications = enabled
