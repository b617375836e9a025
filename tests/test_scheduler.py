"""The scheduler: business days, the clock driven through Golden Week, exactly one run per
period (also when two schedulers race), catch-up after downtime, the job store."""
import datetime as dt
import os
import subprocess
import sys
import threading
import time

import pytest
import time_machine
from sqlalchemy import inspect, select

from casework import jobs
from casework.business_days import business_days, is_business_day
from casework.commands.scheduler import build_scheduler
from casework.extensions import db
from casework.models import JobRun, Notification, TallySnapshot

from . import factories
from .scheduling import JST, drive, followup, install_fake_tally, notifications_for, runs, snapshots

D = dt.date


# ---------------------------------------------------------------------------------------------
# Business days
# ---------------------------------------------------------------------------------------------

def test_golden_week_2024_business_days(app):
    days = business_days(D(2024, 4, 26), D(2024, 5, 8))
    assert days == [D(2024, 4, 26), D(2024, 4, 30), D(2024, 5, 1), D(2024, 5, 2), D(2024, 5, 7), D(2024, 5, 8)]


def test_year_end_closure_is_configurable(app):
    assert not is_business_day(D(2024, 12, 27 + 3))  # Mon 12/30: closure
    assert not is_business_day(D(2025, 1, 3))  # Fri: closure
    assert is_business_day(D(2025, 1, 6))
    assert is_business_day(D(2024, 12, 27))
    app.config["YEAR_END_CLOSURE"] = "12-28,01-05"
    assert not is_business_day(D(2024, 12, 27 + 1)) and not is_business_day(D(2025, 1, 3))
    app.config["YEAR_END_CLOSURE"] = None
    assert is_business_day(D(2024, 12, 30)) and not is_business_day(D(2025, 1, 1))  # 元日 stays a holiday


# ---------------------------------------------------------------------------------------------
# The clock through Golden Week 2024, with the scheduler's real triggers
# ---------------------------------------------------------------------------------------------

def test_golden_week_digest_runs_on_business_days_only(app, monkeypatch):
    install_fake_tally(monkeypatch)
    coord = factories.user("coord", centers=["onestop"])
    case = factories.case(opened_on=D(2024, 4, 1), assignee_id=coord.id)
    on_friday = followup(case, coord, D(2024, 4, 26), reason="金曜期限")
    in_holidays = followup(case, coord, D(2024, 5, 3), reason="憲法記念日が期限")
    later = followup(case, coord, D(2024, 5, 8), reason="5月8日期限")
    scheduler = build_scheduler(app)

    bell = {}

    def count_unread(when, job_id):
        if job_id == "digest":
            bell[when.date()] = len([n for n in notifications_for(coord) if n.read_at is None])

    fired = drive(scheduler, dt.datetime(2024, 4, 26, 0, 0, tzinfo=JST),
                  dt.datetime(2024, 5, 8, 23, 59, tzinfo=JST), after_each=count_unread)

    # the weekday trigger fires on 4/29 (昭和の日), 5/3 and 5/6 too; the job skips holidays
    assert [w.strftime("%m-%d %H:%M") for w, job in fired if job == "digest"] == [
        "04-26 08:30", "04-29 08:30", "04-30 08:30", "05-01 08:30", "05-02 08:30", "05-03 08:30",
        "05-06 08:30", "05-07 08:30", "05-08 08:30"]
    golden_week = ["2024-04-26", "2024-04-30", "2024-05-01", "2024-05-02", "2024-05-07", "2024-05-08"]
    assert runs("digest") == golden_week
    assert runs("stale") == golden_week
    assert runs("tally") == ["2024-04"] and snapshots() == ["2024-04"]  # 5/1 05:00, holiday or not

    def days(f):
        return [n.digest_on.isoformat() for n in notifications_for(coord, f"followup:{f.id}")]

    assert days(on_friday) == golden_week  # due Friday 4/26, reminded every business day since
    assert days(in_holidays) == ["2024-05-07", "2024-05-08"]  # due on a holiday: first business day after
    assert days(later) == ["2024-05-08"]
    first = notifications_for(coord, f"followup:{on_friday.id}")[0]
    assert first.kind == "followup_due" and "本日" in first.body
    assert notifications_for(coord, f"followup:{in_holidays.id}")[0].kind == "followup_overdue"
    # older reminders of the same item are superseded: the bell counts today's list
    assert bell == {D(2024, 4, 26): 1, D(2024, 4, 29): 1, D(2024, 4, 30): 1, D(2024, 5, 1): 1,
                    D(2024, 5, 2): 1, D(2024, 5, 3): 1, D(2024, 5, 6): 1, D(2024, 5, 7): 2, D(2024, 5, 8): 3}


