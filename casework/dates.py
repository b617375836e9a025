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
    ("大正", "T", dt.date(1912, 7, 30)),
    ("明治", "M", dt.date(1868, 10, 23)),  # so every date from EARLIEST (1900) has a 和暦 label
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


# ---------------------------------------------------------------------------------------------
# Sane dates: one rule for every date a person types (forms, list filters, imports)
# ---------------------------------------------------------------------------------------------

EARLIEST = dt.date(1900, 1, 1)
DEFAULT_YEARS_AHEAD = 5  # config DATE_YEARS_AHEAD
DATE_EXAMPLES = "2024-04-01、2024/4/1、R6.4.1、令和6年4月1日"
DATE_HINT = f"例: {DATE_EXAMPLES}"


class DateError(ValueError):
    """A date that cannot be read or lies outside the sane range; str() is the Japanese message."""


def years_ahead() -> int:
    """How many years past today a planned date may lie (config DATE_YEARS_AHEAD, default 5)."""
    try:
        from flask import current_app, has_app_context

        if has_app_context():
            return int(current_app.config.get("DATE_YEARS_AHEAD", DEFAULT_YEARS_AHEAD))
    except ImportError:  # pragma: no cover - flask is always installed with the app
        pass
    return DEFAULT_YEARS_AHEAD


def latest_date(today: dt.date | None = None) -> dt.date:
    """The last day a date may name: the same day DATE_YEARS_AHEAD years after today (Japan time)."""
    today = today or today_jst()
    year = today.year + years_ahead()
    try:
        return today.replace(year=year)
    except ValueError:  # 29 February → 28 February
        return today.replace(year=year, day=28)


def check_date_range(day: dt.date, *, past_only: bool = False, today: dt.date | None = None) -> dt.date:
    """day itself when it lies between 1900-01-01 and a few years ahead of today (or today, for
    things that have happened: past_only); otherwise DateError with the allowed range in Japanese."""
    today = today or today_jst()
    if day < EARLIEST:
        raise DateError(f"{EARLIEST:%Y-%m-%d}以降の日付を入力してください。")
    if past_only and day > today:
        raise DateError(f"未来の日付は入力できません（今日は{today:%Y-%m-%d}です）。")
    last = latest_date(today)
    if day > last:
        raise DateError(f"{last:%Y-%m-%d}までの日付を入力してください。")
    return day


_WESTERN = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日?", re.ASCII)
_ERA_ABBR = re.compile(r"([RHSTM])\s*(\d{1,2}|元)([./-])(\d{1,2})\3(\d{1,2})", re.IGNORECASE | re.ASCII)
_ERA_FULL = re.compile(r"(令和|平成|昭和|大正|明治)\s*(\d{1,2}|元)年\s*(\d{1,2})月\s*(\d{1,2})日", re.ASCII)
_MAX_TEXT = 40  # longer text is not a date; the message quotes at most this much of it


def _quoted(text: str) -> str:
    shown = "".join(ch if ch.isprintable() else "?" for ch in text[:_MAX_TEXT])
    return shown + ("…" if len(text) > _MAX_TEXT else "")


def read_date(text: str | None) -> dt.date:
    """A date written as 2024-04-01, 2024/4/1, 2024年4月1日, R6.4.1, 令和6年4月1日 or H31.4.30 (full-width
    digits too), without any range check. DateError (Japanese) for anything else."""
    import unicodedata

    raw = text or ""
    s = unicodedata.normalize("NFKC", raw[: _MAX_TEXT * 4]).strip()
    if not s:
        raise DateError("日付を入力してください。")
    if len(s) <= _MAX_TEXT:
        try:
            if m := _WESTERN.fullmatch(s):
                if m[1]:
                    return dt.date(int(m[1]), int(m[3]), int(m[4]))
                return dt.date(int(m[5]), int(m[6]), int(m[7]))
            if m := _ERA_ABBR.fullmatch(s):
                era = next(e for e in ERAS if e[1] == m[1].upper())
                return _from_era(era, m[2], m[4], m[5])
            if m := _ERA_FULL.fullmatch(s):
                era = next(e for e in ERAS if e[0] == m[1])
                return _from_era(era, m[2], m[3], m[4])
        except (ValueError, OverflowError):
            raise DateError(f"存在しない日付です: {_quoted(raw)}") from None
    raise DateError(f"日付として読めません: {_quoted(raw)}（{DATE_HINT}）")


def parse_date(text: str | None, *, past_only: bool = False, today: dt.date | None = None) -> dt.date:
    """Read a date as the hints show it (see read_date) and check it lies in the sane range
    (check_date_range). Raises DateError, a ValueError whose message is Japanese."""
    return check_date_range(read_date(text), past_only=past_only, today=today)


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


def fiscal_year_value(text) -> int:
    """A fiscal year typed in a URL or query (?fy=2024): 4 digits within the sane range
    (EARLIEST's year … latest_date's year); ValueError otherwise (request.args.get(type=…))."""
    s = str(text).strip()
    if not re.fullmatch(r"\d{4}", s, re.ASCII) or not EARLIEST.year <= int(s) <= latest_date().year:
        raise DateError(f"年度は{EARLIEST.year}〜{latest_date().year}の4桁で指定してください。")
    return int(s)


def parse_month(text: str) -> tuple[int, int]:
    """YYYY-MM (full-width digits too) of a year in the sane range; ValueError in Japanese otherwise."""
    import unicodedata

    s = unicodedata.normalize("NFKC", (text or "")[:20]).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", s, re.ASCII)
    if not m or not 1 <= int(m[2]) <= 12:
        raise DateError(f"月は YYYY-MM で指定してください: {_quoted(text or '')}")
    year, month = int(m[1]), int(m[2])
    if not EARLIEST.year <= year <= latest_date().year:
        raise DateError(f"月は{EARLIEST.year}年から{latest_date().year}年までで指定してください。")
    return year, month
