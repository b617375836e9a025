"""Business days of the support centers: weekdays that are not Japanese public holidays
(holidays.Japan) and not in the year-end closure (config YEAR_END_CLOSURE, 12/29–1/3)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

DEFAULT_CLOSURE = ("12-29", "01-03")


def _closure_setting():
    try:
        from flask import current_app

        return current_app.config.get("YEAR_END_CLOSURE", DEFAULT_CLOSURE)
    except RuntimeError:  # outside an app context
        return DEFAULT_CLOSURE


def parse_closure(value) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """("12-29", "01-03") or "12-29,01-03" → ((12, 29), (1, 3)); empty/None → no closure."""
    if not value:
        return None
    if isinstance(value, str):
        value = [part.strip() for part in value.replace("~", ",").replace("–", ",").split(",")]
    start, end = value
    (sm, sd), (em, ed) = (tuple(int(x) for x in str(p).split("-")) for p in (start, end))
    return (sm, sd), (em, ed)


def in_year_end_closure(day: dt.date, closure=None) -> bool:
    rng = parse_closure(_closure_setting() if closure is None else closure)
    if rng is None:
        return False
    start, end = rng
    md = (day.month, day.day)
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end  # wraps over new year


@lru_cache(maxsize=64)
def _japan_holidays(year: int):
    import holidays

    return holidays.Japan(years=year)


def holiday_name(day: dt.date) -> str | None:
    return _japan_holidays(day.year).get(day)


def is_business_day(day: dt.date, closure=None) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None and not in_year_end_closure(day, closure)


def business_days(start: dt.date, end: dt.date, closure=None) -> list[dt.date]:
    """Business days in [start, end] inclusive."""
    days, day = [], start
    while day <= end:
        if is_business_day(day, closure):
            days.append(day)
        day += dt.timedelta(days=1)
    return days
