"""CSRF on every POST: the suite run with CSRF on (style.md habit 8)."""
import re

import pytest

from . import world as W
from .factories import PASSWORD
from .test_route_matrix import _candidate_urls, _rules


def _token(client, url="/auth/login"):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     client.get(url).get_data(as_text=True)).group(1, 2)


def _login(client, user):
    token = [t for t in _token(client) if t][0]
    response = client.post("/auth/login", data={"login": user.login, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return token


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_login_without_token_is_refused(csrf_app, coordinator):
    client = csrf_app.test_client()
    response = client.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD})
    assert response.status_code == 400


def test_every_post_route_refuses_a_request_without_token(csrf_app):
    w = W.build()
    client = csrf_app.test_client()
    _login(client, w.users["admin"])
    refused, posts = [], 0
    for rule in _rules(csrf_app):
        if "POST" not in rule.methods:
            continue
        for url, _scope in _candidate_urls(csrf_app, rule, w, "admin"):
            posts += 1
            response = client.post(url, data={"anything": "1"})
            if response.status_code != 400:
                refused.append(f"POST {url} [{rule.endpoint}] without CSRF token answered {response.status_code}")
    assert posts >= 5
    assert not refused, "\n".join(refused)
    # the session is still valid: a POST with the token works
    token = [t for t in _token(client, "/auth/password") if t][0]
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302


def test_a_token_from_another_session_is_refused(csrf_app, coordinator):
    attacker = csrf_app.test_client()
    stolen = [t for t in _token(attacker) if t][0]
    victim = csrf_app.test_client()
    _login(victim, coordinator)
    assert victim.post("/auth/logout", data={"csrf_token": stolen}).status_code == 400
