"""The same screens with CSRF protection ON, as in production: a POST without the form's token
is refused (400) and nothing is written; with the token from the page it goes through."""
import re

import pytest

from casework.extensions import db
from casework.models import Case, Consultation, Event

from . import factories
from .conftest import fresh_app, text_of


def _fresh_g_per_request(app):
    @app.teardown_request
    def _fresh_g(_exc):
        # The fixture keeps one app context (and so one `g`) open across requests; in
        # production every request has its own. Drop the per-request caches of the CSRF
        # token and the logged-in user so each test request starts as a real one would.
        from flask import g

        g.pop("csrf_token", None)
        g.pop("_login_user", None)


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield from fresh_app(tmp_path, monkeypatch, csrf=True, prepare=_fresh_g_per_request)


def _token(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(as_text=True)) or \
        re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def logged_in_with_csrf(client):
    user = factories.user("coord", centers=["onestop", "yorozu"])
    data = {"login": "coord", "password": factories.PASSWORD}
    assert client.post("/auth/login", data=data).status_code == 400  # even the login form needs its token
    data["csrf_token"] = _token(client.get("/auth/login"))
    assert client.post("/auth/login", data=data).status_code == 302
    return user


def test_log_consultation_needs_the_token(client, logged_in_with_csrf, make):
    c = make.client("株式会社ねぶた製作所")
    page = client.get(f"/consultations/new?client_id={c.id}")
    data = {"client_id": str(c.id), "held_on": "2024-05-01", "channel_code": "window",
            "center_id": str(make.center("onestop").id), "staff_id": "", "case_id": "", "event_id": "",
            "notes": "トークンの確認"}
    assert client.post("/consultations/new", data=data).status_code == 400
    assert db.session.query(Consultation).count() == 0
    response = client.post("/consultations/new", data={**data, "csrf_token": _token(page)}, follow_redirects=True)
    assert response.status_code == 200 and "トークンの確認" in text_of(response)
    assert db.session.query(Consultation).count() == 1


def test_open_and_close_case_need_the_token(client, logged_in_with_csrf, make):
    c = make.client()
    page = client.get(f"/cases/new?client_id={c.id}")
    data = {"center_id": str(make.center("onestop").id), "assignee_id": "", "opened_on": "2024-04-01"}
    assert client.post(f"/cases/new?client_id={c.id}", data=data).status_code == 400
    response = client.post(f"/cases/new?client_id={c.id}", data={**data, "csrf_token": _token(page)})
    assert response.status_code == 302
    case = db.session.query(Case).one()
    close = {"closed_on": "2024-05-01", "outcome_code": "resolved", "version": str(case.version)}
    assert client.post(f"/cases/{case.id}/close", data=close).status_code == 400
    token = _token(client.get(f"/cases/{case.id}/close"))
    assert client.post(f"/cases/{case.id}/close", data={**close, "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).outcome_code == "resolved"
    # reopen is a small form on the case page: its token is there too
    page = client.get(f"/cases/{case.id}")
    assert client.post(f"/cases/{case.id}/reopen", data={"version": str(case.version + 1)}).status_code == 400
    response = client.post(f"/cases/{case.id}/reopen", data={"version": str(db.session.get(Case, case.id).version),
                                                             "csrf_token": _token(page)}, follow_redirects=True)
    assert "案件を再開しました" in text_of(response)


def test_create_event_needs_the_token(client, logged_in_with_csrf, make):
    page = client.get("/events/new")
    data = {"kind_code": "outreach_day", "held_on": "2024-06-01", "center_id": str(make.center("yorozu").id),
            "title": "八戸出張相談会", "municipality_code": ""}
    assert client.post("/events/new", data=data).status_code == 400
    assert client.post("/events/new", data={**data, "csrf_token": _token(page)}).status_code == 302
    assert db.session.query(Event).count() == 1


def test_filters_are_get_forms_without_tokens(client, logged_in_with_csrf, make):
    make.case(make.client("八戸水産", name_kana="ハチノヘスイサン"))
    assert "八戸水産" in text_of(client.get("/cases/", query_string={"q": "はちのへ"}))
