"""What a checked import would do: rows per kind, how many are new and how many update a record."""
from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db

CHUNK = 500


def preview_plan(plan) -> list[tuple[str, int, int, int]]:
    """[(kind, rows, new, known)] in import order; known rows update the record with that ref
    (or change nothing when it already holds the same values)."""
    from .legacy_import import KINDS, MODELS

    out = []
    for kind in KINDS:
        items = plan.items.get(kind) or []
        if not items:
            continue
        refs = [v["ref"] for v in items]
        model = MODELS[kind]
        known = 0
        for i in range(0, len(refs), CHUNK):
            known += db.session.scalar(select(func.count()).select_from(model).where(model.ref.in_(refs[i:i + CHUNK])))
        out.append((kind, len(items), len(items) - known, known))
    return out
