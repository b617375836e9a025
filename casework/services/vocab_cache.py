"""What only an admin changes — staff, centers, themes, channels, outcomes, programs and their
terms — read once per process as plain rows, and read again when the database says it changed.

Every worker asks the database for a fingerprint of those tables once per request (one small
statement: the tables hold tens of rows) and keeps its rows while the fingerprint is the one they
were read under. An admin's edit in any worker (or a CLI command, an import, a migration)
changes the fingerprint, so the next request of every worker reads them again: no schema of its
own, nothing to remember to bump. Rows keep the order of the query that read them (the
database's collation, as the uncached choices had).
"""
from __future__ import annotations

from typing import NamedTuple

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import String, cast, event, func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Center, Channel, Outcome, Program, ProgramTerm, Theme, User, memberships


class StaffRow(NamedTuple):
    id: int
    name: str
    role: str
    active: bool
    center_ids: frozenset


class CenterRow(NamedTuple):
    id: int
    code: str
    name: str
    confidential: bool
    sort_order: int
    active: bool


class LabelRow(NamedTuple):  # themes, channels, outcomes
    code: str
    label: str
    active: bool


class ProgramRow(NamedTuple):
    id: int
    center_id: int
    center_name: str
    name: str
    active: bool
    ended_fiscal_year: int | None


class TermRow(NamedTuple):
    id: int
    program_id: int
    kind: str
    label: str
    active: bool


def _text(*columns):
    """One text per row of these columns (the fingerprint's parts)."""
    expr = cast(columns[0], String)
    for column in columns[1:]:
        expr = expr + "|" + func.coalesce(cast(column, String), "")
    return expr


# Each table's rows as one text: a change to any column the cache shows changes it (versioned
# tables: the version, which every ORM update moves).
_PARTS = (
    (User, _text(User.id, User.version)),
    (memberships, _text(memberships.c.user_id, memberships.c.center_id)),
    (Center, _text(Center.id, Center.version)),
    (Theme, _text(Theme.code, Theme.label, Theme.sort_order, Theme.active)),
    (Channel, _text(Channel.code, Channel.label, Channel.sort_order)),
    (Outcome, _text(Outcome.code, Outcome.label, Outcome.sort_order)),
    (Program, _text(Program.id, Program.version)),
    (ProgramTerm, _text(ProgramTerm.id, ProgramTerm.version)),
)
_FINGERPRINT = select(*(select(func.coalesce(func.aggregate_strings(expr, ","), "")).select_from(table)
                        .scalar_subquery() for table, expr in _PARTS))
_SQL: dict[str, str] = {}  # the statement compiled once per dialect: it is run on every request


def _fingerprint_sql() -> str:
    dialect = db.session.get_bind().dialect
    if dialect.name not in _SQL:
        _SQL[dialect.name] = str(_FINGERPRINT.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return _SQL[dialect.name]


_MEMO = "_vocab_fingerprint"  # this request's fingerprint (popped by security._fresh_request_state)
VOCAB_MODELS = (User, Center, Theme, Channel, Outcome, Program, ProgramTerm)


def fingerprint() -> tuple:
    """The vocabularies' fingerprint, read once per request (again after a flush that changed one)."""
    if has_request_context() and _MEMO in g:
        return g.get(_MEMO)
    value = tuple(db.session.connection().exec_driver_sql(_fingerprint_sql()).one())
    if has_request_context():
        setattr(g, _MEMO, value)
    return value


def _cache() -> dict:
    """This app's cache (each app has its own database), emptied when the fingerprint moved."""
    store = current_app.extensions.setdefault("vocab_cache", {"fingerprint": None, "rows": {}})
    stamp = fingerprint()
    if store["fingerprint"] != stamp:
        store["fingerprint"], store["rows"] = stamp, {}
    return store["rows"]


def _cached(key, read):
    rows = _cache()
    if key not in rows:
        rows[key] = read()
    return rows[key]


def staff() -> list[StaffRow]:
    """Every user, by name (as the staff choices order them), with their centers' ids."""
    def read():
        centers: dict[int, set] = {}
        for user_id, center_id in db.session.execute(select(memberships.c.user_id, memberships.c.center_id)):
            centers.setdefault(user_id, set()).add(center_id)
        rows = db.session.execute(select(User.id, User.name, User.role, User.active).order_by(User.name, User.id))
        return [StaffRow(i, n, r, bool(a), frozenset(centers.get(i, ()))) for i, n, r, a in rows]
    return _cached("staff", read)


def centers() -> list[CenterRow]:
    """Every center in sort order."""
    return _cached("centers", lambda: [CenterRow(*row) for row in db.session.execute(
        select(Center.id, Center.code, Center.name, Center.confidential, Center.sort_order, Center.active)
        .order_by(Center.sort_order))])


def themes() -> list[LabelRow]:
    return _cached("themes", lambda: [LabelRow(c, l, bool(a)) for c, l, a in db.session.execute(
        select(Theme.code, Theme.label, Theme.active).order_by(Theme.sort_order))])


def channels() -> list[LabelRow]:
    return _cached("channels", lambda: [LabelRow(c, l, True) for c, l in db.session.execute(
        select(Channel.code, Channel.label).order_by(Channel.sort_order))])


def outcomes() -> list[LabelRow]:
    return _cached("outcomes", lambda: [LabelRow(c, l, True) for c, l in db.session.execute(
        select(Outcome.code, Outcome.label).order_by(Outcome.sort_order))])


def programs() -> list[ProgramRow]:
    """Every program in report order (its center's, then its own), as programs.recordable_programs."""
    return _cached("programs", lambda: [ProgramRow(*row) for row in db.session.execute(
        select(Program.id, Program.center_id, Center.name, Program.name, Program.active, Program.ended_fiscal_year)
        .join(Center, Center.id == Program.center_id).order_by(Center.sort_order, Program.sort_order, Program.id))])


def terms() -> list[TermRow]:
    """Every program term in its program's order (programs.terms_of)."""
    return _cached("terms", lambda: [TermRow(*row) for row in db.session.execute(
        select(ProgramTerm.id, ProgramTerm.program_id, ProgramTerm.kind, ProgramTerm.label, ProgramTerm.active)
        .order_by(ProgramTerm.program_id, ProgramTerm.sort_order, ProgramTerm.id))])


def remember(key, compute):
    """compute(), kept while the vocabularies are unchanged (what depends only on them and a
    key: the menu of a role with its centers)."""
    return _cached(("remember", key), compute)


def forget() -> None:
    """Read the fingerprint again at the next question (after this request changed a vocabulary)."""
    if has_request_context():
        g.pop(_MEMO, None)


def _changed_vocabulary(session, _flush_context) -> None:
    if has_app_context() and any(isinstance(o, VOCAB_MODELS) for o in (*session.new, *session.dirty, *session.deleted)):
        forget()


def _rolled_back(_session, _previous_transaction) -> None:
    if has_app_context():
        forget()  # what was read after a refused change is read again


for _name, _listener in (("after_flush", _changed_vocabulary), ("after_soft_rollback", _rolled_back)):
    if not event.contains(Session, _name, _listener):
        event.listen(Session, _name, _listener)
