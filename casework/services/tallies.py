"""Monthly tally snapshots: the previous month's tally stored on the 1st, recomputed on demand,
with a fingerprint of the month's records so pages can tell whether records changed since."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import case, func, select

from ..dates import fiscal_year_bounds, month_bounds
from ..extensions import db
from ..models import TallySnapshot, User
from . import audit


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_month_key(key: str) -> tuple[int, int]:
    year, month = key.split("-")
    return int(year), int(month)


def previous_month(day: dt.date) -> tuple[int, int]:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _tally(year: int, month: int) -> dict:
    from ..reporting import monthly_tally  # the metric definitions live in casework/reporting

    return json.loads(json.dumps(monthly_tally(year, month), default=str, ensure_ascii=False))


def fingerprint(year: int, month: int) -> str:
    """A hash of what the month's figures are made of, derived from the metric definitions:
    for every table and date column a metric counts, the number and latest updated_at of the
    month's records (voided ones included: voiding a record changes the tally) and how many of
    them belong to a voided client (voiding a client drops its records from every count); and
    the definitions themselves (a changed rule changes the figures)."""
    from ..reporting.metrics import live_client, metric_sources, report_definitions
    from ..reporting.sources import source_of_model

    start, end = month_bounds(year, month)
    definitions = report_definitions()
    parts = {"definitions": definitions.digest}
    for model, date_column in metric_sources(definitions.metrics):
        column = getattr(model, date_column)
        columns = [func.count(model.id), func.max(model.updated_at)]
        if hasattr(model, "client_id"):
            columns.append(func.count(case((~live_client(model.client_id), 1))))
        source = source_of_model(model)
        held = source is not None and source.until_column is not None  # registrations: held at the month's end
        where = [column < end] if held else [column >= start, column < end]
        row = db.session.execute(select(*columns).where(*where)).one()
        parts[f"{model.__tablename__}.{date_column}"] = [row[0], str(row[1]) if row[1] else None, *row[2:]]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def labelled(data: dict) -> list[dict]:
    """A stored tally as the page shows it: section titles and row labels with units from the
    definitions ({"title", "rows": [{"label", "value", "unit"}]}); keys no definition knows any
    more (a row since removed) are shown as stored."""
    from ..reporting.metrics import report_definitions

    d = report_definitions()
    out = []
    for section_key, rows in (data.get("sections") or {}).items():
        section = d.section_by_key.get(section_key)
        title = section.title if section else section_key
        if section is not None and section.number:
            title = f"{section.number} {title}"
        shown = []
        for row_key, value in rows.items():
            m = d.metric_by_id.get(f"{section_key}.{row_key}")
            unit = m.unit if m else ""
            if unit == "千円":
                from ..reporting.engine import thousand_yen

                value = thousand_yen(value or 0)
            shown.append({"label": m.label if m else row_key, "value": value, "unit": unit})
        out.append({"title": title, "rows": shown})
    other = [{"label": k, "value": v, "unit": ""} for k, v in data.items()
             if k not in ("sections", "month", "fiscal_year") and not isinstance(v, (dict, list))]
    if other:  # a stored tally of another shape: its figures as stored
        out.append({"title": "集計", "rows": other})
    return out


def store_monthly_tally(year: int, month: int, by: User | None = None) -> TallySnapshot:
    """Compute and store (or replace) a month's snapshot. Safe to run twice."""
    key = month_key(year, month)
    snapshot = db.session.scalar(select(TallySnapshot).where(TallySnapshot.month == key))
    data, fp = _tally(year, month), fingerprint(year, month)
    if snapshot is None:
        snapshot = TallySnapshot(month=key, data=data, fingerprint=fp)
        db.session.add(snapshot)
    else:
        snapshot.data, snapshot.fingerprint = data, fp
        snapshot.updated_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    snapshot.computed_by_id = getattr(by, "id", None)
    db.session.flush()
    audit.record("tally_snapshot", snapshot, user=by, detail={"month": key})
    return snapshot


def fiscal_year_status(fy: int, today: dt.date) -> list[dict]:
    """April–March of a fiscal year: each month's snapshot (if stored) and whether it is stale."""
    start, _end = fiscal_year_bounds(fy)
    keys = [month_key(*add_months(start.year, start.month, i)) for i in range(12)]
    snapshots = {s.month: s for s in db.session.scalars(select(TallySnapshot).where(TallySnapshot.month.in_(keys)))}
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({s.computed_by_id for s in snapshots.values() if s.computed_by_id} or [-1])))}
    rows = []
    for key in keys:
        year, month = parse_month_key(key)
        snap = snapshots.get(key)
        complete = dt.date(*add_months(year, month, 1), 1) <= today
        rows.append({
            "month": key, "year": year, "mon": month, "snapshot": snap, "complete": complete,
            "computed_by": users.get(snap.computed_by_id) if snap else None,
            "changed": bool(snap) and snap.fingerprint != fingerprint(year, month),
        })
    return rows
