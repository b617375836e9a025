"""Stored monthly figures: a closed month's consultation counts are added up, not counted again.

The annual report counts two fiscal years; at national size most of its time went into the
consultations (1M rows): the rules' grouped counts and the 主な相談テーマ breakdowns. Those figures
are stored per closed month (report_rollups, one row per figure, month and breakdown entry) by
`refresh()` — the nightly `rollups` job, the monthly tally job, `casework report refresh` — and
the engine reads a period as the sum of its stored months plus a live count of the rest (the
open month, and any month not stored or stale).

What stays live, and why:
- distinct counts (社数, 実人数): a year's distinct clients are not the sum of its months' (a client
  seen in May and June is one company). They read the covering index directly (~10 ms at
  national size), as do breakdowns by distinct client;
- the other record kinds (events, dispatch, cases …): a few tens of thousands of rows;
- a center-restricted report (`--center`): its rules differ, so do their keys.

Exactness. A figure is keyed by what it counts (table, date, sum and its filters with their
ids: figure_key), so a changed rule is a new figure. Triggers (casework/month_changes.py) add 1
to report_month_changes for every change to a closed month's consultations, their themes, or a
client's voiding or industry; a stored month remembers the count it was computed at. A month
whose count moved on is stale: reports count it live (exact at once) until refresh() recounts
and restates it — restated_at / restatements on report_rollup_months, which the report shows
as 「締め後に訂正」 (restated_months()).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict

from sqlalchemy import delete, func, insert, select

from ..dates import fiscal_year, fiscal_year_bounds, month_bounds, today_jst
from ..extensions import db
from ..models import (
    Industry, IndustryDivision, ReportMonthChange, ReportRollup, ReportRollupMonth, Theme, utcnow,
)
from .metrics import Breakdown, Metric, _cached, center_ids, held_over_periods, metric_filters, report_definitions

Period = tuple[dt.date, dt.date]
ROLLED_TABLES = frozenset({"consultations"})  # the one table large enough to need it (docs/performance.md)
TOTAL = ""  # the entry of a rule's own figure (a breakdown's entries are codes)


def rolls_up(m: Metric) -> bool:
    return m.table.name in ROLLED_TABLES and not m.distinct and not held_over_periods(m) and _stored_here()


def _stored_here() -> bool:
    """Whether the database has the stored months (revision 0015; an older one counts everything
    live), asked once per report."""
    def probe():
        conn = db.session.connection()
        name = ReportRollupMonth.__tablename__
        if conn.dialect.name == "postgresql":  # one catalogue lookup (the inspector makes two)
            return bool(conn.exec_driver_sql(f"SELECT to_regclass('{name}') IS NOT NULL").scalar())
        return conn.dialect.has_table(conn, name)

    return _cached("rollups", probe)


def rolls_up_breakdown(m: Metric, b: Breakdown) -> bool:
    return rolls_up(m) and not b.distinct


def closed_before(today: dt.date | None = None) -> dt.date:
    """The first day of the first month not stored: months end here at the latest. A month is
    closed from the 2nd of the next month (Japan time), when the triggers, which go by the
    database's UTC clock, certainly note its changes (on the 1st before 09:00 UTC is still in it)."""
    return ((today or today_jst()) - dt.timedelta(days=1)).replace(day=1)


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_of(key: str) -> Period:
    year, month = key.split("-")
    return month_bounds(int(year), int(month))


def figure_key(m: Metric, filters: dict) -> str:
    """What a figure counts, as a key: table, date column, summed column and filters (ids as
    stored). Two rules that count the same records share it; a changed rule gets a new one."""
    rule = [m.table.name, m.date_column, m.sum_of,
            sorted((column, sorted(map(str, values))) for column, values in filters.items())]
    return hashlib.sha1(json.dumps(rule, ensure_ascii=False).encode()).hexdigest()


def breakdown_key(m: Metric, b: Breakdown, filters: dict) -> str:
    return hashlib.sha1(f"{figure_key(m, filters)}|{b.by}".encode()).hexdigest()


