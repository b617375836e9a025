"""Computing the metrics in SQL: the annual report, the monthly tally and the drill-down.

One query per table counts every metric of that table for every period at once, with
conditional aggregates (COUNT(CASE ...) / COUNT(DISTINCT CASE ...)); one GROUP BY query per
breakdown. Nothing loops over ORM objects, and the SQL is the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
from itertools import groupby

from sqlalchemy import Date, bindparam, case, distinct, false, func, literal, literal_column, or_, select, true

from ..dates import fiscal_year, fiscal_year_bounds, fy_label, month_bounds
from ..extensions import db
from ..models import Client, Industry, IndustryDivision, Theme, consultation_themes
from . import rollup
from .metrics import (
    Breakdown, Definitions, Metric, center_ids, counting, covering, held_over_periods, in_period, live_client,
    lookup_stamp, metric, metric_filters, record_conditions, report_definitions, with_live_client,
)

Period = tuple[dt.date, dt.date]  # half-open [start, end)
KANA = "アイウエオカキクケコサシスセソタチツテト"  # the printed report numbers sub-tables ア, イ, ウ …


def count_metrics(metrics: list[Metric], periods: list[Period], center_codes: set[str] | None = None
                  ) -> dict[tuple[str, int], int]:
    """{(metric id, period index): count}: closed months of the consultations' rules as stored
    (reporting/rollup.py), everything else counted here."""
    with counting():
        rolled = [m for m in metrics if rollup.rolls_up(m)]
        result = _count_metrics([m for m in metrics if not rollup.rolls_up(m)], periods, center_codes)
        if rolled:
            result.update(rollup.count_metrics(rolled, periods, center_codes, _count_metrics))
        return result


def _count_metrics(metrics: list[Metric], periods: list[Period], center_codes: set[str] | None = None
                   ) -> dict[tuple[str, int], int]:
    """{(metric id, period index): count}.

    Per table, date column and (program rows / others), one GROUP BY over (period, the columns the metrics filter on)
    counts and sums every record once; each metric adds up the groups its filters accept.
    Distinct counts (社数) cannot be added up: they get one query per table with a
    COUNT(DISTINCT CASE ...) per metric and period."""
    if not metrics:
        return {}
    centers = center_ids()
    result = {}
    # per table and date column; a program's rows apart from the center rows, so that each query
    # reads one covering index (ix_consultations_program_counted / ix_consultations_held_counted)
    by_source = lambda m: (m.table.name, m.date_column, m.program is not None and m.table.name == "consultations")  # noqa: E731
    groups = [list(g) for _k, g in groupby(sorted(metrics, key=by_source), key=by_source)]
    occupied = _tables_with_records(groups, periods)
    for group in groups:
        if not occupied[id(group)]:  # nothing in the period: every figure of the group is 0
            result.update({(m.id, i): 0 for m in group for i in range(len(periods))})
            continue
        filters = {m.id: metric_filters(m, centers, center_codes) for m in group}
        for m in group:
            if filters[m.id] is None:  # restricted away
                result.update({(m.id, i): 0 for i in range(len(periods))})
        live = [m for m in group if filters[m.id] is not None]
        # a record held over periods (registrations) may count in several: per-period aggregates
        summed = [m for m in live if not m.distinct and not held_over_periods(m)]
        if summed:
            result.update(_grouped_counts(summed, filters, periods, center_codes))
        distinct_ = [m for m in live if m.distinct or held_over_periods(m)]
        if distinct_:
            result.update(_distinct_counts(distinct_, periods, centers, center_codes))
    return result


# Statements built once per rule set (definitions, vocabulary ids, centers chosen, number of
# periods), with the periods' days as bind parameters: a tally or report counted again — another
# month, another request — reuses them instead of building the SQL again (docs/performance.md).
_STATEMENTS: dict = {}


def _statement(kind: str, metrics, center_codes, n_periods: int, build):
    """The statement `build()` makes for these metrics, built once per key. The key names the
    metrics by identity (the definitions in force are compiled once per change, so the same rules
    are the same objects; the entry holds them, so an identity is not reused while it lives)."""
    metrics = tuple(metrics)
    programs = any(isinstance(m, Metric) and (m.program or any(t for _c, _v, t in m.where)) for m in metrics)
    key = (kind, tuple(id(m) if isinstance(m, Metric) else m for m in metrics),
           None if center_codes is None else frozenset(center_codes), n_periods, lookup_stamp(programs))
    hit = _STATEMENTS.get(key)
    if hit is None:
        if len(_STATEMENTS) >= 512:
            _STATEMENTS.clear()
        hit = _STATEMENTS[key] = (build(), metrics)
    return hit[0]


def _bound(n_periods: int):
    """Bind parameters for n periods' [start, end) and their span (lo, hi)."""
    periods = [(bindparam(f"s{i}", type_=Date), bindparam(f"e{i}", type_=Date)) for i in range(n_periods)]
    return periods, bindparam("lo", type_=Date), bindparam("hi", type_=Date)


