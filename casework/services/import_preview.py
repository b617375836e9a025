"""What a checked import would do: rows per kind, how many are new and how many update a record."""
from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db

CHUNK = 500


def preview_plan(plan) -> list[tuple[str, int, int, int]]:
    """[(kind, rows, new, known)] in import order; known rows update the record with that ref
    (opening balances: with that report row and year), or change nothing when it already holds
    the same values."""
    from .legacy_import import KINDS, MODELS

    out = []
    for kind in KINDS:
        items = plan.items.get(kind) or []
        if not items:
            continue
        if kind not in MODELS:  # opening balances, keyed by (row, as_of_fy)
            known = sum(1 for v in items if (v["row"], v["as_of_fy"]) in plan._lookups.openings)
            out.append((kind, len(items), len(items) - known, known))
            continue
        refs = [v["ref"] for v in items]
        model = MODELS[kind]
        known = 0
        for i in range(0, len(refs), CHUNK):
            known += db.session.scalar(select(func.count()).select_from(model).where(model.ref.in_(refs[i:i + CHUNK])))
        out.append((kind, len(items), len(items) - known, known))
    return out
