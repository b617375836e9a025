"""Outreach days (出張相談会) planned ahead: a day at a place, for a center, with its staff and time
slots; staff book a client into a slot (and cancel); a consultation logged from a booked slot
carries the day (its Event, kind outreach_day, made then: what the report counts), the client and
the slot's staff, date and channel 出張相談会, and the slot links to it.

Days are the records of their center (access.center_filter); a day of a confidential center is
seen by its members only. Voided, never deleted (services/voiding.py)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import extract, select
from sqlalchemy.orm import selectinload

from ..access import and_visible, can_see_center
from ..extensions import db
from ..models import Client, Consultation, OutreachDay, OutreachSlot, User, memberships, utcnow
from ..permissions import roles_with
from . import audit
from .errors import DomainError
from .locking import check_version
from .voiding import void_record

CHANNEL = "outreach"  # 出張相談会 (channels vocabulary)
EVENT_KIND = "outreach_day"
SLOT = re.compile(r"^(\d{1,2}):(\d{2})\s*[-~〜]\s*(\d{1,2}):(\d{2})$")
MAX_SLOTS = 40


@dataclass
class DayData:
    center_id: int
    held_on: dt.date
    place: str
    slots: str  # "10:00-10:45, 11:00-11:45" (one per line or separated by 、 , ;)
    title: str | None = None
    notes: str | None = None
    staff_ids: list[int] = field(default_factory=list)


def parse_slots(text: str | None) -> list[tuple[dt.time, dt.time]]:
    """Time ranges typed as 10:00-10:45 (full-width digits, 〜, ～ accepted), in order, not overlapping."""
    text = unicodedata.normalize("NFKC", text or "")
    parts = [p.strip() for p in re.split(r"[,、;\n]+", text) if p.strip()]
    if not parts:
        raise DomainError("時間枠を1つ以上入力してください（例: 10:00-10:45）。", "slots")
    if len(parts) > MAX_SLOTS:
        raise DomainError(f"時間枠は{MAX_SLOTS}個までです。", "slots")
    out = []
    for part in parts:
        m = SLOT.match(part)
        try:
            if not m:
                raise ValueError
            h1, m1, h2, m2 = (int(x) for x in m.groups())
            start, end = dt.time(h1, m1), dt.time(h2, m2)
        except ValueError:
            raise DomainError(f"時間枠「{part}」が読めません。10:00-10:45 のように入力してください。", "slots") from None
        if end <= start:
            raise DomainError(f"時間枠「{part}」の終わりが始まりより前です。", "slots")
        out.append((start, end))
    out.sort()
    for (s1, e1), (s2, e2) in zip(out, out[1:]):
        if s2 < e1:
            raise DomainError(f"時間枠 {s1:%H:%M}-{e1:%H:%M} と {s2:%H:%M}-{e2:%H:%M} が重なっています。", "slots")
    return out


def slots_text(day: OutreachDay) -> str:
    return "\n".join(f"{s.starts_at:%H:%M}-{s.ends_at:%H:%M}" for s in day.slots)


def _staff(data: DayData) -> list[User]:
    staff = [db.session.get(User, uid) for uid in dict.fromkeys(data.staff_ids or [])]
    if any(u is None or not u.active for u in staff):
        raise DomainError("担当職員が不正です。", "staff_ids")
    everywhere = set(roles_with("records.all_centers"))
    members = set(db.session.scalars(select(memberships.c.user_id).where(memberships.c.center_id == data.center_id)))
    for user in staff:
        if user.role not in everywhere and user.id not in members:
            raise DomainError(f"{user.name}さんはこのセンターの職員ではありません。", "staff_ids")
    return staff


def _checked(data: DayData, by: User | None) -> dict:
    if by is not None and not can_see_center(by, data.center_id):
        raise DomainError("このセンターの出張相談会は登録できません。", "center_id")
    place = (data.place or "").strip()
    if not place:
        raise DomainError("会場を入力してください。", "place")
    return {"center_id": data.center_id, "held_on": data.held_on, "place": place[:200],
            "title": (data.title or "").strip()[:200] or None, "notes": (data.notes or "").strip() or None}


def plan_day(data: DayData, by: User | None = None) -> OutreachDay:
    values = _checked(data, by)
    times = parse_slots(data.slots)
    staff = _staff(data)
    default_staff = staff[0].id if len(staff) == 1 else None
    day = OutreachDay(created_by_id=getattr(by, "id", None), staff=staff, **values)
    day.slots = [OutreachSlot(starts_at=s, ends_at=e, staff_id=default_staff) for s, e in times]
    db.session.add(day)
    db.session.flush()
    audit.record("create", day, user=by, detail={"slots": len(times)})
    return day


def update_day(day: OutreachDay, data: DayData, *, expected_version: int | None, by: User | None = None) -> OutreachDay:
    """Change the day; slots typed anew are added, slots no longer typed are removed unless booked."""
    values = _checked(data, by)
    times = parse_slots(data.slots)
    staff = _staff(data)
    check_version(day, expected_version, values)
    if day.event_id is not None and values["held_on"] != day.held_on:
        raise DomainError("相談を記録済みの出張相談会の日付は変えられません。", "held_on")
    wanted = dict(times)
    for slot in list(day.slots):
        if slot.starts_at in wanted and wanted[slot.starts_at] == slot.ends_at:
            del wanted[slot.starts_at]
        elif slot.client_id is not None:
            raise DomainError(f"予約のある枠 {slot.starts_at:%H:%M}-{slot.ends_at:%H:%M} は変更・削除できません。"
                              "先に予約を取り消してください。", "slots")
        else:
            day.slots.remove(slot)
            db.session.delete(slot)
    db.session.flush()
    for start, end in wanted.items():
        day.slots.append(OutreachSlot(starts_at=start, ends_at=end))
    diff = audit.changes(day, values)
    for key, value in values.items():
        setattr(day, key, value)
    day.staff = staff
    day.updated_at = utcnow()  # the version moves even when only the slots or staff changed
    db.session.flush()
    audit.record("change", day, user=by, detail=diff or None)
    return day


def void_day(day: OutreachDay, reason: str, by: User, *, expected_version: int | None = None) -> list:
    if any(slot.consultation_id for slot in day.slots):
        raise DomainError("相談を記録した出張相談会は取り消せません（相談記録を先に取り消してください）。", "reason")
    return void_record(day, reason, by, expected_version=expected_version)


def _open_day(slot: OutreachSlot) -> OutreachDay:
    if slot.day.voided_at is not None:
        raise DomainError("この出張相談会は取り消されています。")
    return slot.day


def book_slot(slot: OutreachSlot, client: Client, *, by: User, note: str | None = None,
              staff_id: int | None = None, expected_version: int | None = None) -> OutreachSlot:
    day = _open_day(slot)
    check_version(slot, expected_version)
    if slot.client_id is not None:
        raise DomainError("この枠は既に予約されています。別の枠を選んでください。", "client_id")
    if client.voided_at is not None:
        raise DomainError("取り消された相談先は予約できません。", "client_id")
    if staff_id and staff_id not in {u.id for u in day.staff}:
        raise DomainError("担当職員はこの出張相談会の職員から選んでください。", "staff_id")
    slot.client_id, slot.booked_by_id, slot.booked_at = client.id, by.id, utcnow()
    slot.note = (note or "").strip()[:200] or None
    if staff_id:
        slot.staff_id = staff_id
    audit.record("book", slot, user=by, center_id=day.center_id,
                 detail={"day_id": day.id, "client_id": client.id, "time": f"{slot.starts_at:%H:%M}"})
    return slot


def cancel_booking(slot: OutreachSlot, *, by: User, expected_version: int | None = None) -> OutreachSlot:
    check_version(slot, expected_version)
    if slot.client_id is None:
        raise DomainError("この枠は予約されていません。")
    if slot.consultation_id is not None:
        raise DomainError("相談を記録した枠の予約は取り消せません。")
    audit.record("cancel", slot, user=by, center_id=slot.day.center_id,
                 detail={"day_id": slot.day_id, "client_id": slot.client_id, "time": f"{slot.starts_at:%H:%M}"})
    slot.client_id = slot.booked_by_id = slot.booked_at = slot.note = None
    return slot


def consultation_prefill(slot: OutreachSlot) -> dict:
    """What the consultation form starts with when a booked slot's consultation is logged."""
    day = slot.day
    staff_id = slot.staff_id or (day.staff[0].id if len(day.staff) == 1 else None)
    values = {"client_id": slot.client_id, "slot_id": slot.id, "held_on": day.held_on.isoformat(),
              "channel_code": CHANNEL, "center_id": day.center_id, "staff_id": staff_id, "event_id": day.event_id}
    return {k: v for k, v in values.items() if v is not None}


