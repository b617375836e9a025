"""The counting rules of the annual report, defined once (style.md habit 4).

Each figure of the report is a named Metric: which records it counts (table, center, channel,
event kind, outcome), by which date column, and whether it counts records (件数 / 延べ) or
distinct clients (社数 / 実). Breakdowns (主な相談テーマ / 主な業種) are defined over a metric's
records. The annual report, the monthly tally, the dashboard and the drill-down all read these
definitions; none of them restates a rule.

Voided records never count, nor records of a voided client. Dates are plain Date columns that
already hold the Japan-time day.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, false, or_, select

from ..extensions import db
from ..models import Case, Center, Client, Consultation, DispatchVisit, Diagnosis, Event, Grant


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    center: str | None  # the center whose work the section reports (--center restriction); None: every center
    optional: bool = False  # beyond the contract: shown only when it counts something


@dataclass(frozen=True)
class Metric:
    section: str
    key: str
    label: str
    unit: str  # 件 / 社 / 回 / 名, as the printed report writes it
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


SECTIONS = [
    Section("onestop", "ワンストップ総合相談事業", "onestop"),
    Section("yorozu", "よろず支援拠点事業", "yorozu"),
    Section("dispatch", "専門家派遣事業", "onestop"),
    Section("startup", "創業・起業伴走型支援事業", "startup"),
    Section("succession", "事業承継・引継ぎ支援センター事業", "succession"),
    # Beyond the contract (other programs of the FY2023 report), shown when they count something.
    Section("seminars", "研修・セミナー", None, optional=True),
    Section("trade_fairs", "商談会", None, optional=True),
    Section("grants", "移住起業支援金等（助成）", "startup", optional=True),
]

METRICS = [
    Metric("onestop", "window", "窓口相談", "件", Consultation, center="onestop", channels=("window",)),
    Metric("onestop", "visit", "巡回相談", "件", Consultation, center="onestop", channels=("visit",)),
    Metric("onestop", "total", "計", "件", Consultation, center="onestop", channels=("window", "visit")),
    Metric("yorozu", "outreach_days", "出張相談会開催回数", "回", Event, center="yorozu", event_kind="outreach_day"),
    Metric("yorozu", "visitor_consultations", "来訪相談件数", "件", Consultation, center="yorozu", channels=("window",)),
    Metric("dispatch", "companies", "派遣企業", "社", DispatchVisit, center="onestop", distinct="client_id"),
    Metric("dispatch", "visits", "派遣延べ回数", "回", DispatchVisit, center="onestop"),
    Metric("startup", "founders", "創業者数", "名", Case, date_column="outcome_on", center="startup", outcome="founded"),
    Metric("startup", "consultations", "相談件数", "件", Consultation, center="startup"),
    Metric("succession", "companies", "相談企業数", "社", Consultation, center="succession", distinct="client_id"),
    Metric("succession", "consultations", "相談件数", "件", Consultation, center="succession"),
    Metric("succession", "diagnoses", "事業承継診断件数", "件", Diagnosis, null_center_is="succession"),
    Metric("succession", "expert_dispatches", "専門家派遣回数", "回", DispatchVisit, center="succession"),
    Metric("seminars", "sessions", "開催回数", "回", Event, event_kinds=("seminar", "training")),
    Metric("seminars", "participants", "参加人数", "名", Event, event_kinds=("seminar", "training"),
           sum_of="participants"),
    Metric("trade_fairs", "sessions", "開催回数", "回", Event, event_kind="trade_fair"),
    Metric("trade_fairs", "participants", "参加者数", "名", Event, event_kind="trade_fair", sum_of="participants"),
    Metric("grants", "adopted", "採択件数", "件", Grant, date_column="decided_on", center="startup", decision="adopted"),
    Metric("grants", "amount", "交付金額", "円", Grant, date_column="decided_on", center="startup", decision="adopted",
           sum_of="amount"),
]

BREAKDOWNS = [
    Breakdown("onestop", "top_themes", "主な相談テーマ", "onestop.total", "theme"),
    Breakdown("yorozu", "top_themes", "主な相談テーマ", "yorozu.visitor_consultations", "theme"),
    Breakdown("dispatch", "by_industry", "業種内訳", "dispatch.companies", "industry", distinct=True, unit="社"),
    Breakdown("startup", "top_industries", "主な業種", "startup.founders", "industry", unit="名"),
]

@dataclass(frozen=True)
class Definitions:
    """The report's definitions in force: sections, their figures (metrics) and breakdowns.

    Everything that counts or shows a figure takes its rules from here: the annual report, the
    monthly tally (and its fingerprint), the dashboard, the drill-down and the exports."""
    sections: tuple[Section, ...]
    metrics: tuple[Metric, ...]
    breakdowns: tuple[Breakdown, ...]

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

        text = repr((self.sections, [dataclasses.replace(m, model=m.model.__tablename__) for m in self.metrics],
                     self.breakdowns))
        return hashlib.sha256(text.encode()).hexdigest()

    def metrics_of(self, section_key: str) -> list[Metric]:
        return [m for m in self.metrics if m.section == section_key]

    def breakdowns_of(self, section_key: str) -> list[Breakdown]:
        return [b for b in self.breakdowns if b.section == section_key]

    def sections_for(self, center_codes: set[str] | None) -> list[Section]:
        """The sections a restriction to some centers keeps (all when None)."""
        return [s for s in self.sections
                if center_codes is None or s.center is None or s.center in center_codes]


DEFAULTS = Definitions(tuple(SECTIONS), tuple(METRICS), tuple(BREAKDOWNS))
METRIC_BY_ID = DEFAULTS.metric_by_id
SECTION_BY_KEY = DEFAULTS.section_by_key


def report_definitions() -> Definitions:
    """The definitions in force."""
    return DEFAULTS


def metric(section_key: str, row_key: str, definitions: Definitions | None = None) -> Metric:
    try:
        return (definitions or report_definitions()).metric_by_id[f"{section_key}.{row_key}"]
    except KeyError:
        raise KeyError(f"no metric {section_key}.{row_key}") from None


def sections_for(center_codes: set[str] | None) -> list[Section]:
    """The sections a restriction to some centers keeps (all when None)."""
    return report_definitions().sections_for(center_codes)


def center_ids() -> dict[str, int]:
    return dict(db.session.execute(select(Center.code, Center.id)).all())


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
    return filters


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
    return client_id_column.not_in(select(Client.id).where(Client.voided_at.is_not(None)))


def in_period(m: Metric, start: dt.date, end: dt.date):
    return and_(m.date >= start, m.date < end)


def metric_sources(metrics) -> list[tuple[type, str]]:
    """(model, date column) of every table the metrics count, each once, in a stable order:
    what a period's figures are made of (the tally's "changed since stored" fingerprint)."""
    seen = {}
    for m in metrics:
        seen.setdefault((m.table.name, m.date_column), (m.model, m.date_column))
    return [seen[k] for k in sorted(seen)]
