"""Helpers for the scheduler tests: records the reminders are about, a stand-in monthly tally,
and the clock driven through the real APScheduler triggers."""
import datetime as dt
import sys
import types
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from casework.extensions import db
from casework.models import (
    Deal, Dispatch, DispatchVisit, Expert, FollowUp, JobRun, MatchProfile, Notification, TallySnapshot,
)

from . import factories

JST = ZoneInfo("Asia/Tokyo")


def followup(case, assignee, due_on, reason="3か月後の状況確認"):
    f = FollowUp(client_id=case.client_id, case_id=case.id, center_id=case.center_id, assignee_id=assignee.id,
                 due_on=due_on, reason=reason)
    db.session.add(f)
    db.session.commit()
    return f


def visit(case, due_on, requester=None, received_on=None):
    expert = db.session.scalar(select(Expert).where(Expert.name == "中小 診断士")) or Expert(name="中小 診断士")
    dispatch = Dispatch(case_id=case.id, client_id=case.client_id, center_id=case.center_id, expert=expert,
                        status="approved", requested_on=due_on - dt.timedelta(days=30),
                        requested_by_id=getattr(requester, "id", None))
    v = DispatchVisit(dispatch=dispatch, case_id=case.id, client_id=case.client_id, center_id=case.center_id,
                      expert=expert, held_on=due_on - dt.timedelta(days=14), report_due_on=due_on,
                      report_received_on=received_on)
    db.session.add(v)
    db.session.commit()
    return v


def deal(stage_on, assignee=None, stage="nda"):
    seller_case = factories.case(center_code="succession")
    buyer_case = factories.case(center_code="succession")
    seller = MatchProfile(case_id=seller_case.id, side="seller", code_name="S-2024-001")
    buyer = MatchProfile(case_id=buyer_case.id, side="buyer", code_name="B-2024-009")
    d = Deal(seller=seller, buyer=buyer, center_id=seller_case.center_id, stage=stage, stage_on=stage_on,
             assignee_id=getattr(assignee, "id", None))
    db.session.add(d)
    db.session.commit()
    return d


def notifications_for(user, key=None):
    user_id = user if isinstance(user, int) else user.id
    stmt = select(Notification).where(Notification.user_id == user_id)
    if key:
        stmt = stmt.where(Notification.item_key == key)
    return list(db.session.scalars(stmt.order_by(Notification.digest_on, Notification.id)))


def runs(job):
    return list(db.session.scalars(select(JobRun.period).where(JobRun.job == job).order_by(JobRun.period)))


def snapshots():
    return list(db.session.scalars(select(TallySnapshot.month).order_by(TallySnapshot.month)))


def fake_tally(year, month):
    from casework.models import Consultation
    from casework.dates import month_bounds

    start, end = month_bounds(year, month)
    count = db.session.query(Consultation).filter(Consultation.held_on >= start, Consultation.held_on < end,
                                                  Consultation.voided_at.is_(None)).count()
    return {"month": f"{year}-{month:02d}", "相談件数": count}


def install_fake_tally(monkeypatch, fn=fake_tally):
    """Use the real casework.reporting.monthly_tally when it exists, patched to fn for speed and
    determinism; before the reporting module lands, stand in for it."""
    try:
        import casework.reporting as reporting
    except ImportError:
        reporting = types.ModuleType("casework.reporting")
        monkeypatch.setitem(sys.modules, "casework.reporting", reporting)
    monkeypatch.setattr(reporting, "monthly_tally", fn, raising=False)


def fire_times(scheduler, start: dt.datetime, end: dt.datetime):
    """Every (time, job) the scheduler's own triggers fire between start and end, in order."""
    fires = []
    for job in scheduler.get_jobs():
        previous, now = None, start
        while True:
            nxt = job.trigger.get_next_fire_time(previous, now)
            if nxt is None or nxt > end:
                break
            fires.append((nxt, job))
            previous, now = nxt, nxt + dt.timedelta(seconds=1)
    return sorted(fires, key=lambda pair: (pair[0], pair[1].id))


def drive(scheduler, start: dt.datetime, end: dt.datetime, after_each=None):
    """Travel the clock to each fire time and run the job as the scheduler would."""
    fired = []
    for when, job in fire_times(scheduler, start, end):
        with time_machine.travel(when, tick=False):
            job.func()
        fired.append((when, job.id))
        if after_each:
            after_each(when, job.id)
    return fired
