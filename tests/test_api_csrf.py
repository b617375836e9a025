"""The API is CSRF-exempt for bearer tokens only: a cookie session's write needs the CSRF token."""
from __future__ import annotations

import re

import pytest

from .api_helpers import bearer, token_for
from .conftest import fresh_app
from . import factories


@pytest.fixture
def csrf_app(tmp_path, monkeypatch):
    yield from fresh_app(tmp_path, monkeypatch, csrf=True)


def test_bearer_writes_need_no_csrf_but_session_writes_do(csrf_app):
    user = factories.user("csrfuser", role="coordinator", centers=["onestop"])
    token = token_for(user, "write")
    api = csrf_app.test_client()
    assert api.post("/api/v1/clients", json={"name": "トークン登録株式会社"}, headers=bearer(token)).status_code == 201

    browser = csrf_app.test_client()
    page = browser.get("/auth/login")
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert browser.post("/auth/login", data={"login": user.login, "password": factories.PASSWORD,
                                             "csrf_token": csrf}).status_code == 302
    assert browser.get("/api/v1/clients").status_code == 200  # reading with the session is fine
    refused = browser.post("/api/v1/clients", json={"name": "セッション登録株式会社"})
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    assert "CSRF" in refused.get_json()["detail"]
    home = browser.get("/")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.get_data(as_text=True)).group(1)
    assert browser.post("/api/v1/clients", json={"name": "セッション登録株式会社"},
                        headers={"X-CSRFToken": csrf}).status_code == 201
