"""Long monthly series (the dashboard's 10-year view) read from the monthly tally snapshots.

The scheduler stores every finished month's tally (tally_snapshots, one JSON row per month):
that is the rollup. A series reads the stored months in one query and counts only the months
without a snapshot (normally just the current one) with the reporting engine, so 120 months cost
about as much as one monthly tally. A snapshot is what `casework tally` said when it was stored;
the tallies page marks months whose records changed since (fingerprint) and recomputes them.
"""
from __future__ import annotations

from sqlalchemy import select

from ..dates import month_bounds
from ..extensions import db
from ..models import TallySnapshot
from ..reporting.metrics import METRIC_BY_ID
from .tallies import add_months, month_key


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, ym = [], first
    while ym <= last:
        out.append(ym)
        ym = add_months(*ym, 1)
    return out


def monthly_series(metric_ids: list[str], first: tuple[int, int], last: tuple[int, int]) -> dict[str, list[int]]:
    """{metric id: [count per month from first to last]} (every center)."""
    from ..reporting.engine import count_metrics

    months = months_between(first, last)
    keys = [month_key(y, m) for y, m in months]
    stored = dict(db.session.execute(
        select(TallySnapshot.month, TallySnapshot.data).where(TallySnapshot.month.in_(keys))).all())
    out = {mid: [0] * len(months) for mid in metric_ids}
    missing = []
    for i, key in enumerate(keys):
        data = stored.get(key)
        if data is None:
            missing.append(i)
            continue
        sections = data.get("sections", {})
        for mid in metric_ids:
            section, row = mid.split(".", 1)
            out[mid][i] = int(sections.get(section, {}).get(row, 0) or 0)
    metrics = [METRIC_BY_ID[mid] for mid in metric_ids]
    for run in _runs(missing):  # contiguous months: each engine call scans only its own dates
        counts = count_metrics(metrics, [month_bounds(*months[i]) for i in run])
        for j, i in enumerate(run):
            for mid in metric_ids:
                out[mid][i] = counts.get((mid, j), 0)
    return out


def _runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs
