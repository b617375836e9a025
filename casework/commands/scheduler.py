"""`casework scheduler` (the APScheduler process), `casework run-job` and `casework job-runs`."""
from __future__ import annotations

import datetime as dt
import logging
import signal

import click
from flask.cli import with_appcontext

JOBSTORE_TABLE = "apscheduler_jobs"


def register_commands(app):
    for command in (scheduler_command, run_job_command, job_runs_command):
        app.cli.add_command(command)


def _hhmm(value: str) -> tuple[int, int]:
    hour, minute = str(value).split(":")
    return int(hour), int(minute)


def build_scheduler(app, scheduler_class=None):
    """A scheduler with the persistent job store in the app database and the three jobs."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    from ..extensions import db

    cfg = app.config
    tz = cfg.get("TIMEZONE", "Asia/Tokyo")
    scheduler = (scheduler_class or BlockingScheduler)(
        timezone=tz,
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine, tablename=JOBSTORE_TABLE)},
        job_defaults={"coalesce": True, "misfire_grace_time": int(cfg["SCHEDULER_MISFIRE_GRACE"]),
                      "max_instances": 1},
    )
    dh, dm = _hhmm(cfg["DIGEST_TIME"])
    sh, sm = _hhmm(cfg["STALE_TIME"])
    th, tm = _hhmm(cfg["TALLY_TIME"])
    # Weekday triggers; the jobs themselves skip public holidays and the year-end closure.
    scheduler.add_job("casework.jobs:scheduled_stale", CronTrigger(day_of_week="mon-fri", hour=sh, minute=sm, timezone=tz),
                      id="stale", name="stale cases", replace_existing=True)
    scheduler.add_job("casework.jobs:scheduled_digest", CronTrigger(day_of_week="mon-fri", hour=dh, minute=dm, timezone=tz),
                      id="digest", name="morning digest", replace_existing=True)
    scheduler.add_job("casework.jobs:scheduled_tally", CronTrigger(day=1, hour=th, minute=tm, timezone=tz),
                      id="tally", name="monthly tally", replace_existing=True)
    rh, rm = _hhmm(cfg["ROLLUP_TIME"])
    scheduler.add_job("casework.jobs:scheduled_rollups", CronTrigger(hour=rh, minute=rm, timezone=tz),
                      id="rollups", name="report rollups", replace_existing=True)
    return scheduler


@click.command("scheduler")
@click.option("--no-catch-up", is_flag=True, help="起動時に取りこぼした実行を行わない")
@with_appcontext
def scheduler_command(no_catch_up):
    """Run the job scheduler (digest, stale cases, monthly tally, report rollups) in this process, Japan time.

    Start it once beside the web server (`casework up` does). Two by mistake do no harm: each run
    is recorded once per (job, period)."""
    from flask import current_app

    from apscheduler.events import EVENT_SCHEDULER_STARTED

    from .. import jobs
    from ..extensions import db

    logging.basicConfig(level=logging.INFO, format="%(asctime)s scheduler %(levelname)s %(message)s")
    app = current_app._get_current_object()
    jobs.bind_app(app)
    if not no_catch_up:
        jobs.catch_up()  # logs what it ran
    db.session.remove()
    scheduler = build_scheduler(app)

    def _stop(_signum, _frame):
        if scheduler.running:
            scheduler.shutdown(wait=False)
        else:
            raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    def _started(_event):
        for job in scheduler.get_jobs():
            click.echo(f"scheduled: {job.id:<7} next {_next_run(job):%Y-%m-%d %H:%M %Z}")
        click.echo("scheduler running (Ctrl+C で停止)")

    scheduler.add_listener(_started, EVENT_SCHEDULER_STARTED)
    try:
        scheduler.start()  # blocks until Ctrl+C or SIGTERM
    except (KeyboardInterrupt, SystemExit):
        pass
    click.echo("scheduler stopped")


def _next_run(job):
    """The next time the job really runs: weekday triggers on holidays and closure days skip."""
    from ..business_days import is_business_day

    when = job.next_run_time
    while job.id in ("digest", "stale") and when is not None and not is_business_day(when.date()):
        when = job.trigger.get_next_fire_time(when, when + dt.timedelta(seconds=1))
    return when


@click.command("run-job")
@click.argument("job", type=click.Choice(["digest", "stale", "tally", "rollups", "catch-up"]))
@click.option("--period", help="digest/stale/rollups: YYYY-MM-DD（既定: 今日）; tally: YYYY-MM（既定: 前月）")
@click.option("--force", is_flag=True, help="既に実行済みの期間でもやり直す（重複は作られません）")
@with_appcontext
def run_job_command(job, period, force):
    """Run one scheduled job now, for operators (recorded like a scheduled run)."""
    from .. import jobs
    from ..business_days import is_business_day
    from ..dates import today_jst

    if job == "catch-up":
        results = jobs.catch_up()
        for result in results:
            click.echo(str(result))
        if not results:
            click.echo("nothing due")
        return
    try:
        result = jobs.run_job(job, period, force=force)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period")
    if job in ("digest", "stale"):
        day = dt.date.fromisoformat(period) if period else today_jst()
        if not is_business_day(day):
            click.echo(f"note: {day} は営業日ではありません（スケジューラーはこの日に実行しません）")
    click.echo(str(result))
    if not result.ran:
        click.echo("（--force でやり直せます）")


@click.command("job-runs")
@click.option("--limit", default=20, show_default=True)
@with_appcontext
def job_runs_command(limit):
    """List the latest recorded job runs."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import JobRun

    for run in db.session.scalars(select(JobRun).order_by(JobRun.started_at.desc()).limit(limit)):
        click.echo(f"{run.job:<7} {run.period:<10} {run.status:<8} {run.started_at:%Y-%m-%d %H:%M:%S} UTC  "
                   f"{run.detail or ''}")