def _values(periods: list[Period]) -> dict:
    out = {"lo": min(p[0] for p in periods), "hi": max(p[1] for p in periods)}
    for i, (start, end) in enumerate(periods):
        out[f"s{i}"], out[f"e{i}"] = start, end
    return out


def _tables_with_records(groups: list[list[Metric]], periods: list[Period]) -> dict[int, bool]:
    """Which groups' tables hold any unvoided record in the periods' span: one statement of EXISTS,
    so the tables a period has nothing in (a new program's records, a month without grants) cost no query."""
    from sqlalchemy import exists

    firsts = [group[0] for group in groups]
    seen = {}
    for m in firsts:
        seen.setdefault((m.table.name, m.date_column), len(seen))

    def build():
        _p, lo, hi = _bound(0)
        probes = {}
        for m in firsts:
            key = (m.table.name, m.date_column)
            if key not in probes:
                probes[key] = exists(select(literal(1)).select_from(m.model).where(
                    m.model.voided_at.is_(None), covering(m, lo, hi)))
        return select(*probes.values())

    stmt = _statement("exists", sorted(seen), None, 0, build)
    row = db.session.connection().execute(stmt, _values(periods)).one()
    return {id(group): bool(row[seen[(group[0].table.name, group[0].date_column)]]) for group in groups}


def _grouped_counts(group: list[Metric], filters: dict, periods: list[Period], center_codes=None
                    ) -> dict[tuple[str, int], int]:
    first = group[0]
    dims = sorted({name for m in group for name in filters[m.id]})
    sums = sorted({m.sum_of for m in group if m.sum_of})

    def build():
        bound, lo, hi = _bound(len(periods))
        bucket = _bucket(first, bound)
        stmt = select(bucket, *[getattr(first.model, d) for d in dims], func.count(),
                      *[func.sum(getattr(first.model, c)) for c in sums])
        stmt = with_live_client(stmt.select_from(first.model), first)
        grouping = ([] if len(periods) == 1 else [bucket]) + [getattr(first.model, d) for d in dims]
        stmt = stmt.where(first.model.voided_at.is_(None), in_period(first, lo, hi), *_shared_filters(group, filters))
        return stmt.group_by(*grouping) if grouping else stmt

    stmt = _statement("grouped", group, center_codes, len(periods), build)
    result = {(m.id, i): 0 for m in group for i in range(len(periods))}
    for row in db.session.connection().execute(stmt, _values(periods)):
        period, keys = row[0], dict(zip(dims, row[1:1 + len(dims)]))
        n, totals = row[1 + len(dims)], dict(zip(sums, row[2 + len(dims):]))
        if period is None or period < 0:
            continue
        for m in group:
            if all(keys[name] in allowed for name, allowed in filters[m.id].items()):
                result[(m.id, period)] += int(totals[m.sum_of] or 0) if m.sum_of else n
    return result


def _shared_filters(group: list[Metric], filters: dict) -> list:
    """WHERE clauses every metric of the group implies (a column all of them filter on, to the
    union of their values), so the query reads only the records some metric counts."""
    model = group[0].model
    conds = []
    for name in set.intersection(*(set(filters[m.id]) for m in group)):
        allowed = frozenset().union(*(filters[m.id][name] for m in group))
        values = sorted(v for v in allowed if v is not None)
        column = getattr(model, name)
        conds.append(or_(column.in_(values), column.is_(None)) if None in allowed else column.in_(values))
    return conds


