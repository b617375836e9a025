"""Every route × every role, generated from app.url_map at test time.

Routes added later are covered by the default rules below, keyed by URL prefix and by the names
of the URL's parameters:

- logged out: every route redirects to the login page (except PUBLIC);
- /admin...: admins only (others 403 or 404);
- /succession...: succession staff and admins only (others 404);
- a URL naming a record (<int:case_id>, <int:deal_id>, ...) is tried with the record of each
  center (onestop, startup, succession): members of that center (and admins) get the page,
  everybody else 404 — never 403, never the record's content;
- a URL naming only a client (<int:client_id>) follows the client rule: clients are shared,
  except those known only to the succession center, which are 404 for non-members;
- pages of non-members never show succession clients' names or M&A code names.

A route with a parameter the table below does not know is still checked for the logged-out
redirect, the prefix rules and "no server error"; name the parameter in PARAMS to cover it fully.
"""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from casework.permissions import can, endpoint_permissions, permission

from . import world as W
from .conftest import text_of
from .factories import PASSWORD

PUBLIC = {"static", "auth.login"}
TOKEN_PUBLIC = {"calendar.feed"}  # no login: the secret token in the URL decides, and the matrix's token is wrong (404)
# Parameters naming a record of one center (tried with each center's record).
CENTER_PARAMS = {"case_id", "consultation_id", "event_id", "dispatch_id", "visit_id", "dispatch_visit_id",
                 "followup_id", "follow_up_id", "grant_id", "referral_id", "founding_id", "diagnosis_id",
                 "profile_id", "match_profile_id", "seller_id", "buyer_id", "deal_id", "step_id",
                 "deal_step_id", "stage_change_id",
                 "registration_id", "introduction_id", "milestone_id", "attendance_id",  # program records
                 "attachment_id", "day_id", "slot_id"}  # documents on records, outreach days
CLIENT_PARAMS = {"client_id"}
OWN_PARAMS = {"notification_id"}  # the user's own record
# String / non-record parameters: a value that makes sense.
VALUES = {"year": 2024, "fy": 2024, "fiscal_year": 2024, "month": "2024-04", "ym": "2024-04", "day": "2024-05-10",
          "date": "2024-05-10", "code": "onestop", "center": "onestop", "center_code": "onestop", "fmt": "csv",
          "format": "csv", "ext": "csv", "kind": "consultations", "metric": "consultations", "table": "consultations",
          "side": "seller", "stage": "nda", "job": "digest", "name": "digest", "filename": "x.csv"}
# URL prefixes that only make sense for the records of some centers (other centers' records are
# not tried there: for them the page does not exist for anyone).
PREFIX_SCOPES = {"/founders": {"startup"}, "/succession": {"succession"}}
# Pages that take their record from the query string or the form rather than the URL path:
# these names are filled like URL parameters (url_for adds them to the query; POSTs also send
# them as form fields).
INPUTS = {"referrals.new": ["client_id"], "succession.propose": ["seller_id", "buyer_id"]}
# Pages for some roles only, answered 403/404 to the others, besides what the permission table
# says (casework/permissions.py: a role without an endpoint's permission gets 403, or 404 when
# the permission is hidden).
ROLE_PREFIXES = {"/tallies": {"admin", "manager"}, "/founders": {"admin", "manager", "im"}}
# Endpoints whose POST changes who is logged in: checked in tests of their own.
SKIP_POST = {"auth.logout"}
ALLOWED = {200, 201, 204, 302, 303, 400, 403, 409, 422}  # 403: a role gate within a visible center
DENIED_RECORD = {404}
DENIED_ADMIN = {403, 404}


def _rules(app):
    # the JSON API (/api/v1/) answers with status codes, not the login page: tests/test_api_matrix.py
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static" and not r.rule.startswith("/api/")),
                  key=lambda r: r.rule)


def _method(rule):
    return "GET" if "GET" in rule.methods else ("POST" if "POST" in rule.methods else None)


def _int_args(rule):
    """Integer URL parameters naming a record (years and months are values, see VALUES)."""
    return [a for a in rule.arguments if isinstance(rule._converters.get(a), IntegerConverter) and a not in VALUES]


