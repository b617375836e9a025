"""Exactly-once job runs: a run first inserts its JobRun (job, period) row; the unique key makes a
second run of the same period — another scheduler process, a catch-up, an operator — skip.

The claim and the job's writes share one transaction, so a failed run leaves no JobRun behind
and is retried by the next trigger or catch-up. On SQLite the transaction begins IMMEDIATE (the
second writer waits for the first to commit, then hits the unique key); on PostgreSQL the second
INSERT waits on the first's uncommitted key, then fails with a unique violation.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import JobRun, utcnow

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    job: str
    period: str
    ran: bool
    detail: dict = field(default_factory=dict)

    def __str__(self):
        state = "done" if self.ran else "skipped (already run)"
        extra = " ".join(f"{k}={v}" for k, v in self.detail.items())
        return f"{self.job} {self.period}: {state} {extra}".rstrip()


def already_ran(job: str, period: str) -> bool:
    return db.session.scalar(select(JobRun.id).where(JobRun.job == job, JobRun.period == period)) is not None


def last_period(job: str) -> str | None:
    return db.session.scalar(select(JobRun.period).where(JobRun.job == job, JobRun.status == "done")
                             .order_by(JobRun.period.desc()).limit(1))


def run_once(job: str, period: str, work, *, force: bool = False) -> RunResult:
    """Claim (job, period), run work() → dict in the same transaction, commit. Skips when taken.

    force=True runs work again for a period already done (work must itself be idempotent) and
    refreshes the existing JobRun row."""
    db.session.rollback()  # start from a clean transaction
    existing = db.session.scalar(select(JobRun).where(JobRun.job == job, JobRun.period == period))
    if existing is not None and not force:
        db.session.rollback()
        return RunResult(job, period, False)
    run = existing or JobRun(job=job, period=period)
    run.started_at, run.status = utcnow(), "running"
    try:
        if existing is None:
            db.session.add(run)
            db.session.flush()  # the claim: a concurrent run of the same period fails here
        detail = work() or {}
        run.detail, run.status, run.finished_at = _jsonable(detail), "done", utcnow()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if already_ran(job, period):
            db.session.rollback()
            log.info("job %s %s already claimed by another run; skipped", job, period)
            return RunResult(job, period, False)
        raise
    except Exception:
        db.session.rollback()
        log.exception("job %s %s failed; it will be retried by the next trigger or catch-up", job, period)
        raise
    return RunResult(job, period, True, detail)


def _jsonable(detail: dict) -> dict:
    import json

    return json.loads(json.dumps(detail, default=str))