def _distinct_counts(group: list[Metric], periods: list[Period], centers: dict[str, int],
                     center_codes: set[str] | None) -> dict[tuple[str, int], int]:
    """One row of conditional aggregates: COUNT(DISTINCT CASE …) for distinct counts, COUNT/SUM
    (CASE …) per period for records held over periods."""
    keys = [(m.id, i) for m in group for i in range(len(periods))]

    def build():
        filters = {m.id: metric_filters(m, centers, center_codes) for m in group}
        bound, lo, hi = _bound(len(periods))
        columns = []
        for m in group:
            conds = _all(record_conditions(m, centers, center_codes)[1:] or [true()])
            for start, end in bound:
                when = in_period(m, start, end) & conds
                if m.distinct:
                    columns.append(func.count(distinct(case((when, getattr(m.model, m.distinct))))))
                elif m.sum_of:
                    columns.append(func.sum(case((when, getattr(m.model, m.sum_of)))))
                else:
                    columns.append(func.count(case((when, m.model.id))))
        first = group[0]
        stmt = with_live_client(select(*columns).select_from(first.model), first)
        return stmt.where(first.model.voided_at.is_(None), covering(first, lo, hi), *_shared_filters(group, filters))

    stmt = _statement("distinct", group, center_codes, len(periods), build)
    row = db.session.connection().execute(stmt, _values(periods)).one()
    return {key: int(value or 0) for key, value in zip(keys, row)}


def any_records(metrics: list[Metric], period: Period, center_codes: set[str] | None = None) -> dict[str, bool]:
    """{metric id: whether it counts any record in [start, end)}, in one statement."""
    from sqlalchemy import exists

    centers = center_ids()
    ids = [m.id for m in metrics]

    def build():
        ((start, end),), _lo, _hi = _bound(1)
        columns = []
        for m in metrics:
            conds = record_conditions(m, centers, center_codes)
            probe = with_live_client(select(literal(1)).select_from(m.model), m).where(*conds, in_period(m, start, end))
            columns.append(exists(probe))
        return select(*columns)

    if not metrics:
        return {}
    stmt = _statement("any", metrics, center_codes, 1, build)
    row = db.session.connection().execute(stmt, _values([period])).one()
    return {i: bool(v) for i, v in zip(ids, row)}


def _bucket(m: Metric, periods: list[Period]):
    """The index of the period a record falls in (-1: none)."""
    if len(periods) == 1:
        return literal_column("0")
    return case(*[(in_period(m, s, e), literal(i)) for i, (s, e) in enumerate(periods)], else_=literal(-1))


def _all(conds):
    out = conds[0]
    for c in conds[1:]:
        out = out & c
    return out


def count_breakdown(b: Breakdown, periods: list[Period], center_codes: set[str] | None = None,
                    definitions: Definitions | None = None) -> list[list[dict]]:
    """Per period, [{"label", "count"}] most first, ties in vocabulary order; zeros left out."""
    m = (definitions or report_definitions()).metric_by_id[b.metric]
    if rollup.rolls_up_breakdown(m, b):
        return rollup.count_breakdown(m, b, periods, center_codes, lambda pieces: _breakdown_rows(m, b, pieces, center_codes))
    out = [[] for _ in periods]
    for p, lab, sort_key, _code, n in _breakdown_rows(m, b, periods, center_codes):
        if 0 <= p < len(periods) and n:
            out[p].append((-n, sort_key, lab))
    return [[{"label": lab, "count": -neg} for neg, _k, lab in sorted(entries)] for entries in out]


def _breakdown_rows(m: Metric, b: Breakdown, periods: list[Period], center_codes):
    """The breakdown's (period, label, sort key, code, count) rows, counted from the records."""
    stmt = _statement("breakdown", (m, b), center_codes, len(periods), lambda: _breakdown_statement(
        m, b, len(periods), center_codes))
    return db.session.connection().execute(stmt, _values(periods))