def _candidate_urls(app, rule, w, role):
    """(url, scope) pairs: scope is the center whose records fill the URL, 'client:<center>' for
    client-only URLs, None for URLs without records, 'unknown' when a parameter is not known."""
    ints = _int_args(rule) + INPUTS.get(rule.endpoint, [])
    values = {a: _value(rule, a) for a in rule.arguments if a not in ints}
    if any(a not in VALUES for a in values):
        return [(_build(app, rule, {**values, **{a: w.ids["onestop"].get(a, 1) for a in ints}}), "unknown")]
    if not ints:
        return [(_build(app, rule, values), None)]
    unknown = [a for a in ints if a not in CENTER_PARAMS | CLIENT_PARAMS | OWN_PARAMS | set(w.globals)]
    if unknown:
        return [(_build(app, rule, {**values, **{a: w.globals.get(a, w.ids["onestop"].get(a, 1)) for a in ints}}),
                 "unknown")]
    out = []
    scopes = next((v for p, v in PREFIX_SCOPES.items() if rule.rule.startswith(p)), None)
    for code, ids in w.ids.items():
        if code == "own" or (scopes is not None and code not in scopes):
            continue
        filled = dict(values)
        for a in ints:
            if a in OWN_PARAMS:
                filled[a] = w.ids["own"][role if role != "anonymous" else "admin"]
            elif a in w.globals and a not in ids:
                filled[a] = w.globals[a]
            elif a in ids:
                filled[a] = ids[a]
            else:
                break
        else:
            only_client = not (set(ints) & CENTER_PARAMS)
            scope = f"client:{code}" if only_client and set(ints) & CLIENT_PARAMS else (code if set(ints) & CENTER_PARAMS else None)
            out.append((_build(app, rule, filled), scope))
    return out or [(_build(app, rule, {**values, **{a: 1 for a in ints}}), "unknown")]


def _value(rule, name):
    value = VALUES.get(name, "x")
    if name == "month" and isinstance(rule._converters.get(name), IntegerConverter):
        return 4
    return value


def _build(app, rule, values):
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _expected(rule, url, scope, role, w=None):
    """'login', 'allowed', 'denied-admin', 'denied-record' or 'any' (only: no server error)."""
    if rule.endpoint in TOKEN_PUBLIC:
        return "denied-record"
    if role == "anonymous":
        return "allowed" if rule.endpoint in PUBLIC else "login"
    if rule.endpoint in PUBLIC:
        return "any"
    if url.startswith("/admin"):
        return "allowed" if role == "admin" else "denied-admin"
    lacking = _lacking_permissions(rule, w.users[role]) if w is not None else []
    if lacking:
        return "denied-record" if any(permission(p).hidden for p in lacking) else "denied-admin"
    if url.startswith("/succession") and role not in W.MEMBERS["succession"]:
        return "denied-record"
    roles = next((v for p, v in ROLE_PREFIXES.items() if url.startswith(p)), None)
    if roles is not None and role not in roles:
        return "denied-admin"
    if scope == "unknown":
        return "any"
    if scope is None:
        return "allowed"
    if scope.startswith("client:"):
        code = scope.split(":", 1)[1]
        return "allowed" if code != "succession" or role in W.MEMBERS["succession"] else "denied-record"
    return "allowed" if role in W.MEMBERS[scope] else "denied-record"


def _lacking_permissions(rule, user):
    from flask import current_app

    return [p for p in endpoint_permissions(current_app, rule.endpoint) or () if not can(user, p)]


def _check(response, expectation, role, w):
    status = response.status_code
    location = response.headers.get("Location", "")
    if status >= 500:
        return f"server error {status}"
    if expectation == "login":
        return None if status == 302 and "/auth/login" in location else f"expected redirect to login, got {status} {location}"
    if expectation == "any":
        return None
    if expectation == "denied-admin" and status not in DENIED_ADMIN:
        return f"expected 403/404 for non-admin, got {status}"
    if expectation == "denied-record" and status not in DENIED_RECORD:
        return f"expected 404, got {status}"
    if expectation == "allowed":
        if status not in ALLOWED:
            return f"expected the page, got {status}"
        if status in (302, 303) and "/auth/login" in location:
            return "expected the page, was sent to login"
    if role not in W.MEMBERS["succession"] and response.mimetype in ("text/html", "application/json", "text/csv"):
        body = text_of(response)
        leaked = [s for s in w.secrets if s in body]
        if leaked:
            return f"shows confidential succession data {leaked}"
    return None


