"""The counting rules of the annual report, defined once (style.md habit 4).

The report is data (report_sections / report_rows / report_opening_balances, edited by admins,
defaults in reporting/defaults.py): this module compiles those rows into the definitions the
engine counts. Each figure is a named Metric: which records it counts (record kind, center,
program, channel, event kind, outcome, decision, activity, category, side), by which date
column, and whether it counts records (件数 / 延べ), distinct clients (社数 / 実) or adds up a
column (金額, 参加人数). Breakdowns (主な相談テーマ / 主な業種) are defined over a metric's records,
list tables over a record kind. The annual report, the monthly tally (and its fingerprint), the
dashboard, the drill-down and the exports all read these definitions; none restates a rule.

Voided records never count, nor records of a voided client. Dates are plain Date columns that
already hold the Japan-time day.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, false, or_, select

from ..extensions import db
from ..models import Center, Client
from . import defaults
from .sources import SOURCES, TERM_FILTERS


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    center: str | None  # the center whose work the section reports (--center restriction); None: every center
    optional: bool = False  # beyond the contract: shown only when it counts something
    number: str | None = None  # as the printed report numbers it: 1(1)①
    note: str | None = None  # printed under the table
    project_year_offset: int | None = None  # year headers 「令和4年度 (令和5年度事業)」 (the project's year later)
    split_by: str | None = None  # "event": also one table per event of the fiscal year (1(2)② per 商談会)
    column_labels: tuple[str, ...] = ()  # those tables' columns: 全体 [, うち県内]


@dataclass(frozen=True)
class Metric:
    section: str
    key: str
    label: str
    unit: str  # 件 / 社 / 名 / 回 / 千円, as the printed report writes it
    model: type
    date_column: str = "held_on"
    center: str | None = None
    channels: tuple[str, ...] = ()
    event_kind: str | None = None
    outcome: str | None = None
    distinct: str | None = None  # column counted once (e.g. client_id); None = every record
    null_center_is: str | None = None  # records without a center belong to this one (diagnoses)
    event_kinds: tuple[str, ...] = ()  # several event kinds (event_kind: one)
    decision: str | None = None  # grants: adopted / rejected
    sum_of: str | None = None  # add up this column (参加人数, 金額) instead of counting records
    # further filters: (column, allowed values, program vocabulary kind when the values are
    # program_terms codes stored as ids, else None)
    where: tuple[tuple[str, tuple, str | None], ...] = ()
    program: str | None = None  # records of this program (programs.code) only
    cumulative_from: int | None = None  # the row shows 累計 from this fiscal year
    openings: tuple[tuple[int, int], ...] = ()  # (as_of_fy, total of the years before it)
    combine_with: str | None = None  # printed 「4社（派遣延べ回数 16回）」 with that row of the section

    @property
    def id(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def table(self):
        return self.model.__table__

    @property
    def date(self):
        return getattr(self.model, self.date_column)

    @property
    def has_client(self) -> bool:
        return hasattr(self.model, "client_id")


@dataclass(frozen=True)
class Breakdown:
    section: str
    key: str
    label: str  # heading the printed report uses
    metric: str  # id of the metric whose records are broken down
    by: str  # "theme" or "industry"
    distinct: bool = False  # count distinct clients per entry (社数) instead of records
    unit: str = "件"


@dataclass(frozen=True)
class ListTable:
    """A list of records printed as a table (研修名 / 連携機関 / 日程 / 開催地区 / 参加人数)."""
    section: str
    key: str
    label: str
    metric: Metric  # which records (its filters and date)
    columns: tuple[str, ...]
    labels: tuple[tuple[str, str], ...] = ()  # (column, header as printed) where it differs from the source's


@dataclass(frozen=True)
class Definitions:
    """The report's definitions in force: sections, their figures (metrics), breakdowns, lists.

    Everything that counts or shows a figure takes its rules from here: the annual report, the
    monthly tally (and its fingerprint), the dashboard, the drill-down and the exports."""
    sections: tuple[Section, ...]
    metrics: tuple[Metric, ...]
    breakdowns: tuple[Breakdown, ...]
    lists: tuple[ListTable, ...] = ()

    @property
    def metric_by_id(self) -> dict[str, Metric]:
        return {m.id: m for m in self.metrics}

    @property
    def section_by_key(self) -> dict[str, Section]:
        return {s.key: s for s in self.sections}

    @property
    def digest(self) -> str:
        """A stable hash of the rules (a changed rule changes the figures)."""
        import hashlib

        def plain(m):
            return dataclasses.replace(m, model=m.model.__tablename__)

        text = repr((self.sections, [plain(m) for m in self.metrics], self.breakdowns,
                     [dataclasses.replace(t, metric=plain(t.metric)) for t in self.lists]))
        return hashlib.sha256(text.encode()).hexdigest()

    def metrics_of(self, section_key: str) -> list[Metric]:
        return [m for m in self.metrics if m.section == section_key]

    def breakdowns_of(self, section_key: str) -> list[Breakdown]:
        return [b for b in self.breakdowns if b.section == section_key]

    def lists_of(self, section_key: str) -> list[ListTable]:
        return [t for t in self.lists if t.section == section_key]

    def sections_for(self, center_codes: set[str] | None) -> list[Section]:
        """The sections a restriction to some centers keeps (all when None)."""
        return [s for s in self.sections
                if center_codes is None or s.center is None or s.center in center_codes]


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c.strip() for c in (text or "").split(";") if c.strip())


def compile_metric(section_key: str, row: dict, openings=()) -> Metric:
    """A report row (a dict of report_rows' columns) as the Metric the engine counts."""
    source = SOURCES[row["source"]]
    where = []
    for name in ("activity", "category", "side", "course", "milestone", "outcome"):
        column = source.filters.get(name)
        if row.get(name) and column and column != "outcome_code":  # cases' outcome: Metric.outcome
            where.append((column, _codes(row[name]), TERM_FILTERS.get(name)))
    kinds = _codes(row.get("event_kinds"))
    aggregation = row.get("aggregation") or "records"
    return Metric(
        section_key, row["key"], row["label"], row.get("unit") or "件", source.model,
        date_column=row.get("date_column") or source.date_column, center=row.get("center_code") or None,
        channels=_codes(row.get("channels")), event_kind=kinds[0] if len(kinds) == 1 else None,
        event_kinds=kinds if len(kinds) > 1 else (),
        outcome=row.get("outcome") if source.filters.get("outcome") == "outcome_code" else None,
        distinct="client_id" if aggregation == "clients" else None,
        null_center_is=row.get("null_center_is") or None, decision=row.get("decision") or None,
        sum_of=row.get("sum_of") if aggregation == "sum" else None, where=tuple(where),
        program=row.get("program_code") or None, cumulative_from=row.get("cumulative_from"),
        openings=tuple(sorted(openings)), combine_with=row.get("combine_with") or None)


def compile_definitions(sections: list[dict], rows: list[dict], openings: list[dict]) -> Definitions:
    """Definitions from report_sections / report_rows / report_opening_balances rows (active ones)."""
    by_row = {}
    for o in openings:
        by_row.setdefault(o["row_id"], []).append((o["as_of_fy"], o["value"]))
    live = sorted((s for s in sections if s.get("active", True)), key=lambda s: (s["sort_order"], s["id"]))
    section_keys = {s["id"]: s["key"] for s in live}
    compiled_sections = tuple(Section(s["key"], s["title"], s.get("center_code") or None, bool(s.get("optional")),
                                      s.get("number") or None, s.get("note") or None,
                                      s.get("project_year_offset") or None, s.get("split_by") or None,
                                      _codes(s.get("column_labels"))) for s in live)
    metrics, breakdowns, lists = [], [], []
    order = {s["id"]: i for i, s in enumerate(live)}
    for row in sorted((r for r in rows if r.get("active", True) and r["section_id"] in section_keys),
                      key=lambda r: (order[r["section_id"]], r["sort_order"], r["id"])):
        section = section_keys[row["section_id"]]
        kind = row.get("kind") or "figure"
        if kind == "figure":
            metrics.append(compile_metric(section, row, by_row.get(row["id"], ())))
        elif kind == "breakdown":
            breakdowns.append(Breakdown(section, row["key"], row["label"], f"{section}.{row['breakdown_of']}",
                                        row.get("breakdown_by") or "theme", row.get("aggregation") == "clients",
                                        row.get("unit") or "件"))
        elif kind == "list":
            columns = [c.partition("=") for c in _codes(row.get("list_columns"))]
            headers = tuple((c.strip(), label.strip()) for c, eq, label in columns if eq and label.strip())
            lists.append(ListTable(section, row["key"], row["label"], compile_metric(section, row),
                                   tuple(c.strip() for c, _eq, _label in columns), headers))
    known = {m.id for m in metrics}
    breakdowns = [b for b in breakdowns if b.metric in known]  # a breakdown of a deactivated row goes too
    return Definitions(compiled_sections, tuple(metrics), tuple(breakdowns), tuple(lists))


def default_definitions() -> Definitions:
    rows = defaults.definition_rows()
    return compile_definitions(rows["report_sections"], rows["report_rows"], rows["report_opening_balances"])


DEFAULTS = default_definitions()
SECTIONS, METRICS, BREAKDOWNS = list(DEFAULTS.sections), list(DEFAULTS.metrics), list(DEFAULTS.breakdowns)
METRIC_BY_ID = DEFAULTS.metric_by_id
SECTION_BY_KEY = DEFAULTS.section_by_key


_LOADED: dict = {}

# A database not yet upgraded to revision 0007 (no report definitions, no programs) counts what
# the report counted before: the default rows that need neither.
PRE_0007 = Definitions(
    tuple(s for s in DEFAULTS.sections if s.key in {"onestop", "yorozu", "dispatch", "startup", "succession",
                                                    "seminars", "trade_fairs", "grants"}),
    tuple(m for m in DEFAULTS.metrics if m.section in {"onestop", "yorozu", "dispatch", "startup", "succession",
                                                       "seminars", "trade_fairs", "grants"}),
    tuple(b for b in DEFAULTS.breakdowns if b.section in {"onestop", "yorozu", "dispatch", "startup"}))


def _table_names() -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(db.session.connection()).get_table_names())