def _breakdown_statement(m: Metric, b: Breakdown, n_periods: int, center_codes: set[str] | None):
    """The GROUP BY (period, entry) of a breakdown, the periods as bind parameters."""
    periods, lo, hi = _bound(n_periods)
    conds = record_conditions(m, center_ids(), center_codes)
    bucket = _bucket(m, periods)
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
    elif b.by == "industry_middle":  # JSIC 中分類 where the client has one, else the major division
        key = func.coalesce(IndustryDivision.code, Industry.code)
        label = func.coalesce(IndustryDivision.report_label, Industry.report_label)
        order = func.coalesce(IndustryDivision.code, Industry.middle_from)
        stmt = (select(bucket.label("p"), label, order, key, counted).select_from(m.model)
                .join(Client, Client.id == m.model.client_id)
                .join(Industry, Industry.code == Client.industry_code)
                .outerjoin(IndustryDivision, IndustryDivision.code == Client.industry_division_code)
                .where(Client.voided_at.is_(None)))
    else:
        raise ValueError(b.by)
    if m.has_client and b.by not in ("industry", "industry_middle"):
        stmt = with_live_client(stmt, m)
    grouping = ([] if n_periods == 1 else [bucket]) + [label, order, key]  # GROUP BY 0 would be a position
    return stmt.where(*conds, in_period(m, lo, hi)).group_by(*grouping)


def annual_report(fy: int, center_codes: set[str] | None = None, definitions: Definitions | None = None) -> dict:
    with counting():
        return _annual_report(fy, center_codes, definitions)


def _annual_report(fy: int, center_codes: set[str] | None = None, definitions: Definitions | None = None) -> dict:
    """The annual report as interchange.md defines its JSON (current FY and the one before).

    Beyond the contract (docs/reporting.md): a section's `units` (row key → printed unit); `printed` figures for
    rows in 千円 (current/previous stay in 円); `cumulative` for rows with 累計; `number` and
    `note` of a section; `lists` of a section's list tables."""
    d = definitions or report_definitions()
    periods = [fiscal_year_bounds(fy), fiscal_year_bounds(fy - 1)]
    sections = d.sections_for(center_codes)
    keys = {s.key for s in sections}
    metrics = [m for m in d.metrics if m.section in keys]
    counts = count_metrics(metrics, periods, center_codes)
    cumulative = cumulative_counts([m for m in metrics if m.cumulative_from is not None], fy, center_codes)
    report = {
        "fiscal_year": fy, "label": fy_label(fy),
        "previous": {"fiscal_year": fy - 1, "label": fy_label(fy - 1)},
        "sections": [],
    }
    for s in sections:
        rows = []
        for m in metrics:
            if m.section != s.key:
                continue
            row = {"key": m.key, "label": m.label, "current": counts[(m.id, 0)], "previous": counts[(m.id, 1)]}
            if m.unit == "千円":
                row["printed"] = {"current": thousand_yen(row["current"]), "previous": thousand_yen(row["previous"])}
            if m.id in cumulative:
                row["cumulative"], row["cumulative_from"] = cumulative[m.id], m.cumulative_from
                if m.unit == "千円":
                    row["printed"]["cumulative"] = thousand_yen(row["cumulative"])
            rows.append(row)
        body = {"key": s.key, "title": s.title, "rows": rows}
        lists = d.lists_of(s.key)
        counted = any(r["current"] or r["previous"] or r.get("cumulative") for r in body["rows"])
        if s.optional and not counted and not lists:
            continue
        for b in d.breakdowns_of(s.key):
            current, previous = count_breakdown(b, periods, center_codes, d)
            body[b.key] = {"current": current, "previous": previous}
        if lists:
            body["lists"] = [list_table(t, fy, center_codes) for t in lists]
            if s.optional and not counted and not any(t["rows"] for t in body["lists"]):
                continue
        body["units"] = {m.key: m.unit for m in metrics if m.section == s.key}
        if s.number:
            body["number"] = s.number
        if s.note:
            body["note"] = s.note
        if s.project_year_offset:
            body["year_headers"] = {which: f"{fy_label(y)} ({fy_label(y + s.project_year_offset)}事業)"
                                    for which, y in (("previous", fy - 1), ("current", fy))}
        if s.split_by:
            body["tables"] = split_tables(s, [m for m in metrics if m.section == s.key], fy, center_codes)
        report["sections"].append(body)
    # beyond the contract: closed months recounted after their records changed (reporting/rollup.py)
    report["restated"] = rollup.restated_months(periods)
    return report


