"""Optimistic locking: a stale edit is refused with a clear message (409), nothing overwritten.

Every edit page (an endpoint ending in 'edit' taking one record id) is found in the URL map:
the form is loaded, someone else saves the record meanwhile, then the loaded form is submitted.
"""
from html.parser import HTMLParser

import pytest
from sqlalchemy import text, update
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from casework.extensions import db
from casework.models import (
    Case, Client, Consultation, Deal, Dispatch, Event, Expert, FollowUp, Grant, MatchProfile, Referral, User,
)

from . import world as W
from .conftest import text_of
from .factories import PASSWORD
from .test_route_matrix import _int_args, _rules

MODELS = {"client_id": Client, "case_id": Case, "consultation_id": Consultation, "event_id": Event,
          "expert_id": Expert, "profile_id": MatchProfile, "dispatch_id": Dispatch, "followup_id": FollowUp,
          "follow_up_id": FollowUp, "grant_id": Grant, "referral_id": Referral, "deal_id": Deal, "user_id": User}
STALE_MESSAGE = "他の職員がこの記録を先に更新しました"


class FormFields(HTMLParser):
    """The fields of the form that carries a `version` input, with their current values."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button"):
                return
            self.current.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = [a.get("name"), None, None]
        elif tag == "option" and self.select:
            if self.select[2] is None:
                self.select[2] = a.get("value", "")
            if "selected" in a:
                self.select[1] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select and self.current is not None:
            name, chosen, first = self.select
            self.current.append((name, chosen if chosen is not None else (first or "")))
            self.select = None
        elif tag == "textarea" and self.textarea and self.current is not None:
            self.current.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.current = None

    def versioned_form(self):
        return next((f for f in self.forms if any(name == "version" for name, _ in f)), None)


def _edit_rules(app):
    return [r for r in _rules(app) if r.endpoint.endswith("edit") and "POST" in r.methods
            and len(_int_args(r)) == 1 and _int_args(r)[0] in MODELS]


def test_there_are_edit_pages_to_check(app):
    assert len(_edit_rules(app)) >= 3


def world_as_admin(app):
    """The shared world (tests/world.py) and a client logged in as its admin."""
    w = W.build()
    client = app.test_client()
    client.post("/auth/login", data={"login": w.users["admin"].login, "password": PASSWORD})
    return w, client


@pytest.mark.parametrize("code", ["onestop", "succession"])
def test_a_stale_edit_is_refused_on_every_edit_page(app, code):
    w, client = world_as_admin(app)
    problems, checked = [], 0
    for rule in _edit_rules(app):
        param = _int_args(rule)[0]
        record_id = w.ids[code].get(param) or w.globals.get(param)
        if record_id is None:
            continue
        model = MODELS[param]
        url = rule.build({param: record_id})[1]
        page = client.get(url)
        if page.status_code != 200:
            problems.append(f"{url}: edit page answered {page.status_code}")
            continue
        parser = FormFields()
        parser.feed(page.get_data(as_text=True))
        form = parser.versioned_form()
        if form is None:
            problems.append(f"{url}: the edit form carries no version field")
            continue
        # someone else saves the record meanwhile
        table = model.__table__
        db.session.execute(update(table).where(table.c.id == record_id).values(version=table.c.version + 1))
        db.session.commit()
        before = db.session.execute(text(f"SELECT * FROM {table.name} WHERE id = :id"), {"id": record_id}).one()
        response = client.post(url, data=dict(form))
        after = db.session.execute(text(f"SELECT * FROM {table.name} WHERE id = :id"), {"id": record_id}).one()
        checked += 1
        if response.status_code != 409 or STALE_MESSAGE not in text_of(response):
            problems.append(f"{url}: stale save answered {response.status_code} without the stale message")
        if tuple(before) != tuple(after):
            problems.append(f"{url}: the record was overwritten by a stale save")
    assert checked >= 2
    assert not problems, "\n".join(problems)


def test_the_same_form_saved_fresh_is_accepted(app, client, logged_in, make):
    c = make.client(name="鮮度テスト株式会社")
    page = client.get(f"/clients/{c.id}/edit")
    parser = FormFields()
    parser.feed(page.get_data(as_text=True))
    data = dict(parser.versioned_form())
    data["name"] = "鮮度テスト株式会社（新）"
    assert client.post(f"/clients/{c.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Client, c.id).name == "鮮度テスト株式会社（新）"


def _versioned_models():
    return sorted({m.class_ for m in db.Model.registry.mappers if m.version_id_col is not None},
                  key=lambda cls: cls.__name__)


def test_every_versioned_model_refuses_a_concurrent_overwrite(app):
    """The mapper's version check catches a save that raced past check_version."""
    w = W.build()
    ids = {**{k: v for d in w.ids.values() if isinstance(d, dict) for k, v in d.items()}, **w.globals}
    by_model = {model: ids.get(param) for param, model in MODELS.items()}
    checked = 0
    for model in _versioned_models():
        record_id = by_model.get(model)
        if record_id is None:
            record = db.session.scalars(db.select(model).limit(1)).first()
            if record is None:
                continue
            record_id = record.id
        record = db.session.get(model, record_id)
        db.session.expunge(record)  # keep the loaded version, end our read
        db.session.rollback()
        table = model.__table__
        with db.engine.begin() as other:  # another worker saves first
            other.execute(update(table).where(table.c.id == record_id).values(version=table.c.version + 1))
        db.session.add(record)
        column = next(c.key for c in model.__mapper__.column_attrs
                      if c.key in record.__dict__ and c.key not in ("id", "version"))
        flag_modified(record, column)  # any change makes the ORM write with its version
        with pytest.raises(StaleDataError):
            db.session.commit()
        db.session.rollback()
        checked += 1
    assert checked >= 8