def split(period: Period, closed: dt.date) -> tuple[list[str], list[Period]]:
    """A period as its whole closed months (keys) and the parts to count live."""
    start, end = period
    first = start if start.day == 1 else month_bounds(start.year, start.month)[1]
    if first >= end:
        return [], [period]
    months, live = [], ([(start, first)] if start < first else [])
    cursor = first
    while cursor < end:
        _s, next_start = month_bounds(cursor.year, cursor.month)
        if next_start > end or next_start > closed:
            break
        months.append(month_key(cursor))
        cursor = next_start
    if cursor < end:
        live.append((cursor, end))
    return months, live


def _fresh_months(figures: set[str], months: list[str]) -> set[str]:
    """The months whose every figure is stored and not stale."""
    if not figures or not months:
        return set()
    changes = dict(db.session.execute(select(ReportMonthChange.month, ReportMonthChange.changes)
                                      .where(ReportMonthChange.month.in_(months))).all())
    fresh = defaultdict(set)
    for figure, month, seen in db.session.execute(
            select(ReportRollupMonth.figure, ReportRollupMonth.month, ReportRollupMonth.changes_seen)
            .where(ReportRollupMonth.figure.in_(figures), ReportRollupMonth.month.in_(months))):
        if seen >= changes.get(month, 0):
            fresh[month].add(figure)
    return {month for month, seen in fresh.items() if seen >= figures}


def _stored(figures: set[str], months: set[str]) -> dict[tuple[str, str, str], int]:
    if not figures or not months:
        return {}
    rows = db.session.execute(select(ReportRollup.figure, ReportRollup.month, ReportRollup.entry, ReportRollup.value)
                              .where(ReportRollup.figure.in_(figures), ReportRollup.month.in_(months)))
    return {(f, mo, e): v for f, mo, e, v in rows}


def _plan(periods: list[Period], figures: set[str]):
    """Per period, the stored months to add up, and the pieces (period index, [start, end)) to
    count live: adjacent live months of a period joined into one piece."""
    closed = closed_before()
    splits = [split(p, closed) for p in periods]
    fresh = _fresh_months(figures, sorted({mo for months, _live in splits for mo in months}))
    stored_months, pieces = [], []
    for i, (months, live) in enumerate(splits):
        stored_months.append([mo for mo in months if mo in fresh])
        parts = sorted([_month_of(mo) for mo in months if mo not in fresh] + live)
        for start, end in parts:
            if pieces and pieces[-1][0] == i and pieces[-1][1][1] == start:
                pieces[-1] = (i, (pieces[-1][1][0], end))
            else:
                pieces.append((i, (start, end)))
    return stored_months, pieces


def count_metrics(metrics: list[Metric], periods: list[Period], center_codes, count_live) -> dict:
    """{(metric id, period index): value} of rules that roll up: stored months plus live pieces.
    count_live(metrics, periods, center_codes) is the engine's own count."""
    centers = center_ids()
    filters = {m.id: metric_filters(m, centers, center_codes) for m in metrics}
    result = {(m.id, i): 0 for m in metrics for i in range(len(periods))}
    active = [m for m in metrics if filters[m.id] is not None]
    if not active:
        return result
    keys = {m.id: figure_key(m, filters[m.id]) for m in active}
    stored_months, pieces = _plan(periods, set(keys.values()))
    stored = _stored(set(keys.values()), {mo for months in stored_months for mo in months})
    for i, months in enumerate(stored_months):
        for m in active:
            result[(m.id, i)] += sum(stored.get((keys[m.id], mo, TOTAL), 0) for mo in months)
    if pieces:
        counted = count_live(active, [p for _i, p in pieces], center_codes)
        for j, (i, _p) in enumerate(pieces):
            for m in active:
                result[(m.id, i)] += counted[(m.id, j)]
    return result


