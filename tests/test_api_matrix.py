"""Every /api/v1/ operation × every role, by bearer token, expected exactly as the web's route
matrix expects the pages (tests/test_route_matrix.py: the same world, the same rules from the
permission table and casework/access.py): members get the record, others 404 (never 403, never
the record), a permission the role lacks is 403/404 as the table says; no token is 401."""
from __future__ import annotations

import pytest

from . import world as W
from .api_helpers import bearer, token_for
from .test_route_matrix import ALLOWED, _candidate_urls, _check, _expected

API_ALLOWED = ALLOWED | {428}  # a PATCH without If-Match / version: the record exists for this user


def _operations(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


@pytest.fixture
def w(app):
    return W.build()


@pytest.mark.parametrize("role", ["anonymous", *W.ROLES])
def test_every_api_operation_answers_each_role_as_the_web_matrix_says(app, w, role):
    client = app.test_client()
    headers = {} if role == "anonymous" else bearer(token_for(w.users[role], "write"))
    failures, checked = [], 0
    operations = sorted(_operations(app), key=lambda op: op[1] != "GET")  # reads first
    for rule, method in operations:
        for url, scope in _candidate_urls(app, rule, w, role):
            expectation = _expected(rule, url, scope, role, w)
            if rule.endpoint == "api-docs.openapi_json":
                expectation = "allowed"
            elif role == "anonymous":
                expectation = "unauthenticated"
            response = client.open(url, method=method, json={} if method != "GET" else None, headers=headers)
            checked += 1
            status = response.status_code
            if expectation == "unauthenticated":
                problem = None if status == 401 else f"expected 401, got {status}"
            elif expectation == "allowed" and status == 428:
                problem = None
            else:
                problem = _check(response, expectation, role, w)
            if status >= 400 and response.mimetype != "application/problem+json":
                problem = problem or f"error {status} is {response.mimetype}, not problem+json"
            if problem:
                failures.append(f"{method} {url} [{rule.endpoint}, {scope}] as {role}: {problem}")
    assert checked >= 20
    assert not failures, "\n".join(failures)


def test_the_api_and_the_web_refuse_the_same_things(app, w):
    """The table side by side: a role that may open the web's page opens the API's, and not otherwise."""
    from casework.permissions import may_open

    pairs = {"api_tally": ("tallies.index", "api_reports.tally"), "api_report": ("reports.index", "api_reports.annual"),
             "api_clients": ("clients.index", "api_clients.list_clients"),
             "api_followups": ("followups.index", "api_followups.list_followups")}
    for role, user in w.users.items():
        for web, api in pairs.values():
            assert may_open(user, web, app) == may_open(user, api, app), (role, web, api)