def test_exactly_one_tally_per_month_over_a_quarter(app, monkeypatch):
    install_fake_tally(monkeypatch)
    factories.consultation(held_on=D(2024, 5, 20))
    scheduler = build_scheduler(app)
    drive(scheduler, dt.datetime(2024, 4, 15, tzinfo=JST), dt.datetime(2024, 7, 20, tzinfo=JST))
    assert runs("tally") == ["2024-04", "2024-05", "2024-06"]
    data = {s.month: s.data for s in db.session.scalars(select(TallySnapshot))}
    assert data["2024-05"]["相談件数"] == 1 and data["2024-04"]["相談件数"] == 0
    # running the 1st's job again the same day changes nothing
    with time_machine.travel(dt.datetime(2024, 7, 1, 9, 0, tzinfo=JST), tick=False):
        assert all(not r.ran for r in jobs.scheduled_tally()) or jobs.scheduled_tally() == []
    assert db.session.query(TallySnapshot).count() == 3


# ---------------------------------------------------------------------------------------------
# Catch-up after downtime
# ---------------------------------------------------------------------------------------------

def test_catch_up_after_a_gap(app, monkeypatch):
    install_fake_tally(monkeypatch)
    coord = factories.user("coord", centers=["onestop"])
    case = factories.case(opened_on=D(2024, 1, 5), assignee_id=coord.id)
    followup(case, coord, D(2024, 5, 1))
    with time_machine.travel(dt.datetime(2024, 2, 1, 5, 0, tzinfo=JST), tick=False):
        jobs.scheduled_tally()
    assert runs("tally") == ["2024-01"]
    # the scheduler was down from February until Friday 10 May, 10:00
    with time_machine.travel(dt.datetime(2024, 5, 10, 10, 0, tzinfo=JST), tick=False):
        results = jobs.catch_up()
    assert [(r.job, r.period) for r in results] == [
        ("stale", "2024-05-10"), ("digest", "2024-05-10"),
        ("tally", "2024-02"), ("tally", "2024-03"), ("tally", "2024-04")]
    assert runs("digest") == ["2024-05-10"]  # missed digests are not sent late; today's is
    assert snapshots() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    with time_machine.travel(dt.datetime(2024, 5, 10, 11, 0, tzinfo=JST), tick=False):
        assert jobs.catch_up() == [] or all(not r.ran for r in jobs.catch_up())
    assert db.session.query(JobRun).count() == 6


def test_catch_up_before_digest_time_and_on_holidays(app, monkeypatch):
    install_fake_tally(monkeypatch)
    with time_machine.travel(dt.datetime(2024, 5, 7, 7, 0, tzinfo=JST), tick=False):
        assert [(r.job, r.period) for r in jobs.catch_up()] == [("tally", "2024-04")]
    with time_machine.travel(dt.datetime(2024, 5, 6, 12, 0, tzinfo=JST), tick=False):  # 振替休日
        assert jobs.catch_up() == []
    assert runs("digest") == []


