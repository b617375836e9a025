"""Data factories for tests (cookiecutter-flask / CTFd gen_* style). They go through the
services, so test data obeys the same rules as real data."""
import datetime as dt
import itertools

from sqlalchemy import select

from casework.extensions import db
from casework.models import Center
from casework.services.cases import CaseData, open_case
from casework.services.clients import ClientData, register_client
from casework.services.consultations import ConsultationData, log_consultation
from casework.services.events import EventData, create_event
from casework.services.users import create_user

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def center(code: str) -> Center:
    return db.session.scalar(select(Center).where(Center.code == code))


def user(login=None, role="coordinator", centers=("onestop",), name=None, **kw):
    login = login or f"user{next(_seq)}"
    u = create_user(login, name or f"職員{login}", PASSWORD, role=role, center_codes=list(centers), **kw)
    db.session.commit()
    return u


def client(name=None, **kw):
    n = next(_seq)
    c = register_client(ClientData(name=name or f"株式会社テスト{n}", name_kana=kw.pop("name_kana", f"テスト{n}"), **kw))
    db.session.commit()
    return c


def case(client_=None, center_code="onestop", opened_on=dt.date(2024, 4, 1), **kw):
    client_ = client_ or client()
    k = open_case(client_, CaseData(center_id=center(center_code).id, opened_on=opened_on, **kw))
    db.session.commit()
    return k


def consultation(client_=None, center_code="onestop", held_on=dt.date(2024, 5, 1), channel="window", **kw):
    client_ = client_ or client()
    c = log_consultation(client_, ConsultationData(held_on=held_on, channel_code=channel,
                                                   center_id=center(center_code).id, **kw))
    db.session.commit()
    return c


def event(center_code="yorozu", kind="outreach_day", held_on=dt.date(2024, 6, 1), **kw):
    e = create_event(EventData(center_id=center(center_code).id, kind_code=kind, held_on=held_on, **kw))
    db.session.commit()
    return e
