"""Cases: open, edit, close with an outcome, void; and the filtered case list."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, lazyload, selectinload

from ..access import and_visible, can_see_center, visible_with_client
from ..dates import today_jst
from ..extensions import db
from ..models import Case, Center, Client, Outcome, Theme, User, case_themes
from . import audit
from .errors import Checks, DomainError
from .filters import where_equal, where_within
from .locking import check_version
from .voiding import void_record
from ..searchindex import search_terms

T = TypeVar("T")


@dataclass
class CaseData:
    center_id: int
    opened_on: dt.date
    assignee_id: int | None = None
    title: str | None = None
    theme_codes: list[str] = field(default_factory=list)
    program_id: int | None = None  # None: the center's default program (casework.models.default_program_id)


def themes_of(codes) -> list[Theme]:
    """The themes of these codes; an unknown code is refused beside the theme field."""
    if not codes:
        return []
    themes = list(db.session.scalars(select(Theme).where(Theme.code.in_(codes))))
    if len(themes) != len(set(codes)):
        raise DomainError("テーマが不正です。", "theme_codes")
    return themes


def known_themes(codes) -> None:
    """themes_of's check without reading the themes (the vocabulary cache knows their codes)."""
    from .vocab_cache import themes

    if codes and not set(codes) <= {t.code for t in themes()}:
        raise DomainError("テーマが不正です。", "theme_codes")


def _check_center(user: User | None, center_id: int) -> Center:
    center = db.session.get(Center, center_id)
    if center is None or (user is not None and not can_see_center(user, center_id)):
        raise DomainError("このセンターの案件は開けません。", "center_id")
    return center


def open_case(client: Client, data: CaseData, by: User | None = None, ref: str | None = None) -> Case:
    checks = Checks()  # every independent problem at once, each beside its field
    center = checks.collect(_check_center, by, data.center_id)
    themes = checks.collect(themes_of, data.theme_codes)
    program = None
    if data.program_id and center is not None:
        from .programs import check_program

        program = checks.collect(check_program, by, data.program_id, data.center_id)
    if data.opened_on > today_jst() + dt.timedelta(days=1) and by is not None:
        checks.fail("開始日が未来の日付です。", "opened_on")
    checks.raise_if_any()
    case = Case(ref=ref, client=client, center_id=data.center_id, assignee_id=data.assignee_id,
                title=(data.title or "").strip() or None, opened_on=data.opened_on,
                last_activity_on=data.opened_on, created_by_id=getattr(by, "id", None),
                themes=themes or [])
    if program is not None:
        case.program_id = program.id
    case.stage = initial_stage(center.code)
    db.session.add(case)
    db.session.flush()
    audit.record("create", case, user=by, detail={"client_id": client.id})
    return case


def update_case(case: Case, data: CaseData, *, expected_version: int | None, by: User | None = None) -> Case:
    values = {"assignee_id": data.assignee_id, "title": (data.title or "").strip() or None, "opened_on": data.opened_on}
    checks = Checks()  # every independent problem at once, each beside its field
    if data.program_id and data.program_id != case.program_id:
        from .programs import check_program

        program = checks.collect(check_program, by, data.program_id, case.center_id)
        if program is not None:
            values["program_id"] = program.id
    check_version(case, expected_version, values)
    checks.collect(themes_of, data.theme_codes)
    if case.closed_on and data.opened_on > case.closed_on:
        checks.fail("開始日が終了日より後です。", "opened_on")
    checks.raise_if_any()
    diff = audit.changes(case, values)
    for key, value in values.items():
        setattr(case, key, value)
    new_codes = sorted(data.theme_codes)
    if new_codes != sorted(t.code for t in case.themes):
        diff["themes"] = [[t.code for t in case.themes], new_codes]
        case.themes = themes_of(data.theme_codes)
    if diff:
        audit.record("change", case, user=by, detail=diff)
    return case