def split_tables(s, metrics: list[Metric], fy: int, center_codes: set[str] | None = None) -> list[dict]:
    """One table per parent record (s.split_by: an event) of fiscal year fy that the section's rows
    count records of — 1(2)②'s one table per 商談会 — with a 全体 column and, when the section
    names a second column, the うち県内 part of each sum (None: the records give none, printed -).

    [{"key", "label", "dates", "area", "columns": [{"key", "label"}], "rows": [{"key", "label",
    "unit", "total"[, "in_prefecture"][, "printed"]}]}], the parents in date order. Per table and
    split column one GROUP BY (parent, filtered columns), as the grouped counts do."""
    from ..models import Event
    from .sources import source_of_model

    centers = center_ids()
    start, end = fiscal_year_bounds(fy)
    labels = list(s.column_labels) or ["全体"]
    second = len(labels) > 1
    totals, parts, parents = {}, {}, set()
    split_metrics = [m for m in metrics if s.split_by in source_of_model(m.model).splits]
    by_model = lambda m: m.table.name  # noqa: E731
    for _name, group in groupby(sorted(split_metrics, key=by_model), key=by_model):
        group = list(group)
        filters = {m.id: metric_filters(m, centers, center_codes) for m in group}
        group = [m for m in group if filters[m.id] is not None]
        if not group:
            continue
        first, source = group[0], source_of_model(group[0].model)
        parent = getattr(first.model, source.splits[s.split_by])
        dims = sorted({name for m in group for name in filters[m.id]})
        sums = sorted({c for m in group if m.sum_of for c in (m.sum_of, source.in_prefecture.get(m.sum_of)) if c})
        stmt = select(parent, *[getattr(first.model, d) for d in dims], func.count(),
                      *[func.sum(getattr(first.model, c)) for c in sums]).select_from(first.model)
        stmt = with_live_client(stmt, first).where(first.model.voided_at.is_(None), in_period(first, start, end),
                                                   *_shared_filters(group, filters))
        stmt = stmt.group_by(parent, *[getattr(first.model, d) for d in dims])
        for row in db.session.connection().execute(stmt):
            key, values = row[0], dict(zip(dims, row[1:1 + len(dims)]))
            n, summed = row[1 + len(dims)], dict(zip(sums, row[2 + len(dims):]))
            for m in group:
                if not all(values[name] in allowed for name, allowed in filters[m.id].items()):
                    continue
                parents.add(key)
                totals[(key, m.id)] = totals.get((key, m.id), 0) + (int(summed[m.sum_of] or 0) if m.sum_of else n)
                part = source.in_prefecture.get(m.sum_of) if m.sum_of else None
                if part is not None and summed[part] is not None:
                    parts[(key, m.id)] = parts.get((key, m.id), 0) + int(summed[part])
    if not parents:
        return []
    events = db.session.execute(select(Event).where(Event.id.in_(sorted(parents)))
                                .order_by(Event.held_on, Event.id)).scalars()
    tables = []
    for i, event in enumerate(events):
        rows = []
        for m in split_metrics:
            row = {"key": m.key, "label": m.label, "unit": m.unit, "total": totals.get((event.id, m.id), 0)}
            if second:
                row["in_prefecture"] = parts.get((event.id, m.id))
            if m.unit == "千円":
                row["printed"] = {c: None if row[c] is None else thousand_yen(row[c])
                                  for c in ("total", "in_prefecture") if c in row}
            rows.append(row)
        tables.append({"key": event.ref or str(event.id), "number": KANA[i] if i < len(KANA) else str(i + 1),
                       "label": event.title or "", "dates": _list_cell(event, "dates", None),
                       "area": _list_cell(event, "area", None),
                       "columns": [{"key": k, "label": label} for k, label in zip(("total", "in_prefecture"), labels)],
                       "rows": rows})
    return tables