def test_catch_up_is_bounded(app, monkeypatch):
    install_fake_tally(monkeypatch)
    app.config["TALLY_CATCHUP_MONTHS"] = 3
    db.session.add(JobRun(job="tally", period="2022-01", status="done"))
    db.session.commit()
    with time_machine.travel(dt.datetime(2024, 5, 20, 6, 0, tzinfo=JST), tick=False):
        jobs.catch_up()
    assert runs("tally") == ["2022-01", "2024-02", "2024-03", "2024-04"]


# ---------------------------------------------------------------------------------------------
# Two schedulers racing
# ---------------------------------------------------------------------------------------------

def test_two_schedulers_racing_threads_run_the_tally_once(app, monkeypatch):
    calls = []

    def slow_tally(year, month):
        calls.append((year, month))
        time.sleep(0.3)  # widen the window in which both could run
        return {"month": f"{year}-{month:02d}"}

    install_fake_tally(monkeypatch, slow_tally)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def scheduler_process():
        try:
            with app.app_context():
                barrier.wait()
                results.append(jobs.run_tally(2024, 4))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=scheduler_process) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.ran for r in results) == [False, True]
    assert runs("tally") == ["2024-04"]
    assert db.session.query(TallySnapshot).count() == 1
    assert len(calls) == 1


@pytest.mark.slow
def test_two_scheduler_processes_racing_send_one_digest(app, tmp_path):
    coord = factories.user("coord", centers=["onestop"])
    case = factories.case(opened_on=D(2024, 4, 1), assignee_id=coord.id)
    followup(case, coord, D(2024, 5, 7))
    coord_id = coord.id
    db.session.remove()
    env = {**os.environ, "CASEWORK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CASEWORK_SECRET_KEY": "x", "CASEWORK_INSTANCE_PATH": str(tmp_path / "instance")}
    cmd = [sys.executable, "-m", "casework.cli", "run-job", "digest", "--period", "2024-05-07"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    said = sorted("done" if "done" in out else "skipped" for out, _err in outputs)
    assert said == ["done", "skipped"], outputs
    assert runs("digest") == ["2024-05-07"]
    assert len(notifications_for(coord_id)) == 1


def test_forced_rerun_does_not_duplicate(app):
    coord = factories.user("coord", centers=["onestop"])
    case = factories.case(opened_on=D(2024, 4, 1), assignee_id=coord.id)
    followup(case, coord, D(2024, 5, 7))
    assert jobs.run_digest(D(2024, 5, 7)).ran
    assert not jobs.run_digest(D(2024, 5, 7)).ran
    assert jobs.run_digest(D(2024, 5, 7), force=True).ran
    assert len(notifications_for(coord)) == 1
    assert db.session.query(JobRun).count() == 1


def test_failed_run_leaves_no_record_and_is_retried(app, monkeypatch):
    def broken(year, month):
        raise RuntimeError("database of reports unavailable")

    install_fake_tally(monkeypatch, broken)
    with pytest.raises(RuntimeError):
        jobs.run_tally(2024, 4)
    assert runs("tally") == []
    install_fake_tally(monkeypatch)
    assert jobs.run_tally(2024, 4).ran and runs("tally") == ["2024-04"]


# ---------------------------------------------------------------------------------------------
# The job store and the commands
# ---------------------------------------------------------------------------------------------

def test_persistent_job_store_in_app_database(app):
    from apscheduler.schedulers.background import BackgroundScheduler
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from casework.dbsetup import include_object

    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        jobs_ = {j.id: j for j in scheduler.get_jobs()}
        assert set(jobs_) == {"digest", "stale", "tally", "rollups"}
        assert str(jobs_["digest"].trigger) == "cron[day_of_week='mon-fri', hour='8', minute='30']"
        assert jobs_["digest"].coalesce is True and jobs_["digest"].misfire_grace_time == 6 * 3600
        assert str(jobs_["tally"].trigger.timezone) == "Asia/Tokyo"
    finally:
        scheduler.shutdown(wait=False)
    assert "apscheduler_jobs" in inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM apscheduler_jobs").scalar() == 4
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True,
                                                                       "include_object": include_object}),
                                db.metadata)
    assert diff == []  # the job store's table is not the models' business


