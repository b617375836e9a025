"""Japan-time dates: today, fiscal years (April–March) and 和暦 labels, and lenient date parsing."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")

# (era name, abbreviation, first day)
ERAS = [
    ("令和", "R", dt.date(2019, 5, 1)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("昭和", "S", dt.date(1926, 12, 25)),
]


def now_jst() -> dt.datetime:
    return dt.datetime.now(JST)


def today_jst() -> dt.date:
    return now_jst().date()


def fiscal_year(day: dt.date) -> int:
    """FY named by the year it starts in: 2024-03-31 → 2023."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First day and the day after the last day (half-open) of a fiscal year."""
    return dt.date(fy, 4, 1), dt.date(fy + 1, 4, 1)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def era_year(year: int) -> tuple[str, int]:
    """Era of a fiscal/calendar year as reports name it (FY2019 → 令和元)."""
    for name, _abbr, start in ERAS:
        if year >= start.year:
            return name, year - start.year + 1
    raise ValueError(f"year before 昭和: {year}")


def fy_label(fy: int) -> str:
    """令和5年度 for 2023; 令和元年度 for 2019."""
    name, n = era_year(fy)
    return f"{name}{'元' if n == 1 else n}年度"


def wareki(day: dt.date) -> str:
    for name, _abbr, start in ERAS:
        if day >= start:
            n = day.year - start.year + 1
            return f"{name}{'元' if n == 1 else n}年{day.month}月{day.day}日"
    return day.isoformat()


_WESTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_ERA_ABBR = re.compile(r"^([RHS])\s*(\d{1,2}|元)[./-](\d{1,2})[./-](\d{1,2})$", re.IGNORECASE)
_ERA_FULL = re.compile(r"^(令和|平成|昭和)\s*(\d{1,2}|元)年\s*(\d{1,2})月\s*(\d{1,2})日$")


def parse_date(text: str) -> dt.date:
    """Parse 2023-04-01, 2023/4/1, R5.4.1, 令和5年4月1日, H31.4.30. Raises ValueError in Japanese."""
    import unicodedata

    s = unicodedata.normalize("NFKC", text or "").strip()
    if not s:
        raise ValueError("日付が空です")
    try:
        if m := _WESTERN.match(s):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _ERA_ABBR.match(s):
            era = next(e for e in ERAS if e[1] == m[1].upper())
            return _from_era(era, m[2], m[3], m[4])
        if m := _ERA_FULL.match(s):
            era = next(e for e in ERAS if e[0] == m[1])
            return _from_era(era, m[2], m[3], m[4])
    except ValueError as exc:
        raise ValueError(f"存在しない日付です: {text}") from exc
    raise ValueError(f"日付として読めません: {text}（例: 2023-04-01, R5.4.1, 令和5年4月1日）")


def _from_era(era, year_text: str, month: str, day: str) -> dt.date:
    name, _abbr, start = era
    n = 1 if year_text == "元" else int(year_text)
    if n < 1:
        raise ValueError(year_text)
    result = dt.date(start.year + n - 1, int(month), int(day))
    if result < start:
        raise ValueError(f"{name}{n}年は{start}より前です")
    later = ERAS[ERAS.index(era) - 1][2] if ERAS.index(era) > 0 else None
    if later and result >= later:
        raise ValueError(f"{name}{n}年{month}月{day}日は存在しません")
    return result


def parse_month(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError(f"月は YYYY-MM で指定してください: {text}")
    return int(m[1]), int(m[2])