def _opening(m: Metric, fy: int) -> int:
    """The opening balance a 累計 row carries into fiscal year fy (0: none)."""
    if m.cumulative_from is None:
        return 0
    usable = [(as_of, value) for as_of, value in m.openings if as_of <= fy + 1]
    return max(usable)[1] if usable else 0


def thousand_yen(yen: int) -> int:
    """円 → 千円, 千円未満四捨五入 (half up, as the printed report rounds)."""
    return (int(yen) + 500) // 1000


def cumulative_counts(metrics: list[Metric], fy: int, center_codes: set[str] | None = None) -> dict[str, int]:
    """{metric id: 累計 through fiscal year fy}: the opening balance (the total of the years
    before the latest as_of_fy not after fy + 1; none: from cumulative_from) plus each fiscal
    year's figure since, as the printed report adds its years up (a distinct count per year)."""
    if not metrics:
        return {}
    starts, openings = {}, {}
    for m in metrics:
        usable = [(as_of, value) for as_of, value in m.openings if as_of <= fy + 1]
        as_of, value = max(usable) if usable else (m.cumulative_from, 0)
        starts[m.id], openings[m.id] = as_of, value
    first = min(starts.values())
    years = list(range(first, fy + 1))
    counts = count_metrics(metrics, [fiscal_year_bounds(y) for y in years], center_codes) if years else {}
    return {m.id: openings[m.id] + sum(counts.get((m.id, i), 0) for i, y in enumerate(years) if y >= starts[m.id])
            for m in metrics}


def list_table(t, fy: int, center_codes: set[str] | None = None) -> dict:
    """A list table of one fiscal year's records: {"key", "label", "columns": [{"key", "label"}],
    "rows": [{column: text or number}]}, in date order."""
    from ..models import Municipality
    from .sources import source_of_model

    from .sources import LIST_UNITS

    m = t.metric
    source = source_of_model(m.model)
    columns = [c for c in t.columns if c in source.list_columns] or list(source.list_columns)
    start, end = fiscal_year_bounds(fy)
    headers = {**source.list_columns, **dict(t.labels)}
    model = m.model

    def build():
        ((first, last),), _lo, _hi = _bound(1)
        place = hasattr(model, "municipality_code")
        stmt = select(model, Municipality.name if place else literal(None)).select_from(model)
        stmt = with_live_client(stmt, m) if m.has_client else stmt
        if place:
            stmt = stmt.outerjoin(Municipality, Municipality.code == model.municipality_code)
        stmt = stmt.where(*record_conditions(m, center_ids(), center_codes), in_period(m, first, last))
        return stmt.order_by(m.date, model.id)

    rows = []
    stmt = _statement("list", (m,), center_codes, 1, build)
    records = db.session.execute(stmt, _values([(start, end)])).all()
    dealings = _dealings([r.id for r, _m in records]) if "dealings" in columns else {}
    for record, municipality in records:
        row = {c: _list_cell(record, c, municipality) for c in columns}
        for c in columns:
            if c in source.money_columns:
                row[c] = thousand_yen(row[c]) if isinstance(row[c], int) else None
        if "dealings" in columns:
            row["dealings"] = dealings.get(record.id, "")
        rows.append(row)

    def column(c):
        out = {"key": c, "label": headers[c].replace("{year}", fy_label(fy))}
        if c in LIST_UNITS:
            out["unit"] = LIST_UNITS[c]
        return out

    return {"key": t.key, "label": t.label, "columns": [column(c) for c in columns], "rows": rows}


def _dealings(event_ids: list[int]) -> dict[int, str]:
    """{event id: 「取引成立9社 見積依頼1社」} from the events' attendances (deals, quote requests)."""
    from ..models import EventAttendance

    if not event_ids:
        return {}
    stmt = (select(EventAttendance.event_id, func.sum(EventAttendance.deals), func.sum(EventAttendance.quote_requests))
            .where(EventAttendance.event_id.in_(event_ids), EventAttendance.voided_at.is_(None),
                   live_client(EventAttendance.client_id))
            .group_by(EventAttendance.event_id))
    out = {}
    for event_id, deals, quotes in db.session.execute(stmt):
        parts = ([f"取引成立{deals:,}社"] if deals is not None else []) + \
            ([f"見積依頼{quotes:,}社"] if quotes is not None else [])
        out[event_id] = " ".join(parts)
    return out


