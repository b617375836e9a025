"""Each user's iCalendar feed: a secret URL that Outlook or Google Calendar subscribes to.

- The URL carries a random token (256 bits); only its SHA-256 is stored (calendar_feeds), so the
  database alone cannot rebuild the URL. The user regenerates (the old URL stops at once) or stops
  it from their 「カレンダー配信」 page; a wrong or stopped token is 404. The feed URL itself needs
  no login (calendar apps cannot log in) and only ever shows its owner's items.
- What it holds: the user's open follow-ups (all-day, on their due date), the outreach slots
  booked with them and the outreach days they staff (Asia/Tokyo times), the expert visits of the
  dispatches they requested (all-day). From 180 days back to a year ahead.
- Calendars leak (shared, synced to phones): an item of a confidential record (a succession /
  M&A center, a confidential client) shows no client name — 「事業承継 面談」.
- UIDs are stable (the record's kind and id), so an edited item moves instead of doubling.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import or_, select

from ..access import is_confidential_client
from ..dates import today_jst
from ..extensions import db
from ..models import (CalendarFeed, Center, Dispatch, DispatchVisit, FollowUp, OutreachDay, OutreachSlot, User,
                      outreach_day_staff, utcnow)
from . import audit

TOKEN_BYTES = 32
PAST_DAYS = 180
FUTURE_DAYS = 366
CONFIDENTIAL_SUMMARY = "事業承継 面談"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def issue_token(user: User, *, by: User | None = None) -> str:
    """A new secret URL token for the user (any earlier one stops working). Shown once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash, feed.revoked_at = _hash(token), None
    db.session.flush()
    audit.record("feed_issue", feed, user=by or user, center_id=None, detail={"user_id": user.id})
    return token


def revoke(user: User, *, by: User | None = None) -> bool:
    feed = feed_of(user)
    if feed is None or feed.token_hash is None:
        return False
    feed.token_hash, feed.revoked_at = None, utcnow()
    audit.record("feed_revoke", feed, user=by or user, center_id=None, detail={"user_id": user.id})
    return True