def close_case(case: Case, *, closed_on: dt.date, outcome_code: str | None, outcome_on: dt.date | None = None,
               note: str | None = None, expected_version: int | None = None, by: User | None = None) -> Case:
    check_version(case, expected_version)
    checks = Checks()  # every independent problem at once, each beside its field
    if closed_on < case.opened_on:
        checks.fail("終了日が開始日より前です。", "closed_on")
    if outcome_code and db.session.get(Outcome, outcome_code) is None:
        checks.fail("成果が不正です。", "outcome_code")
    checks.raise_if_any()
    case.closed_on = closed_on
    case.outcome_code = outcome_code or None
    case.outcome_on = (outcome_on or closed_on) if outcome_code else None
    case.outcome_note = note or None
    audit.record("close", case, user=by, detail={"closed_on": str(closed_on), "outcome": outcome_code})
    from .hooks import run_outcome_hooks

    run_outcome_hooks(case, by)
    return case


def reopen_case(case: Case, *, expected_version: int | None = None, by: User | None = None) -> Case:
    check_version(case, expected_version)
    case.closed_on = case.outcome_code = case.outcome_on = None
    audit.record("reopen", case, user=by)
    return case


def void_case(case: Case, reason: str, by: User, *, expected_version: int | None = None) -> list:
    return void_record(case, reason, by, expected_version=expected_version)


FOUNDER_CENTER = "startup"  # cases opened there follow the founders' stages


def initial_stage(center_code: str) -> str | None:
    """The stage a new case starts at: 相談 at the startup center (founders' stages), none elsewhere.
    The one rule for the web, the services and the legacy import."""
    return "consultation" if center_code == FOUNDER_CENTER else None


def is_open_on(opened_on: dt.date, closed_on: dt.date | None, on: dt.date) -> bool:
    return opened_on <= on and (closed_on is None or closed_on >= on)


def pick_open_case(cases: Iterable[T], on: dt.date, *, opened=attrgetter("opened_on"),
                   closed=attrgetter("closed_on"), created=attrgetter("id")) -> T | None:
    """The rule for a consultation logged without a case: among the client's cases at that
    center that are not voided, the one open on that date (opened on or before it, not closed
    before it); of several, the latest opened, then the latest created. The one rule for
    find_open_case and the legacy import (which applies it to its in-memory index)."""
    return max((c for c in cases if is_open_on(opened(c), closed(c), on)), key=lambda c: (opened(c), created(c)),
               default=None)


def find_open_case(client_id: int, center_id: int, on: dt.date) -> Case | None:
    """The client's case at that center open on that date (for consultations logged without a case)."""
    return pick_open_case(db.session.scalars(
        select(Case).where(Case.client_id == client_id, Case.center_id == center_id, Case.voided_at.is_(None))
        .options(lazyload(Case.themes))), on)  # themes only if asked for


@dataclass
class CaseFilter:
    center_id: int | None = None
    assignee_id: int | None = None
    status: str | None = None  # open / closed
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None
    q: str | None = None


def case_list_query(user: User, f: CaseFilter):
    """The filtered cases as records (the API's list)."""
    stmt = (visible_with_client(Case, user)
            .options(contains_eager(Case.client), joinedload(Case.center),
                     joinedload(Case.assignee).lazyload(User.centers),  # the list shows names, not their centers
                     joinedload(Case.outcome)))  # one query for the page's rows (themes: one more)
    return _filtered(stmt, f).order_by(Case.opened_on.desc(), Case.id.desc())


def case_list_rows(user: User, f: CaseFilter):
    """The filtered cases as the list page's plain rows (no records built: CaseRow.of_page names them)."""
    stmt = (select(Case.id, Case.opened_on, Case.client_id, Client.name, Case.center_id, Case.title, Case.assignee_id,
                   Case.closed_on, Case.outcome_code)
            .join(Client, Case.client_id == Client.id).where(and_visible(Case, user), Client.voided_at.is_(None)))
    return _filtered(stmt, f)