def _list_cell(record, column: str, municipality: str | None):
    from ..dates import era_year

    if column == "dates":
        first = getattr(record, "held_on")
        last = getattr(record, "ends_on", None) or first

        def ym(day):
            name, n = era_year(day.year)
            return f"{name}{'元' if n == 1 else n}年{day.month}月"

        if (last.year, last.month) == (first.year, first.month):
            return ym(first)
        return f"{ym(first)}～{ym(last) if last.year != first.year else f'{last.month}月'}"
    if column == "area":
        return getattr(record, "area", None) or municipality or record.place or ""
    if column == "participants":
        return record.participants or 0
    if column == "companies":
        return getattr(record, "companies", None) or 0
    if column == "attendance":  # 参加者: people (名), or companies (社) for an event of companies
        if record.participants:
            return f"{record.participants:,}名"
        return f"{record.companies:,}社" if record.companies else ""
    if column == "side":  # the attendance's side (発注企業 / 受注企業, an award's 部門)
        return record.side.label if record.side is not None else ""
    if column == "company":
        return record.company_label
    if column in ("meetings", "deals", "amount") and hasattr(record, "event_id"):
        return getattr(record, column)
    if column == "project_years":
        first, last = record.project_fiscal_year, record.project_end_fiscal_year or record.project_fiscal_year
        if first is None:
            return ""
        return fy_label(first) if last == first else f"{fy_label(first)}～ {fy_label(last)}"
    if column == "partners":
        return getattr(record, "partners", None) or ""
    return getattr(record, column, None) or ""


def monthly_tally(year: int, month: int, center_codes: set[str] | None = None,
                  definitions: Definitions | None = None) -> dict:
    with counting():
        return _monthly_tally(year, month, center_codes, definitions)


def _monthly_tally(year: int, month: int, center_codes: set[str] | None = None,
                   definitions: Definitions | None = None) -> dict:
    """Every metric counted within one month (distinct counts distinct within the month).

    Sections beyond the contract appear when the annual report of the month's fiscal year shows
    them (they count something in that year or the one before), so keys match the report's."""
    d = definitions or report_definitions()
    start, end = month_bounds(year, month)
    fy = fiscal_year(start)
    sections = d.sections_for(center_codes)
    keys = {s.key for s in sections}
    optional_keys = {s.key for s in sections if s.optional}
    metrics = [m for m in d.metrics if m.section in keys]
    counts = count_metrics(metrics, [(start, end)], center_codes)
    # an optional section shows when it counts anything in the fiscal year or the one before (or
    # carries a 累計): known already for a section that counts in this month or has an opening
    # balance; the others' metrics are probed over the two years, one EXISTS each, in one statement
    known = {m.section for m in metrics if m.section in optional_keys and (counts[(m.id, 0)] or _opening(m, fy))}
    optional = [m for m in metrics if m.section in optional_keys]
    unknown = [m for m in optional if m.section not in known]
    wide = any_records(unknown, (fiscal_year_bounds(fy - 1)[0], fiscal_year_bounds(fy)[1]), center_codes)
    counts.update({(m.id, 1): int(m.section in known or wide[m.id]) for m in optional})

    def shown(s) -> bool:  # as the annual report shows it: something counted, or a 累計 carried over
        return not s.optional or any(counts[(m.id, 1)] or _opening(m, fy) for m in metrics if m.section == s.key)

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
    d = report_definitions()
    m = metric(section_key, row_key, d)
    owner = d.section_by_key[section_key].center
    if center_codes is not None and owner is not None and owner not in center_codes:
        return select(m.model).where(false())
    stmt = with_live_client(select(m.model), m)
    return (stmt.where(*record_conditions(m, center_ids(), center_codes), in_period(m, start, end))
            .order_by(m.date.desc(), m.model.id.desc()))


__all__ = ["annual_report", "monthly_tally", "metric_records", "count_metrics", "count_breakdown"]