def load_definitions() -> Definitions:
    """The definitions stored in the database, compiled once per change: one query reads a stamp
    (row counts, latest updated_at, versions of the three tables); only a changed stamp reads
    and compiles the rows again."""
    from sqlalchemy import func

    from ..models import ReportOpeningBalance, ReportRow, ReportSection

    if "report_sections" not in _table_names():
        return PRE_0007
    parts = []
    for model in (ReportSection, ReportRow, ReportOpeningBalance):
        parts += [select(func.count(model.id)).scalar_subquery(), select(func.max(model.updated_at)).scalar_subquery()]
        if hasattr(model, "version"):
            parts.append(select(func.sum(model.version)).scalar_subquery())
    connection = db.session.connection()
    stamp = (str(connection.engine.url), tuple(connection.execute(select(*parts)).one()))
    cached = _LOADED.get("stamp") == stamp and _LOADED.get("definitions")
    if cached:
        return cached

    def rows_of(model):
        return [dict(r._mapping) for r in connection.execute(select(*model.__table__.c))]

    definitions = compile_definitions(rows_of(ReportSection), rows_of(ReportRow), rows_of(ReportOpeningBalance))
    _LOADED.update(stamp=stamp, definitions=definitions)
    return definitions


def report_definitions() -> Definitions:
    """The definitions in force, read once per request (outside a request: each time)."""
    from flask import g, has_app_context, has_request_context

    if not has_app_context():
        return DEFAULTS
    if not has_request_context():
        return load_definitions()
    cached = g.get("_report_definitions")
    if cached is None:
        cached = g._report_definitions = load_definitions()
    return cached


