"""The consultation log: log, edit, void and list consultations."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from ..access import can_see_center, visible_with_client
from ..dates import today_jst
from ..extensions import db
from ..models import Case, Center, Client, Consultation, Event, User
from . import audit
from . import vocab_cache
from .cases import CaseData, find_open_case, known_themes, open_case, themes_of as _themes
from .errors import Checks, DomainError
from .filters import where_equal, where_within
from .locking import check_version
from .voiding import void_record
from ..searchindex import search_terms


@dataclass
class ConsultationData:
    held_on: dt.date
    channel_code: str
    center_id: int | None = None  # needed when no case is given
    case_id: int | None = None
    staff_id: int | None = None
    theme_codes: list[str] = field(default_factory=list)
    notes: str | None = None
    next_action: str | None = None
    next_action_on: dt.date | None = None
    event_id: int | None = None
    program_id: int | None = None  # None: the case's program (or the center's default)
    activity_id: int | None = None  # program terms: 活動区分 / 相談区分
    category_id: int | None = None


def _validate(client: Client, data: ConsultationData, by: User | None,
              center_id: int | None = None) -> tuple[Case | None, dict]:
    """The consultation's case (None: one is found or opened) and its program values; every
    problem is refused at once (DomainErrors), each beside its field."""
    checks = Checks()  # every independent problem at once, each beside its field
    if data.channel_code not in {c.code for c in vocab_cache.channels()}:
        checks.fail("相談方法が不正です。", "channel_code")
    if by is not None and data.held_on > today_jst() + dt.timedelta(days=1):
        checks.fail("相談日が未来の日付です。", "held_on")
    if data.next_action_on and data.next_action_on < data.held_on:
        checks.fail("次回対応日が相談日より前です。", "next_action_on")
    case = None
    if data.case_id:
        case = db.session.get(Case, data.case_id)
        if (case is None or case.client_id != client.id or case.voided_at is not None
                or (by is not None and not can_see_center(by, case.center_id))):
            checks.fail("案件が見つかりません。", "case_id")
            case = None
    elif data.center_id is None:
        checks.fail("センターを選んでください。", "center_id")
    if data.event_id:
        event = db.session.get(Event, data.event_id)
        if event is None or event.voided_at is not None:
            checks.fail("相談会が見つかりません。", "event_id")
    checks.collect(known_themes, data.theme_codes)
    center_id = case.center_id if case is not None else (data.center_id or center_id)
    programs = checks.collect(_program_values, data, center_id, by) if center_id else {}
    checks.raise_if_any()
    return case, programs


def _program_values(data: ConsultationData, center_id: int, by: User | None) -> dict:
    """program_id / activity_id / category_id checked against the program (empty: not given)."""
    if not (data.program_id or data.activity_id or data.category_id):
        return {}
    from .programs import check_program, check_term, get_program

    program = check_program(by, data.program_id, center_id) if data.program_id else None
    if program is None:
        raise DomainError("事業を選んでください。", "program_id")
    checks = Checks()
    activity = checks.collect(check_term, program, data.activity_id, "activity", "activity_id")
    category = checks.collect(check_term, program, data.category_id, "category", "category_id")
    checks.raise_if_any()
    return {"program_id": program.id, "activity_id": activity.id if activity else None,
            "category_id": category.id if category else None}


def opened_case_title(center_id: int, theme_codes, held_on: dt.date) -> str:
    """The 件名 of a case a consultation opens: center, the first themes, the date
    (「ワンストップ総合相談：資金繰り・販路開拓（2026-11-23の相談）」)."""
    center = db.session.get(Center, center_id)
    themes = "・".join(theme.label for theme in _themes(theme_codes)[:2])
    return f"{center.name if center else '相談'}{'：' + themes if themes else ''}（{held_on:%Y-%m-%d}の相談）"


def log_consultation(client: Client, data: ConsultationData, by: User | None = None, ref: str | None = None) -> Consultation:
    """Record one contact. Without a case, it joins the client's case at that center open on
    that date, or a new case is opened (the legacy rule of interchange.md)."""
    case, programs = _validate(client, data, by)
    if case is None:
        case = find_open_case(client.id, data.center_id, data.held_on) or open_case(
            client, CaseData(center_id=data.center_id, opened_on=data.held_on,
                             assignee_id=data.staff_id or getattr(by, "id", None),
                             program_id=programs.get("program_id"),
                             title=opened_case_title(data.center_id, data.theme_codes, data.held_on)), by=by)
    consultation = Consultation(**programs,
        ref=ref, client=client, case=case, center_id=case.center_id, channel_code=data.channel_code,
        held_on=data.held_on, staff_id=data.staff_id, event_id=data.event_id,
        notes=(data.notes or "").strip() or None, next_action=(data.next_action or "").strip() or None,
        next_action_on=data.next_action_on, created_by_id=getattr(by, "id", None), themes=_themes(data.theme_codes))
    db.session.add(consultation)
    if case.last_activity_on is None or data.held_on > case.last_activity_on:
        case.last_activity_on = data.held_on
    db.session.flush()
    audit.record("create", consultation, user=by, detail={"client_id": client.id, "case_id": case.id})
    return consultation


def update_consultation(consultation: Consultation, data: ConsultationData, *, expected_version: int | None,
                        by: User | None = None) -> Consultation:
    values = {"held_on": data.held_on, "channel_code": data.channel_code, "staff_id": data.staff_id,
              "notes": (data.notes or "").strip() or None, "next_action": (data.next_action or "").strip() or None,
              "next_action_on": data.next_action_on, "event_id": data.event_id}
    data.case_id = data.case_id or consultation.case_id
    case, programs = _validate(consultation.client, data, by, consultation.center_id)
    values.update(programs)
    check_version(consultation, expected_version, values)
    diff = audit.changes(consultation, values)
    for key, value in values.items():
        setattr(consultation, key, value)
    if case is not None and case.id != consultation.case_id:
        diff["case_id"] = [consultation.case_id, case.id]
        consultation.case, consultation.center_id = case, case.center_id
        if "program_id" not in values:  # moved to another case: it takes that case's program
            from ..models import default_program_id

            consultation.program_id = case.program_id or default_program_id(db.session, case.center_id, "consultation")
            consultation.activity_id = consultation.category_id = None
    if sorted(data.theme_codes) != sorted(t.code for t in consultation.themes):
        diff["themes"] = [[t.code for t in consultation.themes], sorted(data.theme_codes)]
        consultation.themes = _themes(data.theme_codes)
    if diff:
        audit.record("change", consultation, user=by, detail=diff)
    return consultation


def void_consultation(consultation: Consultation, reason: str, by: User, *, expected_version: int | None = None) -> list:
    return void_record(consultation, reason, by, expected_version=expected_version)


@dataclass
class ConsultationFilter:
    center_id: int | None = None
    staff_id: int | None = None
    channel_code: str | None = None
    held_from: dt.date | None = None
    held_to: dt.date | None = None
    q: str | None = None  # client name / kana substring
    event_id: int | None = None


def consultation_list_query(user: User, f: ConsultationFilter):

    stmt = (visible_with_client(Consultation, user)
            .options(selectinload(Consultation.client), selectinload(Consultation.center),
                     selectinload(Consultation.channel), selectinload(Consultation.staff)))
    stmt = where_equal(stmt, (Consultation.center_id, f.center_id), (Consultation.staff_id, f.staff_id),
                       (Consultation.channel_code, f.channel_code), (Consultation.event_id, f.event_id))
    stmt = where_within(stmt, Consultation.held_on, f.held_from, f.held_to)
    terms = search_terms(f.q)  # each word must match
    if terms:
        from .clients import search_text_matches

        stmt = stmt.where(search_text_matches(terms))
    return stmt.order_by(Consultation.held_on.desc(), Consultation.id.desc())