def _filtered(stmt, f: CaseFilter):
    stmt = where_equal(stmt, (Case.center_id, f.center_id), (Case.assignee_id, f.assignee_id))
    if f.status == "open":
        stmt = stmt.where(Case.closed_on.is_(None))
    elif f.status == "closed":
        stmt = stmt.where(Case.closed_on.is_not(None))
    stmt = where_within(stmt, Case.opened_on, f.opened_from, f.opened_to)
    terms = search_terms(f.q)  # each word must match
    if terms:
        from .clients import search_text_matches

        stmt = stmt.where(search_text_matches(terms))
    return stmt


class CaseRow(NamedTuple):
    """One line of the case list, as it shows it."""
    id: int
    opened_on: dt.date
    client_id: int
    client_name: str
    center_name: str
    title: str | None
    assignee_name: str | None
    theme_labels: str
    is_open: bool
    outcome_label: str | None

    @property
    def status_label(self) -> str:
        return "対応中" if self.is_open else "終了"

    @classmethod
    def of_page(cls, rows) -> list["CaseRow"]:
        """The page's rows named from the vocabulary cache; their themes in one query."""
        from .vocab_cache import centers, outcomes, staff, themes

        center_names = {c.id: c.name for c in centers()}
        staff_names = {s.id: s.name for s in staff()}
        outcome_labels = {o.code: o.label for o in outcomes()}
        theme_order = {t.code: (i, t.label) for i, t in enumerate(themes())}
        codes: dict[int, list] = {}
        if rows:
            for case_id, code in db.session.execute(select(case_themes.c.case_id, case_themes.c.theme_code)
                                                    .where(case_themes.c.case_id.in_([r[0] for r in rows]))):
                codes.setdefault(case_id, []).append(theme_order.get(code, (len(theme_order), code)))
        return [cls(id_, opened_on, client_id, client_name, center_names.get(center_id, ""), title,
                    staff_names.get(assignee_id), "・".join(label for _i, label in sorted(codes.get(id_, ()))),
                    closed_on is None, outcome_labels.get(outcome_code))
                for id_, opened_on, client_id, client_name, center_id, title, assignee_id, closed_on, outcome_code in rows]


def case_page(user: User, case: Case) -> dict:
    """What a case page shows: its consultations newest first. Views of confidential cases are audited."""
    from ..models import Consultation

    consultations = list(db.session.scalars(
        select(Consultation).where(Consultation.case_id == case.id, and_visible(Consultation, user))
        .options(selectinload(Consultation.channel), selectinload(Consultation.staff), selectinload(Consultation.event))
        .order_by(Consultation.held_on.desc(), Consultation.id.desc())))
    if case.center.confidential:
        audit.note_view(case)  # written by the request's unit of work once the page is shown
    return {"consultations": consultations}


class OpenCase(NamedTuple):
    """A case the consultation form offers (its picker's line and the checks of the choice)."""
    id: int
    center_id: int
    center_name: str
    opened_on: dt.date
    title: str | None
    program_id: int | None


def open_cases_of(user: User, client: Client, include_id: int | None = None) -> list[OpenCase]:
    """The client's open cases the user may see (for the consultation form's case picker), as
    plain rows named from the vocabulary cache."""
    from .vocab_cache import centers

    cond = Case.closed_on.is_(None)
    if include_id:
        cond = cond | (Case.id == include_id)
    names = {c.id: c.name for c in centers()}
    rows = db.session.execute(
        select(Case.id, Case.center_id, Case.opened_on, Case.title, Case.program_id)
        .where(Case.client_id == client.id, and_visible(Case, user), cond)
        .order_by(Case.opened_on.desc(), Case.id.desc()))
    return [OpenCase(id_, center_id, names.get(center_id, ""), opened_on, title, program_id)
            for id_, center_id, opened_on, title, program_id in rows]