def forget_definitions() -> None:
    """After definitions change: the next report_definitions() reads them again."""
    from flask import g, has_app_context

    if has_app_context():
        g.pop("_report_definitions", None)


def metric(section_key: str, row_key: str, definitions: Definitions | None = None) -> Metric:
    try:
        return (definitions or report_definitions()).metric_by_id[f"{section_key}.{row_key}"]
    except KeyError:
        raise KeyError(f"no metric {section_key}.{row_key}") from None


def sections_for(center_codes: set[str] | None) -> list[Section]:
    """The sections a restriction to some centers keeps (all when None)."""
    return report_definitions().sections_for(center_codes)


def center_ids() -> dict[str, int]:
    return _cached("centers", lambda: dict(db.session.execute(select(Center.code, Center.id)).all()))


def metric_filters(m: Metric, centers: dict[str, int], center_codes: set[str] | None = None
                   ) -> dict[str, frozenset] | None:
    """Which records a metric counts, as {column: allowed values} (None among them: NULL);
    None when a restriction to some centers leaves the metric nothing to count.

    The one statement of a metric's rule: record_conditions() turns it into SQL, and the engine
    applies it to grouped counts (engine.count_metrics)."""
    filters = {}
    if m.center is not None:
        if center_codes is not None and m.center not in center_codes:
            return None
        filters["center_id"] = frozenset([centers.get(m.center, -1)])
    elif center_codes is not None:
        # a restriction keeps the chosen centers' records; without a center a record is null_center_is's
        allowed = {centers[c] for c in center_codes if c in centers} or {-1}
        if m.null_center_is is not None and m.null_center_is in center_codes:
            allowed.add(None)
        filters["center_id"] = frozenset(allowed)
    if m.channels:
        filters["channel_code"] = frozenset(m.channels)
    if m.event_kind or m.event_kinds:
        filters["kind_code"] = frozenset(m.event_kinds or (m.event_kind,))
    if m.decision:
        filters["decision"] = frozenset([m.decision])
    if m.outcome:
        filters["outcome_code"] = frozenset([m.outcome])
    for column, values, term_kind in m.where:
        filters[column] = frozenset(term_ids(term_kind, values, m.program) if term_kind else values)
    if m.program is not None:
        filters["program_id"] = frozenset([program_ids().get(m.program, -1)])
    return filters