def link_consultation(slot: OutreachSlot, consultation: Consultation, *, by: User | None = None) -> OutreachSlot:
    """After a consultation logged from this slot: the day's Event (made now if none) goes on the
    consultation and the slot points at the consultation."""
    from .events import EventData, create_event

    day = _open_day(slot)
    if slot.client_id != consultation.client_id:
        raise DomainError("この枠に予約された相談先と相談記録の相談先が違います。")
    if slot.consultation_id is not None:
        raise DomainError("この枠の相談は既に記録されています。")
    if day.event is None:
        day.event = create_event(EventData(center_id=day.center_id, kind_code=EVENT_KIND, held_on=day.held_on,
                                           title=day.title, place=day.place, notes=day.notes), by=by)
    if consultation.event_id is None:
        consultation.event_id = day.event.id
    slot.consultation_id = consultation.id
    db.session.flush()
    audit.record("change", slot, user=by, center_id=day.center_id,
                 detail={"consultation_id": consultation.id, "event_id": day.event.id})
    return slot


# --- reading ------------------------------------------------------------------------------------

def days_query(user: User, *, year: int | None = None, month: int | None = None, center_id: int | None = None):
    stmt = select(OutreachDay).where(and_visible(OutreachDay, user)).options(selectinload(OutreachDay.center),
                                                                             selectinload(OutreachDay.slots))
    if year and month:
        stmt = stmt.where(extract("year", OutreachDay.held_on) == year, extract("month", OutreachDay.held_on) == month)
    if center_id:
        stmt = stmt.where(OutreachDay.center_id == center_id)
    return stmt.order_by(OutreachDay.held_on, OutreachDay.id)

