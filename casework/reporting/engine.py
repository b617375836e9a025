"""Computing the metrics in SQL: the annual report, the monthly tally and the drill-down.

One query per table counts every metric of that table for every period at once, with
conditional aggregates (COUNT(CASE ...) / COUNT(DISTINCT CASE ...)); one GROUP BY query per
breakdown. Nothing loops over ORM objects, and the SQL is the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
from itertools import groupby

from sqlalchemy import case, distinct, false, func, literal, select

from ..dates import fiscal_year, fiscal_year_bounds, fy_label, month_bounds
from ..extensions import db
from ..models import Client, Industry, Theme, consultation_themes
from .metrics import (
    BREAKDOWNS, METRIC_BY_ID, METRICS, SECTION_BY_KEY, Breakdown, Metric, center_ids, in_period, metric,
    record_conditions, sections_for, with_live_client,
)

Period = tuple[dt.date, dt.date]  # half-open [start, end)


def count_metrics(metrics: list[Metric], periods: list[Period], center_codes: set[str] | None = None
                  ) -> dict[tuple[str, int], int]:
    """{(metric id, period index): count} — one query per table."""
    centers = center_ids()
    result = {}
    ordered = sorted(metrics, key=lambda m: m.table.name)
    for _table, group in groupby(ordered, key=lambda m: m.table.name):
        group = list(group)
        columns, keys = [], []
        for m in group:
            conds = record_conditions(m, centers, center_codes)
            for i, (start, end) in enumerate(periods):
                if m.sum_of:
                    columns.append(func.sum(case((in_period(m, start, end) & _all(conds), getattr(m.model, m.sum_of)))))
                    keys.append((m.id, i))
                    continue
                when = case((in_period(m, start, end) & _all(conds), getattr(m.model, m.distinct) if m.distinct else literal(1)))
                columns.append(func.count(distinct(when)) if m.distinct else func.count(when))
                keys.append((m.id, i))
        first = group[0]
        lo, hi = min(p[0] for p in periods), max(p[1] for p in periods)
        stmt = with_live_client(select(*columns).select_from(first.model), first)
        stmt = stmt.where(first.model.voided_at.is_(None), in_period(first, lo, hi)) if _same_date(group) else \
            stmt.where(first.model.voided_at.is_(None))
        row = db.session.execute(stmt).one()
        result.update({key: int(value or 0) for key, value in zip(keys, row)})
    return result


def _same_date(group: list[Metric]) -> bool:
    return len({m.date_column for m in group}) == 1


def _all(conds):
    out = conds[0]
    for c in conds[1:]:
        out = out & c
    return out


def count_breakdown(b: Breakdown, periods: list[Period], center_codes: set[str] | None = None
                    ) -> list[list[dict]]:
    """Per period, [{"label", "count"}] most first, ties in vocabulary order; zeros left out."""
    m = METRIC_BY_ID[b.metric]
    conds = record_conditions(m, center_ids(), center_codes)
    bucket = case(*[(in_period(m, s, e), literal(i)) for i, (s, e) in enumerate(periods)], else_=literal(-1))
    counted = func.count(distinct(m.model.client_id)) if b.distinct else func.count(m.model.id)
    if b.by == "theme":
        key, label, order = Theme.code, Theme.label, Theme.sort_order
        stmt = (select(bucket.label("p"), label, order, key, counted).select_from(m.model)
                .join(consultation_themes, consultation_themes.c.consultation_id == m.model.id)
                .join(Theme, Theme.code == consultation_themes.c.theme_code))
    elif b.by == "industry":
        key, label, order = Industry.code, Industry.report_label, Industry.code
        stmt = (select(bucket.label("p"), label, order, key, counted).select_from(m.model)
                .join(Client, Client.id == m.model.client_id)
                .join(Industry, Industry.code == Client.industry_code)
                .where(Client.voided_at.is_(None)))
    else:
        raise ValueError(b.by)
    if m.has_client and b.by != "industry":
        stmt = stmt.join(Client, Client.id == m.model.client_id).where(Client.voided_at.is_(None))
    lo, hi = min(p[0] for p in periods), max(p[1] for p in periods)
    stmt = stmt.where(*conds, in_period(m, lo, hi)).group_by(bucket, label, order, key)
    out = [[] for _ in periods]
    for p, lab, sort_key, _code, n in db.session.execute(stmt):
        if 0 <= p < len(periods) and n:
            out[p].append((-n, sort_key, lab))
    return [[{"label": lab, "count": -neg} for neg, _k, lab in sorted(entries)] for entries in out]


def annual_report(fy: int, center_codes: set[str] | None = None) -> dict:
    """The annual report as interchange.md defines its JSON (current FY and the one before)."""
    periods = [fiscal_year_bounds(fy), fiscal_year_bounds(fy - 1)]
    sections = sections_for(center_codes)
    keys = {s.key for s in sections}
    metrics = [m for m in METRICS if m.section in keys]
    counts = count_metrics(metrics, periods, center_codes)
    report = {
        "fiscal_year": fy, "label": fy_label(fy),
        "previous": {"fiscal_year": fy - 1, "label": fy_label(fy - 1)},
        "sections": [],
    }
    for s in sections:
        body = {"key": s.key, "title": s.title, "rows": [
            {"key": m.key, "label": m.label, "current": counts[(m.id, 0)], "previous": counts[(m.id, 1)]}
            for m in metrics if m.section == s.key]}
        if s.optional and not any(r["current"] or r["previous"] for r in body["rows"]):
            continue
        for b in BREAKDOWNS:
            if b.section == s.key:
                current, previous = count_breakdown(b, periods, center_codes)
                body[b.key] = {"current": current, "previous": previous}
        report["sections"].append(body)
    return report


def monthly_tally(year: int, month: int, center_codes: set[str] | None = None) -> dict:
    """Every metric counted within one month (distinct counts distinct within the month).

    Sections beyond the contract appear when the annual report of the month's fiscal year shows
    them (they count something in that year or the one before), so keys match the report's."""
    start, end = month_bounds(year, month)
    fy = fiscal_year(start)
    sections = sections_for(center_codes)
    keys = {s.key for s in sections}
    metrics = [m for m in METRICS if m.section in keys]
    counts = count_metrics(metrics, [(start, end)], center_codes)
    optional = [m for m in metrics if SECTION_BY_KEY[m.section].optional]
    if optional:  # two fiscal years are counted only for the optional sections' own metrics
        wide = count_metrics(optional, [(fiscal_year_bounds(fy - 1)[0], fiscal_year_bounds(fy)[1])], center_codes)
        counts.update({(m.id, 1): wide[(m.id, 0)] for m in optional})

    def shown(s) -> bool:
        return not s.optional or any(counts[(m.id, 1)] for m in metrics if m.section == s.key)

    return {
        "month": f"{year:04d}-{month:02d}",
        "fiscal_year": fy,
        "sections": {s.key: {m.key: counts[(m.id, 0)] for m in metrics if m.section == s.key}
                     for s in sections if shown(s)},
    }


def metric_records(section_key: str, row_key: str, start: dt.date, end: dt.date,
                   center_codes: set[str] | None = None):
    """A Select of the records behind one figure, [start, end) — the drill-down.

    For distinct metrics these are all the counted records; the figure is the number of
    distinct clients among them."""
    m = metric(section_key, row_key)
    owner = SECTION_BY_KEY[section_key].center
    if center_codes is not None and owner is not None and owner not in center_codes:
        return select(m.model).where(false())
    stmt = with_live_client(select(m.model), m)
    return (stmt.where(*record_conditions(m, center_ids(), center_codes), in_period(m, start, end))
            .order_by(m.date.desc(), m.model.id.desc()))


__all__ = ["annual_report", "monthly_tally", "metric_records", "count_metrics", "count_breakdown"]
