"""The benchmarks. Each yields result dicts: name, app_ms / raw_ms (medians), ratio, target, note."""
from __future__ import annotations

ALL = {}


def format_line(r: dict) -> str:
    return str(r)