def owner_of(token: str | None) -> User | None:
    """The active user whose live feed this token opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token),
                                                        CalendarFeed.revoked_at.is_(None)))
    if feed is None or not feed.user.active:
        return None
    return feed.user


# --- the feed -------------------------------------------------------------------------------------

def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("TIMEZONE") or "Asia/Tokyo")


def _uid(kind: str, record_id: int) -> str:
    host = urlsplit(current_app.config.get("BASE_URL") or "").hostname or "casework"
    return f"casework-{kind}-{record_id}@{host}"


def _event(kind: str, record, summary: str, start, end=None, *, location: str | None = None,
           description: str | None = None) -> Event:
    event = Event()
    event.add("uid", _uid(kind, record.id))
    event.add("summary", summary)
    stamp = (getattr(record, "updated_at", None) or utcnow()).replace(tzinfo=dt.timezone.utc)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    elif isinstance(start, dt.date) and not isinstance(start, dt.datetime):
        event.add("dtend", start + dt.timedelta(days=1))
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT" if not isinstance(start, dt.datetime) else "OPAQUE")
    return event


def _confidential_centers() -> set[int]:
    return set(db.session.scalars(select(Center.id).where(Center.confidential)))


def _secret(record, client, hidden_centers) -> bool:
    """An item of a confidential center or about a confidential client: no name in the feed."""
    return record.center_id in hidden_centers or (client is not None and is_confidential_client(client))


def _all_day(kind: str, rows, hidden_centers, what: str, on, named):
    """All-day items: `on(r)` the day, `named(r)` the summary (a confidential one: 「事業承継 面談（what）」)."""
    for r in rows:
        if _secret(r, r.client, hidden_centers):
            yield _event(kind, r, f"{CONFIDENTIAL_SUMMARY}（{what}）", on(r))
        else:
            yield _event(kind, r, named(r), on(r), description=getattr(r, "reason", None))


def _followups(user, since, until, hidden_centers):
    rows = db.session.scalars(select(FollowUp).where(
        FollowUp.assignee_id == user.id, FollowUp.voided_at.is_(None), FollowUp.completed_on.is_(None),
        FollowUp.due_on.between(since, until)).order_by(FollowUp.due_on, FollowUp.id))
    return _all_day("followup", rows, hidden_centers, "フォローアップ", lambda f: f.due_on,
                    lambda f: f"フォローアップ：{f.client.name}")


def _slots(user, since, until, hidden_centers, tz):
    staffed = select(outreach_day_staff.c.day_id).where(outreach_day_staff.c.user_id == user.id)
    rows = db.session.scalars(select(OutreachSlot).join(OutreachDay).where(
        OutreachDay.voided_at.is_(None), OutreachDay.held_on.between(since, until), OutreachSlot.client_id.is_not(None),
        or_(OutreachSlot.staff_id == user.id, (OutreachSlot.staff_id.is_(None) & OutreachDay.id.in_(staffed))))
        .order_by(OutreachDay.held_on, OutreachSlot.starts_at))
    for s in rows:
        day = s.day
        start = dt.datetime.combine(day.held_on, s.starts_at, tzinfo=tz)
        end = dt.datetime.combine(day.held_on, s.ends_at, tzinfo=tz)
        if _secret(day, s.client, hidden_centers):
            yield _event("outreach-slot", s, CONFIDENTIAL_SUMMARY, start, end, location=day.place)
        else:
            yield _event("outreach-slot", s, f"出張相談：{s.client.name}", start, end, location=day.place,
                         description=s.note)


def _days(user, since, until, hidden_centers, tz):
    rows = db.session.scalars(select(OutreachDay).join(outreach_day_staff).where(
        outreach_day_staff.c.user_id == user.id, OutreachDay.voided_at.is_(None),
        OutreachDay.held_on.between(since, until)).order_by(OutreachDay.held_on, OutreachDay.id))
    for day in rows:
        if day.slots:
            start = dt.datetime.combine(day.held_on, day.slots[0].starts_at, tzinfo=tz)
            end = dt.datetime.combine(day.held_on, max(s.ends_at for s in day.slots), tzinfo=tz)
        else:
            start, end = day.held_on, None
        booked = sum(1 for s in day.slots if s.client_id)
        title = "事業承継 出張相談会" if _secret(day, None, hidden_centers) else f"出張相談会：{day.title or day.place}"
        yield _event("outreach-day", day, title, start, end, location=day.place,
                     description=f"{day.center.name}　予約 {booked}／{len(day.slots)}枠")


def _visits(user, since, until, hidden_centers):
    rows = db.session.scalars(select(DispatchVisit).join(Dispatch, DispatchVisit.dispatch_id == Dispatch.id).where(
        Dispatch.requested_by_id == user.id, Dispatch.voided_at.is_(None), DispatchVisit.voided_at.is_(None),
        DispatchVisit.held_on.between(since, until)).order_by(DispatchVisit.held_on, DispatchVisit.id))
    return _all_day("dispatch-visit", rows, hidden_centers, "専門家派遣", lambda v: v.held_on,
                    lambda v: f"専門家派遣：{v.client.name}（{v.expert.name}）")


def build_calendar(user: User, today: dt.date | None = None) -> bytes:
    today = today or today_jst()
    since, until = today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)
    tz = _tz()
    hidden = _confidential_centers()
    cal = Calendar()
    cal.add("prodid", "-//casework//calendar feed//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"casework {user.name}")
    cal.add("x-wr-timezone", tz.key)
    for event in (*_followups(user, since, until, hidden), *_slots(user, since, until, hidden, tz),
                  *_days(user, since, until, hidden, tz), *_visits(user, since, until, hidden)):
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