def term_ids(kind: str, codes, program_code: str | None = None) -> list[int]:
    """Ids of the program vocabulary entries of this kind with these codes (of the program when
    one is named); [-1] when none, so nothing matches."""
    terms = _cached("terms", _every_term)
    return [i for i, k, code, program in terms
            if k == kind and code in codes and (program_code is None or program == program_code)] or [-1]


_LOOKUPS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("report_lookups", default=None)


@contextlib.contextmanager
def counting():
    """Vocabulary lookups (program and term ids) read once while a report or tally is counted."""
    if _LOOKUPS.get() is not None:
        yield
        return
    token = _LOOKUPS.set({})
    try:
        yield
    finally:
        _LOOKUPS.reset(token)


def _cached(key, compute):
    cache = _LOOKUPS.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def lookup_stamp(programs: bool = True) -> int:
    """The vocabulary ids compiled rules hold (centers; with programs, programs and program
    terms) as a small number: statements built for one stamp are reused while it holds
    (engine._statement). Rules without a program need no programs table (a database before 0006)."""
    def stamp():
        full = (tuple(sorted(center_ids().items())),
                (tuple(sorted(program_ids().items())), tuple(tuple(t) for t in _cached("terms", _every_term)))
                if programs else ())
        return _STAMPS.setdefault(full, len(_STAMPS))  # a small number per distinct set of ids
    return _cached(("stamp", programs), stamp)


_STAMPS: dict[tuple, int] = {}


def _every_term():
    from ..models import Program, ProgramTerm

    stmt = select(ProgramTerm.id, ProgramTerm.kind, ProgramTerm.code, Program.code).join(
        Program, Program.id == ProgramTerm.program_id)
    return db.session.execute(stmt).all()


def program_ids() -> dict[str, int]:
    """{program code: id} (empty where the schema has no programs)."""
    table = db.metadata.tables.get("programs")
    if table is None:
        return {}
    return _cached("programs", lambda: dict(db.session.execute(select(table.c.code, table.c.id)).all()))


def record_conditions(m: Metric, centers: dict[str, int], center_codes: set[str] | None = None) -> list:
    """WHERE clauses selecting the records a metric counts (any period)."""
    filters = metric_filters(m, centers, center_codes)
    if filters is None:
        return [false()]
    conds = [m.model.voided_at.is_(None)]
    for name, allowed in filters.items():
        column = getattr(m.model, name)
        values = sorted(v for v in allowed if v is not None)
        cond = column == values[0] if len(values) == 1 else column.in_(values)
        conds.append(or_(cond, column.is_(None)) if None in allowed else cond)
    return conds


def with_live_client(stmt, m: Metric):
    """Drop records of voided clients.

    NOT IN over the few voided clients (a partial index holds them) rather than a join to
    clients: the counts then read only the covering index of the counted table."""
    if not m.has_client:
        return stmt
    return stmt.where(live_client(m.model.client_id))


def live_client(client_id_column):
    """Not a record of a voided client (a record without a client, where the kind allows one —
    an attendance by company name — is live)."""
    live = client_id_column.not_in(select(Client.id).where(Client.voided_at.is_not(None)))
    columns = getattr(getattr(client_id_column, "property", None), "columns", ())
    if columns and columns[0].nullable:
        return or_(client_id_column.is_(None), live)
    return live


def in_period(m: Metric, start: dt.date, end: dt.date):
    """The metric's records of [start, end); for a record kind held over a period (registrations),
    those held at the period's end."""
    until = _until_column(m)
    if until is not None:
        return and_(m.date < end, or_(until.is_(None), until >= end))
    return and_(m.date >= start, m.date < end)


def covering(m: Metric, start: dt.date, end: dt.date):
    """Records any period within [start, end) may count (the outer WHERE of a grouped count)."""
    if _until_column(m) is not None:
        return m.date < end
    return in_period(m, start, end)


def _until_column(m: Metric):
    from .sources import source_of_model

    source = source_of_model(m.model)
    return getattr(m.model, source.until_column) if source is not None and source.until_column else None


def held_over_periods(m: Metric) -> bool:
    return _until_column(m) is not None


def metric_sources(metrics) -> list[tuple[type, str]]:
    """(model, date column) of every table the metrics count, each once, in a stable order:
    what a period's figures are made of (the tally's "changed since stored" fingerprint)."""
    seen = {}
    for m in metrics:
        seen.setdefault((m.table.name, m.date_column), (m.model, m.date_column))
    return [seen[k] for k in sorted(seen)]