@pytest.mark.parametrize("role", ["anonymous", *W.ROLES])
def test_every_route_answers_each_role_as_the_matrix_says(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/auth/login", data={"login": world.users[role].login, "password": PASSWORD})
        assert response.status_code == 302
    failures, checked = [], 0
    rules = _rules(app)
    # GET pages first, then POST-only actions (which may change data), each once per scope.
    ordered = [r for r in rules if _method(r) == "GET"] + [r for r in rules if _method(r) == "POST"]
    for rule in ordered:
        method = _method(rule)
        if method == "POST" and rule.endpoint in SKIP_POST and role != "anonymous":
            continue
        for url, scope in _candidate_urls(app, rule, world, role):
            expectation = _expected(rule, url, scope, role, world)
            form = {}
            if method == "POST" and "?" in url:
                from urllib.parse import parse_qsl

                form = dict(parse_qsl(url.split("?", 1)[1]))
            response = client.open(url, method=method, data=form if method == "POST" else None)
            problem = _check(response, expectation, role, world)
            checked += 1
            if problem:
                failures.append(f"{method} {url} [{rule.endpoint}, {scope}] as {role}: {problem}")
            if method == "POST" and role != "anonymous" and client.get("/").status_code != 200:
                client.post("/auth/login", data={"login": world.users[role].login, "password": PASSWORD})
    print(f"{role}: {checked} requests over {len(rules)} routes")
    assert checked > len(rules) // 2
    assert not failures, "\n".join(failures)


def test_the_matrix_knows_every_record_parameter(app):
    """Report (as a failure) URL parameters the matrix cannot fill with a real record."""
    known = CENTER_PARAMS | CLIENT_PARAMS | OWN_PARAMS | {
        "expert_id", "program_id", "user_id", "staff_id", "center_id", "run_id", "job_run_id", "snapshot_id",
        "entry_id", "audit_id", "term_id", "section_id", "row_id", "merge_id", "void_id"}
    unknown = sorted({f"{r.endpoint}: {a}" for r in _rules(app) for a in _int_args(r) if a not in known})
    assert not unknown, "add these to tests/test_route_matrix.py and tests/world.py: " + ", ".join(unknown)


def test_denied_record_access_is_audited(app, world, client):
    from sqlalchemy import select

    from casework.extensions import db
    from casework.models import AuditEntry

    client.post("/auth/login", data={"login": world.users["coordinator"].login, "password": PASSWORD})
    secret_client = world.ids["succession"]["client_id"]
    assert client.get(f"/clients/{secret_client}").status_code == 404
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied"))
    assert entry is not None
    assert (entry.object_type, entry.object_id, entry.user_id) == ("Client", secret_client, world.users["coordinator"].id)


def test_confidential_views_are_audited_for_members(app, world, client):
    from sqlalchemy import select

    from casework.extensions import db
    from casework.models import AuditEntry

    client.post("/auth/login", data={"login": world.users["succession"].login, "password": PASSWORD})
    secret_client = world.ids["succession"]["client_id"]
    assert client.get(f"/clients/{secret_client}").status_code == 200
    views = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "view",
                                                              AuditEntry.object_id == secret_client)))
    assert len(views) == 1 and views[0].user_id == world.users["succession"].id


def test_succession_pages_refused_to_non_members_are_audited(app, world, client):
    from sqlalchemy import select

    from casework.extensions import db
    from casework.models import AuditEntry

    client.post("/auth/login", data={"login": world.users["manager"].login, "password": PASSWORD})
    assert client.get("/succession/").status_code == 404
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied"))
    assert entry.user_id == world.users["manager"].id and entry.detail["path"] == "/succession/"
