"""What the program record kinds (registrations, introductions, grants, milestones, event
attendance) share: finding a client from what a user typed, loading a record with the access
rules, the list query (filters by client / program / date), and creating, changing (at the
version the form was loaded with) and voiding a record, audited."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..access import and_visible, get_in_center_or_404
from ..extensions import db
from ..models import Client, Program, User
from . import audit
from .errors import DomainError
from .locking import apply_values
from .voiding import void_record


def resolve_client(user: User, text: str | None, field: str, *, required: bool = True) -> Client | None:
    """The client a user named: `#12` (id), a 13-digit 法人番号, or a name (or part of one)
    matching exactly one client the user may see. Otherwise a message beside the field."""
    from .clients import search_query

    text = (text or "").strip()
    if not text:
        if required:
            raise DomainError("相談先を入力してください。", field)
        return None
    visible = search_query(user)
    match = re.fullmatch(r"#?(\d{1,9})", text)
    if match and text.startswith("#"):
        client = db.session.scalar(visible.where(Client.id == int(match.group(1))))
        if client is None:
            raise DomainError("該当する相談先がありません。", field)
        return client
    if re.fullmatch(r"\d{13}", text):
        client = db.session.scalar(visible.where(Client.corporate_number == text).limit(1))
        if client is not None:
            return client
    found = list(db.session.scalars(search_query(user, text).limit(6)))
    exact = [c for c in found if c.name == text]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    if not found:
        raise DomainError("該当する相談先がありません。先に相談先を登録してください。", field)
    names = "、".join(f"{c.name}（#{c.id}）" for c in found[:5])
    raise DomainError(f"複数の相談先が該当します。名称を詳しく入力するか #番号 で指定してください（候補: {names}）。", field)


def client_text(client: Client | None) -> str:
    """How a form shows a chosen client again (resolve_client reads it back)."""
    return f"#{client.id} {client.name}" if client is not None else ""


def resolve_client_text(user: User, text: str | None, field: str, *, required: bool = True) -> Client | None:
    """resolve_client, also reading back what client_text wrote ("#12 株式会社…")."""
    match = re.fullmatch(r"#(\d{1,9})\s.*", (text or "").strip())
    return resolve_client(user, f"#{match.group(1)}" if match else text, field, required=required)


def load(user: User, model, record_id: int, *, include_voided: bool = False):
    """A center-scoped record or 404 (audited); viewing one of a confidential program is audited."""
    record = get_in_center_or_404(user, model, record_id, include_voided=include_voided)
    if getattr(record, "program_id", None) is None and hasattr(record, "event"):  # attendance: the event's program
        program = db.session.get(Program, record.event.program_id) if record.event.program_id else None
        if program is not None and program.confidential:
            audit.note_view(record)
    return record


def add_record(model, values: dict, *, by: User | None, ref: str | None = None, detail: dict | None = None):
    """A new record: made by `by` (none for an import), flushed for its id, audited as 'create'."""
    record = model(ref=ref, created_by_id=getattr(by, "id", None), **values)
    db.session.add(record)
    db.session.flush()
    audit.record("create", record, user=by, detail=detail or {})
    return record


def change_record(record, values: dict, *, expected_version: int | None, by: User | None):
    """A record changed at the version its form was loaded with (StaleRecord otherwise)."""
    apply_values(record, values, expected_version=expected_version, by=by)
    return record


void_program_record = void_record  # every kind voids through services/voiding.py


def live_records(model, *, load=(), order_by=("id",), **equal) -> list:
    """The records not voided whose columns equal `equal` (a parent's rows), with the `load`
    relations loaded, in `order_by` column order."""
    return list(db.session.scalars(
        select(model).where(model.voided_at.is_(None), *[getattr(model, k) == v for k, v in equal.items()])
        .options(*[selectinload(getattr(model, name)) for name in load])
        .order_by(*[getattr(model, name) for name in order_by])))


def record_list_query(model, user: User, *, dated: str, date_from=None, date_to=None, q=None, clients=("client_id",),
                      load=(), **equal):
    """A kind's list: the records the user sees, each `equal` filter that is given, those of
    clients matching the search `q` (in any of the `clients` columns) and within the period on
    the `dated` column; newest first."""
    stmt = select(model).where(and_visible(model, user)).options(*[selectinload(getattr(model, name)) for name in load])
    for name, value in equal.items():
        if value:
            stmt = stmt.where(getattr(model, name) == value)
    ids = client_ids_matching(q)
    if ids is not None:
        stmt = stmt.where(or_(*[getattr(model, column).in_(ids) for column in clients]))
    day = getattr(model, dated)
    if date_from:
        stmt = stmt.where(day >= date_from)
    if date_to:
        stmt = stmt.where(day <= date_to)
    return stmt.order_by(day.desc(), model.id.desc())


def strip(value: str | None) -> str | None:
    return (value or "").strip() or None


def not_future(day: dt.date | None, label: str, field: str, by: User | None) -> None:
    from ..dates import today_jst

    if by is not None and day is not None and day > today_jst() + dt.timedelta(days=1):
        raise DomainError(f"{label}が未来の日付です。", field)


def non_negative(value, label: str, field: str) -> None:
    if value is not None and value < 0:
        raise DomainError(f"{label}は0以上にしてください。", field)


def client_matches(terms: str | None):
    """WHERE clause on Client for a list's client search box (name, kana, 法人番号)."""
    from ..textnorm import fold
    from .clients import search_text_matches

    words = [t for t in (fold(part) for part in (terms or "").split()) if t]
    return search_text_matches(words) if words else None


def client_ids_matching(terms: str | None):
    cond = client_matches(terms)
    return None if cond is None else select(Client.id).where(cond)