def entry_labels(by: str) -> dict[str, tuple]:
    """{entry code: (label, sort key)} of a breakdown's vocabulary, as the live query labels it."""
    if by == "theme":
        rows = db.session.execute(select(Theme.code, Theme.label, Theme.sort_order))
    elif by == "industry":
        rows = db.session.execute(select(Industry.code, Industry.report_label, Industry.code))
    elif by == "industry_middle":
        rows = [*db.session.execute(select(Industry.code, Industry.report_label, Industry.middle_from)),
                *db.session.execute(select(IndustryDivision.code, IndustryDivision.report_label, IndustryDivision.code))]
    else:
        raise ValueError(by)
    return {code: (label, order) for code, label, order in rows}


def count_breakdown(m: Metric, b: Breakdown, periods: list[Period], center_codes, live_rows) -> list[list[dict]]:
    """Per period, [{"label", "count"}] most first, ties in vocabulary order (as the engine's);
    live_rows(periods) yields the live query's (period, label, sort key, code, count)."""
    filters = metric_filters(m, center_ids(), center_codes)
    if filters is None:
        return [[] for _ in periods]
    key = breakdown_key(m, b, filters)
    stored_months, pieces = _plan(periods, {key})
    counts = [defaultdict(int) for _ in periods]
    for (_f, month, code), n in _stored({key}, {mo for months in stored_months for mo in months}).items():
        for i, months in enumerate(stored_months):
            if month in months:
                counts[i][code] += n
    if pieces:
        for p, _label, _order, code, n in live_rows([piece for _i, piece in pieces]):
            if 0 <= p < len(pieces):
                counts[pieces[p][0]][code] += n
    labels = entry_labels(b.by)
    out = []
    for entries in counts:
        ranked = sorted((-n, labels[code][1], labels[code][0]) for code, n in entries.items() if n and code in labels)
        out.append([{"label": label, "count": -neg} for neg, _order, label in ranked])
    return out


# ---------------------------------------------------------------------------------------------
# Storing and restating
# ---------------------------------------------------------------------------------------------

def _rolled(definitions):
    metrics = [m for m in definitions.metrics if rolls_up(m)]
    by_id = definitions.metric_by_id
    breakdowns = [(by_id[b.metric], b) for b in definitions.breakdowns
                  if b.metric in by_id and rolls_up_breakdown(by_id[b.metric], b)]
    return metrics, breakdowns


def default_months(today: dt.date | None = None) -> list[str]:
    """What the nightly refresh keeps stored: every closed month of this fiscal year and the two
    before (the annual report reads this year and the last), and any stored month since
    changed, however old."""
    closed = closed_before(today)
    start = fiscal_year_bounds(fiscal_year(today or today_jst()) - 2)[0]
    months, _live = split((start, closed), closed) if start < closed else ([], [])
    stale = db.session.scalars(
        select(ReportRollupMonth.month).distinct().join(ReportMonthChange, ReportMonthChange.month == ReportRollupMonth.month)
        .where(ReportRollupMonth.changes_seen < ReportMonthChange.changes))
    return sorted(set(months) | set(stale))


