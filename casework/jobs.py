"""Scheduled jobs: thin wrappers over services, each run recorded once per (job, period).

`casework scheduler` calls the scheduled_* entry points (APScheduler, Japan time); operators
call run_job() through `casework run-job`. Every function here is safe to run twice: the
JobRun key makes a second run of the same period a no-op.
"""
from __future__ import annotations

import datetime as dt
import logging

from flask import current_app

from .business_days import is_business_day
from .dates import now_jst
from .services import jobruns, mailer, reminders, tallies
from .services.jobruns import RunResult

log = logging.getLogger(__name__)

JOB_NAMES = ("digest", "stale", "tally", "rollups")


# ---------------------------------------------------------------------------------------------
# One run of one job for one period
# ---------------------------------------------------------------------------------------------

def run_digest(day: dt.date, *, force: bool = False) -> RunResult:
    result = jobruns.run_once("digest", day.isoformat(), lambda: reminders.build_digest(day), force=force)
    if result.ran:  # only the run that claimed the day sends the day's emails
        result.detail.update(mailer.send_digest_emails(day))
    return result


def run_stale(day: dt.date, *, force: bool = False) -> RunResult:
    return jobruns.run_once("stale", day.isoformat(), lambda: reminders.flag_stale_cases(day), force=force)


def run_tally(year: int, month: int, *, force: bool = False) -> RunResult:
    def work():
        snapshot = tallies.store_monthly_tally(year, month)
        return {"snapshot": snapshot.id}

    return jobruns.run_once("tally", tallies.month_key(year, month), work, force=force)


def run_rollups(day: dt.date, *, force: bool = False) -> RunResult:
    """Store the report's closed months that are missing, restate the changed ones
    (reporting/rollup.py). A missed night needs no catch-up: the next run covers every month."""
    from .reporting import rollup

    return jobruns.run_once("rollups", day.isoformat(), lambda: rollup.refresh(today=day), force=force)


def run_job(name: str, period: str | None = None, *, force: bool = False) -> RunResult:
    """Run a job by name for a period (digest/stale/rollups: YYYY-MM-DD, default today; tally:
    YYYY-MM, default the previous month)."""
    today = now_jst().date()
    if name in ("digest", "stale", "rollups"):
        day = dt.date.fromisoformat(period) if period else today
        return {"digest": run_digest, "stale": run_stale, "rollups": run_rollups}[name](day, force=force)
    if name == "tally":
        year, month = tallies.parse_month_key(period) if period else tallies.previous_month(today)
        return run_tally(year, month, force=force)
    raise ValueError(f"unknown job: {name}")


# ---------------------------------------------------------------------------------------------
# What is due now (the scheduler's triggers and the catch-up after downtime)
# ---------------------------------------------------------------------------------------------

def _at(hhmm: str) -> dt.time:
    hour, minute = str(hhmm).split(":")
    return dt.time(int(hour), int(minute))


def due_digest(now: dt.datetime) -> list[dt.date]:
    """The digest is for today only: a missed day's digest is not sent late."""
    day = now.date()
    return [day] if is_business_day(day) and now.time() >= _at(current_app.config["DIGEST_TIME"]) else []


def due_stale(now: dt.datetime) -> list[dt.date]:
    day = now.date()
    return [day] if is_business_day(day) and now.time() >= _at(current_app.config["STALE_TIME"]) else []


def due_tallies(now: dt.datetime) -> list[tuple[int, int]]:
    """Every month since the last stored one up to the previous month (at most
    TALLY_CATCHUP_MONTHS); with no history, the previous month only."""
    latest = tallies.previous_month(now.date())
    if now.date().day == 1 and now.time() < _at(current_app.config["TALLY_TIME"]):
        latest = tallies.add_months(*latest, -1)
    bound = int(current_app.config["TALLY_CATCHUP_MONTHS"])
    if bound <= 0:
        return []
    last = jobruns.last_period("tally")
    first = tallies.add_months(*latest, -(bound - 1))
    if last is None:
        first = latest
    else:
        first = max(first, tallies.add_months(*tallies.parse_month_key(last), 1))
    months, cur = [], first
    while cur <= latest:
        months.append(cur)
        cur = tallies.add_months(*cur, 1)
    return months


def catch_up(now: dt.datetime | None = None) -> list[RunResult]:
    """Run whatever is due and not yet recorded (on scheduler start, and by every trigger)."""
    now = now or now_jst()
    runs = [(run_stale, (day,)) for day in due_stale(now)]
    runs += [(run_digest, (day,)) for day in due_digest(now)]
    runs += [(run_tally, month) for month in due_tallies(now)]
    results = []
    for fn, args in runs:
        try:
            result = fn(*args)
        except Exception:  # one failing job must not stop the others; it is retried later
            log.exception("catch-up: %s%s failed", fn.__name__, args)
            continue
        log.info("catch-up: %s", result)
        results.append(result)
    return results


# ---------------------------------------------------------------------------------------------
# APScheduler entry points (referenced by name in the persistent job store)
# ---------------------------------------------------------------------------------------------

_app = None


def bind_app(app) -> None:
    """The scheduler process binds its app once; jobs then run inside its app context."""
    global _app
    _app = app


def _in_app(fn):
    from flask import has_app_context

    if has_app_context():
        return fn()
    app = _app
    if app is None:
        from . import create_app

        app = _app = create_app()
    with app.app_context():
        try:
            return fn()
        finally:
            from .extensions import db

            db.session.remove()


def scheduled_digest() -> list[RunResult]:
    return _in_app(lambda: [run_digest(d) for d in due_digest(now_jst())])


def scheduled_stale() -> list[RunResult]:
    return _in_app(lambda: [run_stale(d) for d in due_stale(now_jst())])


def scheduled_tally() -> list[RunResult]:
    return _in_app(lambda: [run_tally(y, m) for y, m in due_tallies(now_jst())])


def scheduled_rollups() -> list[RunResult]:
    return _in_app(lambda: [run_rollups(now_jst().date())])


def scheduled_catch_up() -> list[RunResult]:
    return _in_app(catch_up)
