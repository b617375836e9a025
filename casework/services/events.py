"""Outreach days (出張相談会), seminars, trainings and trade fairs."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..access import and_visible, can_see_center
from ..extensions import db
from ..models import Event, EventKind, Municipality, User
from . import audit
from .errors import Checks, DomainError
from .locking import apply_values
from .voiding import void_record


@dataclass
class EventData:
    center_id: int
    kind_code: str
    held_on: dt.date
    title: str | None = None
    place: str | None = None
    municipality_code: str | None = None
    participants: int | None = None
    notes: str | None = None
    program_id: int | None = None  # None: the center's default program for events
    ends_on: dt.date | None = None  # last day of an event running over several days (研修: 5月〜3月)
    partners: str | None = None  # 連携機関
    area: str | None = None  # 開催地区 as the report prints it (青森市, オンライン, 県内各地)
    companies: int | None = None  # 参加企業数 / 出展企業数
    speaker: str | None = None  # 講師 (a 講演's; its テーマ is the title)

    def cleaned(self, by: User | None) -> dict:
        checks = Checks()  # every independent problem at once, each beside its field
        if by is not None and not can_see_center(by, self.center_id):
            checks.fail("このセンターの催しは登録できません。", "center_id")
        if db.session.get(EventKind, self.kind_code) is None:
            checks.fail("種別が不正です。", "kind_code")
        if self.municipality_code and db.session.get(Municipality, self.municipality_code) is None:
            checks.fail("市町村が見つかりません。", "municipality_code")
        if self.participants is not None and self.participants < 0:
            checks.fail("参加者数は0以上にしてください。", "participants")
        if self.companies is not None and self.companies < 0:
            checks.fail("参加企業数は0以上にしてください。", "companies")
        if self.ends_on is not None and self.ends_on < self.held_on:
            checks.fail("終了日が開始日より前です。", "ends_on")
        if self.program_id:
            from .programs import check_program

            checks.collect(check_program, by, self.program_id, self.center_id)
        checks.raise_if_any()
        values = dict(self.__dict__)
        for key in ("title", "place", "notes", "partners", "area", "speaker"):
            values[key] = (values[key] or "").strip() or None
        if not values["program_id"]:
            values.pop("program_id")  # the center's default (casework.models.default_program_id)
        return values


def create_event(data: EventData, by: User | None = None, ref: str | None = None) -> Event:
    event = Event(ref=ref, created_by_id=getattr(by, "id", None), **data.cleaned(by))
    db.session.add(event)
    db.session.flush()
    audit.record("create", event, user=by)
    return event


def update_event(event: Event, data: EventData, *, expected_version: int | None, by: User | None = None) -> Event:
    values = data.cleaned(by)
    if "program_id" not in values and values["center_id"] != event.center_id:
        from .programs import center_default_program_id

        values["program_id"] = center_default_program_id(values["center_id"], "event")
    apply_values(event, values, expected_version=expected_version, by=by)
    return event


def void_event(event: Event, reason: str, by: User, *, expected_version: int | None = None) -> list:
    return void_record(event, reason, by, expected_version=expected_version)


def event_list_query(user: User, center_id=None, kind_code=None, held_from=None, held_to=None, q=None,
                     program_id=None):
    stmt = select(Event).where(and_visible(Event, user)).options(
        selectinload(Event.center), selectinload(Event.kind), selectinload(Event.municipality),
        selectinload(Event.program))
    if center_id:
        stmt = stmt.where(Event.center_id == center_id)
    if program_id:
        stmt = stmt.where(Event.program_id == program_id)
    if kind_code:
        stmt = stmt.where(Event.kind_code == kind_code)
    if held_from:  # events still running on that day count too (a 研修 from May to March)
        stmt = stmt.where(or_(Event.held_on >= held_from, Event.ends_on >= held_from))
    if held_to:
        stmt = stmt.where(Event.held_on <= held_to)
    if q:
        stmt = stmt.where((Event.title.contains(q, autoescape=True)) | (Event.place.contains(q, autoescape=True)))
    return stmt.order_by(Event.held_on.desc(), Event.id.desc())


def outreach_days_near(user: User, on: dt.date, days: int = 7) -> list[Event]:
    """Outreach days around a date, for the consultation form's event picker."""
    stmt = (select(Event).where(and_visible(Event, user), Event.kind_code == "outreach_day",
                                Event.held_on.between(on - dt.timedelta(days=days), on + dt.timedelta(days=days)))
            .options(selectinload(Event.kind)).order_by(Event.held_on.desc()))
    return list(db.session.scalars(stmt))