def test_run_job_command(app, runner, monkeypatch):
    install_fake_tally(monkeypatch)
    coord = factories.user("coord", centers=["onestop"])
    case = factories.case(opened_on=D(2024, 4, 1), assignee_id=coord.id)
    followup(case, coord, D(2024, 5, 7))
    result = runner.invoke(args=["run-job", "digest", "--period", "2024-05-07"])
    assert result.exit_code == 0, result.output
    assert "digest 2024-05-07: done" in result.output and "created=1" in result.output
    again = runner.invoke(args=["run-job", "digest", "--period", "2024-05-07"])
    assert "skipped (already run)" in again.output and "--force" in again.output
    holiday = runner.invoke(args=["run-job", "digest", "--period", "2024-05-06"])
    assert "営業日ではありません" in holiday.output
    tally = runner.invoke(args=["run-job", "tally", "--period", "2024-04"])
    assert "tally 2024-04: done" in tally.output
    bad = runner.invoke(args=["run-job", "tally", "--period", "April"])
    assert bad.exit_code != 0
    listed = runner.invoke(args=["job-runs"])
    assert "digest  2024-05-07 done" in listed.output and "tally   2024-04" in listed.output


@pytest.mark.slow
def test_scheduler_command_starts_catches_up_and_stops(app, tmp_path):
    db.session.remove()
    env = {**os.environ, "CASEWORK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CASEWORK_SECRET_KEY": "x", "CASEWORK_INSTANCE_PATH": str(tmp_path / "instance"),
           "CASEWORK_TALLY_CATCHUP_MONTHS": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "casework.cli", "scheduler"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        _read_until(proc, lines, "scheduler running")
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=60)
    out = "".join(lines) + rest
    assert "scheduled: digest" in out and "scheduled: tally" in out, out
    assert proc.returncode == 0, out
    with db.engine.connect() as conn:
        ids = {r[0] for r in conn.exec_driver_sql("SELECT id FROM apscheduler_jobs")}
    assert ids == {"digest", "stale", "tally", "rollups"}


def test_tally_snapshot_with_the_real_monthly_tally(app):
    from casework.reporting import monthly_tally

    factories.consultation(held_on=D(2024, 4, 10))
    factories.consultation(held_on=D(2024, 5, 10))
    assert jobs.run_tally(2024, 4).ran
    snapshot = db.session.scalar(select(TallySnapshot).where(TallySnapshot.month == "2024-04"))
    assert snapshot.data == monthly_tally(2024, 4)
    assert snapshot.data["month"] == "2024-04" and snapshot.data["sections"]
    assert len(snapshot.fingerprint) == 64


@pytest.mark.slow
def test_casework_up_starts_the_scheduler_and_a_kill_stops_both(tmp_path):
    import signal
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CASEWORK_INSTANCE_PATH": str(tmp_path / "inst"),
           "CASEWORK_DATABASE_URL": f"sqlite:///{tmp_path / 'up.db'}", "CASEWORK_SECRET_KEY": "x",
           "CASEWORK_TALLY_CATCHUP_MONTHS": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "casework.cli", "up", "--no-demo", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = []
    try:
        _read_until(proc, lines, "scheduler running")
        children = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(proc.pid)], capture_output=True,
                                  text=True).stdout
        assert "casework.cli scheduler" in children
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    out = "".join(lines) + rest
    assert "scheduler started (casework scheduler)" in out and "scheduled: digest" in out
    assert "scheduler stopped" in out, out
    left = subprocess.run(["ps", "-o", "pid=", "-g", str(proc.pid)], capture_output=True, text=True).stdout
    assert left.strip() == ""


def _read_until(proc, lines: list, text: str) -> None:
    """Collect the process's output lines until one says `text` (or the output ends)."""
    for line in proc.stdout:
        lines.append(line)
        if text in line:
            break
