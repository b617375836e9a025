"""Personal API tokens: created in the app (shown once), stored hashed, expiring, revocable,
scoped (read refuses writes), never a session; and CSRF only for cookie sessions."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re

import time_machine
from sqlalchemy import select

from casework.extensions import db
from casework.models import ApiToken, AuditEntry

from .api_helpers import bearer, token_for
from .conftest import text_of


def _issue(client, name="月次集計の Excel", scope="read", expires_on=None):
    data = {"name": name, "scope": scope}
    if expires_on:
        data["expires_on"] = expires_on
    return client.post("/account/api-tokens/", data=data)


def test_a_token_is_created_in_the_app_shown_once_and_stored_hashed(app, client, logged_in, caplog):
    caplog.set_level(logging.DEBUG)
    page = client.get("/")
    assert "API トークン" in text_of(page)  # the account menu links to the page
    response = _issue(client)
    assert response.status_code == 201
    token = re.search(r'>(cw_[^<]+)</textarea>', response.get_data(as_text=True)).group(1)
    assert "今だけ表示" in text_of(response)
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.name, row.prefix, row.token_hash} and row.prefix == token[:10]
    assert row.scope == "read" and row.user_id == logged_in.id
    # never shown again, never logged, never on the audit log
    again = client.get("/account/api-tokens/")
    assert token not in again.get_data(as_text=True) and "月次集計の Excel" in text_of(again)
    assert token not in caplog.text
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "ApiToken")))
    assert [e.action for e in entries] == ["create"] and token not in str(entries[0].detail)
    # and it works
    assert client.get("/api/v1/clients", headers=bearer(token)).status_code == 200


def test_the_form_says_in_japanese_what_is_wrong(app, client, logged_in):
    response = _issue(client, name="", expires_on="2000-01-01")
    body = text_of(response)
    assert response.status_code == 200 and "名前を入力してください" in body
    assert db.session.scalar(select(ApiToken)) is None
    response = _issue(client, name="長すぎる期限", expires_on="2099-01-01")
    assert "以内" in text_of(response) and db.session.scalar(select(ApiToken)) is None


def test_expiry_revocation_and_a_disabled_user_end_a_token(app, client, logged_in, make):
    token = token_for(logged_in, "read", expires_on=dt.date.today() + dt.timedelta(days=10))
    assert client.get("/api/v1/clients", headers=bearer(token)).status_code == 200
    with time_machine.travel(dt.datetime.now() + dt.timedelta(days=12), tick=False):
        expired = client.get("/api/v1/clients", headers=bearer(token))
        assert expired.status_code == 401 and expired.mimetype == "application/problem+json"
        assert expired.headers["WWW-Authenticate"].startswith("Bearer")
    row = db.session.scalar(select(ApiToken))
    response = client.post("/account/api-tokens/revoke", data={"token_id": row.id}, follow_redirects=True)
    assert "取り消しました" in text_of(response) and "取消済み" in text_of(response)
    assert client.get("/api/v1/clients", headers=bearer(token)).status_code == 401
    other = token_for(logged_in, "read")
    logged_in.active = False
    db.session.commit()
    assert client.get("/api/v1/clients", headers=bearer(other)).status_code == 401


def test_nobody_revokes_another_users_token(app, client, logged_in, make):
    stranger = make.user("stranger", role="coordinator", centers=["onestop"])
    token = token_for(stranger, "read")
    row = db.session.scalar(select(ApiToken))
    client.post("/account/api-tokens/revoke", data={"token_id": row.id})
    assert db.session.get(ApiToken, row.id).revoked_at is None
    assert "stranger" not in text_of(client.get("/account/api-tokens/"))
    assert app.test_client().get("/api/v1/clients", headers=bearer(token)).status_code == 200


def test_a_read_token_refuses_writes_with_403(app, make):
    user = make.user("reader", role="coordinator", centers=["onestop"])
    token = token_for(user, "read")
    client = app.test_client()
    response = client.post("/api/v1/clients", json={"name": "読み取りトークン株式会社"}, headers=bearer(token))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert "読み取り専用" in response.get_json()["detail"]
    write = token_for(user, "write")
    assert client.post("/api/v1/clients", json={"name": "書き込みトークン株式会社"}, headers=bearer(write)).status_code == 201


def test_a_bearer_request_is_no_session(app, make):
    user = make.user("nosession", role="coordinator", centers=["onestop"])
    token = token_for(user, "read")
    client = app.test_client()
    response = client.get("/api/v1/clients", headers=bearer(token))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert client.get("/clients/").status_code == 302  # the token opens the API only, not the pages
    assert app.test_client().get("/clients/", headers=bearer(token)).status_code == 302


def test_wrong_or_missing_tokens_are_401_problems(app, make):
    client = app.test_client()
    for headers in ({}, {"Authorization": "Bearer cw_nope"}, {"Authorization": "Bearer "},
                    {"Authorization": "Basic dXNlcjpwYXNz"}):
        response = client.get("/api/v1/cases", headers=headers)
        assert response.status_code == 401, headers
        body = response.get_json()
        assert body["title"] == "認証が必要です" and body["title_en"] == "Authentication required"