def refresh(months: list[str] | None = None, today: dt.date | None = None) -> dict:
    """Store every closed month's figures that is missing or stale (default: default_months()),
    restating the stale ones. Counts in the caller's transaction (a job or a CLI command commits).
    Returns {"stored": [months], "restated": [months]}."""
    from .engine import _breakdown_statement, _count_metrics, _values
    from .metrics import counting

    closed = closed_before(today)
    months = sorted(mo for mo in (months if months is not None else default_months(today))
                    if _month_of(mo)[1] <= closed)
    with counting():
        definitions = report_definitions()
        metrics, breakdowns = _rolled(definitions)
        centers = center_ids()
        filters = {m.id: metric_filters(m, centers) for m in metrics}
        metrics = [m for m in metrics if filters[m.id] is not None]
        keys = {m.id: figure_key(m, filters[m.id]) for m in metrics}
        bkeys = {(b.section, b.key): breakdown_key(m, b, metric_filters(m, centers)) for m, b in breakdowns}
        figures = set(keys.values()) | set(bkeys.values())
        fresh = _fresh_months(figures, months)
        todo = [mo for mo in months if mo not in fresh]
        if not todo:
            return {"stored": [], "restated": []}
        # the change counts first: a change committed while counting leaves the month stale again
        changes = dict(db.session.execute(select(ReportMonthChange.month, ReportMonthChange.changes)
                                          .where(ReportMonthChange.month.in_(todo))).all())
        periods = [_month_of(mo) for mo in todo]
        values: dict[tuple[str, str, str], int] = {}
        for run in _runs(list(range(len(todo))), periods):
            counted = _count_metrics(metrics, [periods[j] for j in run])
            for k, j in enumerate(run):
                for m in metrics:
                    n = counted[(m.id, k)]
                    if n:
                        key = (keys[m.id], todo[j], TOTAL)
                        values[key] = values.get(key, 0) + n
            for m, b in breakdowns:
                stmt = _breakdown_statement(m, b, len(run), None)
                bkey = bkeys[(b.section, b.key)]
                for p, _label, _order, code, n in db.session.connection().execute(
                        stmt, _values([periods[j] for j in run])):
                    if 0 <= p < len(run) and n:
                        values[(bkey, todo[run[p]], code)] = n
    restated = _write(figures, todo, values, changes)
    return {"stored": todo, "restated": restated}


def _runs(indexes: list[int], periods: list[Period]) -> list[list[int]]:
    """Consecutive months in runs of at most a fiscal year's twelve (one scan each)."""
    runs = []
    for j in indexes:
        if runs and periods[runs[-1][-1]][1] == periods[j][0] and len(runs[-1]) < 12:
            runs[-1].append(j)
        else:
            runs.append([j])
    return runs


def _write(figures: set[str], months: list[str], values: dict, changes: dict) -> list[str]:
    before = {(f, mo): (seen, n, at) for f, mo, seen, n, at in db.session.execute(
        select(ReportRollupMonth.figure, ReportRollupMonth.month, ReportRollupMonth.changes_seen,
               ReportRollupMonth.restatements, ReportRollupMonth.restated_at)
        .where(ReportRollupMonth.month.in_(months)))}
    now = utcnow()
    restated = sorted({mo for (f, mo), (seen, _n, _at) in before.items() if f in figures and seen < changes.get(mo, 0)})
    # a month restated before keeps showing it (the latest time, and how often)
    earlier = defaultdict(lambda: (0, None))
    for (_f, mo), (_seen, n, at) in before.items():
        if at is not None and (earlier[mo][1] is None or at > earlier[mo][1]):
            earlier[mo] = (n, at)
    # figures of rules no longer in force go with their months' rows
    db.session.execute(delete(ReportRollup).where(ReportRollup.month.in_(months)))
    db.session.execute(delete(ReportRollupMonth).where(ReportRollupMonth.month.in_(months)))
    if values:
        db.session.execute(insert(ReportRollup), [
            {"figure": f, "month": mo, "entry": e, "value": v} for (f, mo, e), v in values.items()])
    db.session.execute(insert(ReportRollupMonth), [
        {"figure": f, "month": mo, "changes_seen": changes.get(mo, 0), "computed_at": now,
         "restated_at": now if mo in restated else earlier[mo][1],
         "restatements": earlier[mo][0] + (mo in restated)}
        for f in sorted(figures) for mo in months])
    return restated


def restated_months(periods: list[Period]) -> list[dict]:
    """The stored months of these periods recounted after they closed because their records
    changed: [{"month": "2024-05", "restated_at": "2026-12-02T01:23:45"}] (UTC), oldest first."""
    months = sorted({mo for p in periods for mo in split(p, closed_before())[0]})
    if not months or not _stored_here():
        return []
    rows = db.session.execute(select(ReportRollupMonth.month, func.max(ReportRollupMonth.restated_at))
                              .where(ReportRollupMonth.month.in_(months), ReportRollupMonth.restated_at.is_not(None))
                              .group_by(ReportRollupMonth.month).order_by(ReportRollupMonth.month))
    return [{"month": mo, "restated_at": at.isoformat(timespec="seconds")} for mo, at in rows]
