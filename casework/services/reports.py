"""What a viewer may see of the reports: sections, centers, drill-downs, dashboard series.

The figures themselves come from casework.reporting (the named metrics); this module only
decides, through casework.access, which centers a user's report covers and which sections
it shows, and shapes the engine's output for the pages.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort
from sqlalchemy import select

from ..access import client_filter, visible_center_ids
from ..dates import fiscal_year, fiscal_year_bounds, fy_label, month_bounds, today_jst
from ..extensions import db
from ..models import Center, Client, User

def _definitions():
    from ..reporting.metrics import report_definitions

    return report_definitions()


def _metric(section_key: str, row_key: str):
    return _definitions().metric_by_id.get(f"{section_key}.{row_key}")


def section_center(section_key: str) -> str | None:
    """The center whose records a section counts (None: every center), as its definition says;
    a section no definition knows belongs to no center a viewer may see."""
    section = _definitions().section_by_key.get(section_key)
    return section.center if section is not None else section_key


def unit_of(section_key: str, row: dict) -> str:
    """The unit the printed report writes after a figure (件 社 名 回 千円), from its metric."""
    m = _metric(section_key, row["key"])
    return m.unit if m is not None else "件"


def breakdowns_of(section_key: str) -> list:
    """The section's breakdowns (主な相談テーマ, 業種内訳, 主な業種): key, label and unit each."""
    return _definitions().breakdowns_of(section_key)


@dataclass
class Scope:
    """The centers a viewer's report covers (None = all) and the centers they may choose."""
    center_codes: list[str] | None
    centers: list[Center]

    def allows_section(self, section_key: str) -> bool:
        code = section_center(section_key)
        if code is None:  # a section over every center (e.g. seminars): shown, counted within scope
            return True
        return self.center_codes is None or code in self.center_codes


def scope_for(user: User, center_code: str | None = None) -> Scope:
    """Admins: every center. Everyone else (managers included): the centers they belong to.
    A chosen center narrows it; a center the user may not see answers 404."""
    ids = visible_center_ids(user)
    stmt = select(Center).order_by(Center.sort_order)
    if ids is not None:
        stmt = stmt.where(Center.id.in_(ids or [-1]))
    centers = list(db.session.scalars(stmt))
    codes = None if ids is None else [c.code for c in centers]
    if center_code:
        if center_code not in {c.code for c in centers}:
            abort(404)
        codes = [center_code]
    return Scope(codes, centers)


def current_fy() -> int:
    return fiscal_year(today_jst())


def fy_choices(around: int | None = None, years: int = 8) -> list[tuple[int, str]]:
    top = max(current_fy(), around or 0)
    low = min(top - years + 1, around or top)
    return [(fy, fy_label(fy)) for fy in range(top, low - 1, -1)]


def annual_report_for(user: User, fy: int, center_code: str | None = None) -> dict:
    """The interchange report, counted within the viewer's centers, with only the sections they may see."""
    from ..reporting import annual_report

    scope = scope_for(user, center_code)
    report = annual_report(fy, center_codes=scope.center_codes)
    report["sections"] = [s for s in report["sections"] if scope.allows_section(s["key"])]
    return report


def section_row_or_404(user: User, fy: int, section_key: str, row_key: str, center_code: str | None = None):
    report = annual_report_for(user, fy, center_code)
    for section in report["sections"]:
        if section["key"] == section_key:
            for row in section["rows"]:
                if row["key"] == row_key:
                    return report, section, row
    abort(404)


def period_of(fy: int, month: str | None) -> tuple[dt.date, dt.date, str]:
    """[start, end) of a fiscal year, or of one of its months (YYYY-MM), and its label."""
    if not month:
        start, end = fiscal_year_bounds(fy)
        return start, end, fy_label(fy)
    from ..dates import parse_month

    try:
        year, mon = parse_month(month)
    except ValueError:
        abort(404)
    if fiscal_year(dt.date(year, mon, 1)) != fy:
        abort(404)
    start, end = month_bounds(year, mon)
    return start, end, f"{year}年{mon}月"


def drilldown_query(user: User, section_key: str, row_key: str, start: dt.date, end: dt.date,
                    center_code: str | None = None):
    """The records behind a figure. A distinct count (社数) lists the distinct clients, so the
    list is exactly as long as the figure; other figures list the counted records."""
    from ..reporting import metric_records

    scope = scope_for(user, center_code)
    stmt = metric_records(section_key, row_key, start, end, center_codes=scope.center_codes)
    m = _metric(section_key, row_key)
    if m is not None and getattr(m, "distinct", None) == "client_id":
        client_ids = stmt.with_only_columns(m.model.client_id).order_by(None)
        return select(Client).where(Client.id.in_(client_ids)).order_by(Client.name_kana, Client.id)
    return stmt


def linkable_clients(user: User, client_ids) -> dict[int, Client]:
    """Of these clients, those whose page this user may open (the others are not even named)."""
    ids = {i for i in client_ids if i}
    if not ids:
        return {}
    stmt = select(Client).where(Client.id.in_(ids), Client.voided_at.is_(None), client_filter(user))
    return {c.id: c for c in db.session.scalars(stmt)}


def fy_months(fy: int) -> list[tuple[int, int]]:
    return [(fy + (m < 4), m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def dashboard_series(user: User, center_code: str, fy: int) -> dict:
    """Month by month figures of the center's sections, this fiscal year and the last.

    {"sections": [{"key", "title", "rows": [{"key","label","unit","current":[..12], "previous":[..12]}],
    "breakdowns"}], "report": the center's annual report}. Months not reached yet are None.
    All 24 months are counted by the engine at once (one query per table).
    """
    from ..reporting.engine import count_metrics

    scope = scope_for(user, center_code)
    report = annual_report_for(user, fy, center_code)
    sections = [s for s in report["sections"] if section_center(s["key"]) == center_code]
    keys = {s["key"] for s in sections}
    today = today_jst()
    months = [(which, year, month) for which in (fy, fy - 1) for year, month in fy_months(which)]
    periods = [month_bounds(year, month) for _which, year, month in months]
    metrics = [m for m in _definitions().metrics if m.section in keys]
    codes = set(scope.center_codes) if scope.center_codes is not None else None
    counts = count_metrics(metrics, periods, codes) if metrics else {}
    index = {(which, month): i for i, (which, _year, month) in enumerate(months)}

    from ..reporting.engine import thousand_yen

    def series(metric_id: str, which: int, unit: str) -> list[int | None]:
        shown = thousand_yen if unit == "千円" else int  # 千円 rows: figures in 千円, as printed
        return [None if dt.date(year, month, 1) > today else shown(counts.get((metric_id, index[(which, month)]), 0))
                for year, month in fy_months(which)]

    def total(row, which, unit):
        return row["printed"][which] if unit == "千円" else row[which]

    out = []
    for section in sections:
        rows = []
        for row in section["rows"]:
            unit = unit_of(section["key"], row)
            rows.append({"key": row["key"], "label": row["label"], "unit": unit,
                         "current": series(f"{section['key']}.{row['key']}", fy, unit),
                         "previous": series(f"{section['key']}.{row['key']}", fy - 1, unit),
                         "current_total": total(row, "current", unit), "previous_total": total(row, "previous", unit)})
        out.append({"key": section["key"], "title": section["title"], "rows": rows,
                    "breakdowns": [(b, section[b.key]) for b in breakdowns_of(section["key"]) if b.key in section]})
    return {"sections": out, "report": report}
