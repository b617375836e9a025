"""The daily digest by email: one message per person per day (HTML and text, Japanese), sent
with smtplib when MAIL_SERVER is configured, to users who have email notifications on."""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from sqlalchemy import select

from ..extensions import db
from ..models import Notification, User, utcnow

log = logging.getLogger(__name__)


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def build_digest_message(user: User, notifications: list[Notification], day: dt.date) -> EmailMessage:
    cfg = current_app.config
    base_url = (cfg.get("BASE_URL") or "").rstrip("/")
    context = {"user": user, "notifications": notifications, "day": day, "base_url": base_url}
    msg = EmailMessage()
    msg["Subject"] = f"【casework】本日の対応事項 {len(notifications)}件"
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = Address(display_name=user.name, addr_spec=user.email)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="casework")
    msg.set_content(render_template("notifications/email.txt", **context), charset="utf-8")
    msg.add_alternative(render_template("notifications/email.html", **context), subtype="html", charset="utf-8")
    return msg


def send_digest_emails(day: dt.date) -> dict:
    """Send each user's unsent notifications of the day as one email. Commits per user, so a
    message is never sent twice for the same notifications."""
    if not mail_configured():
        return {"mail": "off"}
    rows = db.session.scalars(
        select(Notification).join(User, Notification.user_id == User.id)
        .where(Notification.digest_on == day, Notification.emailed_at.is_(None), User.active,
               User.email_notifications, User.email.is_not(None), User.email != "")
        .order_by(Notification.user_id, Notification.id))
    by_user: dict[int, list[Notification]] = {}
    for n in rows:
        by_user.setdefault(n.user_id, []).append(n)
    sent = failed = 0
    for user_id, notifications in by_user.items():
        user = db.session.get(User, user_id)
        try:
            with _connect() as smtp:
                smtp.send_message(build_digest_message(user, notifications, day))
        except (OSError, smtplib.SMTPException):
            log.exception("digest email to user %s failed", user.login)
            failed += 1
            continue
        now = utcnow()
        for n in notifications:
            n.emailed_at = now
        db.session.commit()  # deliberately per email: a sent email stays marked even if a later one fails
        sent += 1
    return {"emails_sent": sent, "emails_failed": failed}


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    smtp = smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25), timeout=30)
    if cfg.get("MAIL_USE_TLS"):
        smtp.starttls()
    if cfg.get("MAIL_USERNAME"):
        smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
    return smtp
