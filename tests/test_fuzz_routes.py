"""Hostile input on every route, as every role: never a server error, never a stray record.

Walks every rule of app.url_map (the same world as tests/test_route_matrix.py) for each role with
values picked from HOSTILE (huge integers, NUL, long strings, odd unicode, far dates, cursors,
wrong types) by a generator whose seed hypothesis draws: in the URL path (record ids), in the
query string (every name the list filters read, plus the fields of every filter form) and in
the form (the fields of every form class of the app). Each request must answer below 500, and the row count of every table except the
audit log must stay what it was: hostile values are refused, not half written.

Bounded: derandomized seeds (deadline=None, a fixed max_examples), FUZZ_EXAMPLES walks per role
(each walk visits every rule once, GET and POST); one app and one world for the module, its
database snapshot restored before each role (building them per role cost more than the walks);
a POST that logs the user out is noticed from the next answer (a redirect to the login page)
and that request sent again after logging in, instead of a home page after every POST.
CASEWORK_FUZZ_EXAMPLES=10 walks more locally.
"""
from __future__ import annotations

import os
import random
import re
from urllib.parse import quote

import pytest
import traceback
from types import SimpleNamespace

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from casework.extensions import db

from . import world as W
from .factories import PASSWORD
from .test_forms_language import all_form_classes

FUZZ_EXAMPLES = int(os.environ.get("CASEWORK_FUZZ_EXAMPLES", "1"))
UNCOUNTED = {"audit_log"}  # refusals and views are audited: that is the one table that may grow
# Rows that are part of the record an edit page edits (unticked checkboxes are not sent, so a
# hostile POST to a user's edit page may legitimately leave the user without centers).
PARTS_OF_THE_RECORD = {"admin.user_edit": {"memberships"}, "cases.edit": {"case_themes"},
                       "consultations.edit": {"consultation_themes"}}
SKIP = {"static", "auth.logout", "auth.login"}  # logging out/in again is tested on its own

HUGE = [str(2**31), str(2**63), str(2**64), "9" * 20, "9" * 400, "-1", "-9223372036854775809", "0", "1e400",
        "NaN", "Infinity", "-0", "１２３", "0x10", "1.5", "1,000,000,000,000"]
TEXT = ["", " ", "\x00", "a\x00b", "\x00" * 3, "x" * 20_000, "\u202e\u202e", "\u200b", "\ufeff", "🙂" * 30,
        "'; DROP TABLE clients;--", '"', '"unterminated', "%", "_", "\\", "<script>alert(1)</script>",
        " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(1000)), "NEAR(a b)", "a OR b", "*", "^",
        "=HYPERLINK(\"http://x\")", "ｱｲｳ", "\u3000", "\r\n", "[]", "{}", "true", "None", "null"]
DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2024-02-30", "R99.99.99", "H31.5.1", "令和100年1月1日",
         "R6.4.1", "2024/4/1", "2024-04-01T00:00", "24-4-1", "2024-13", "-2024-01-01"]
CURSORS = ["2024-05-01~" + "9" * 30, "~~~", "9" * 30 + "~1", "x~y", "2024-05-01~-1", "0001-01-01T00:00:00~1"]
ODD = ["́́́", "אבג", "👨‍👩‍👧", "𠮟",
       "ﾃｽﾄ", "Ⅻ", "①②", " ", " ", "�", "", "[31m", "ℌ", "İ", "ß" * 3]
HOSTILE = HUGE + TEXT + DATES + CURSORS + ODD

# Query-string names the list pages read by hand (request.args.get) rather than through a form.
QUERY_NAMES = ["q", "page", "after", "n", "per_page", "fy", "month", "center", "center_id", "client_id",
               "case_id", "staff_id", "assignee_id", "expert_id", "status", "from", "to", "kind", "stage",
               "side", "all", "active", "overdue", "scope", "source", "municipality", "industry", "next",
               "held_on", "event_id", "channel_code", "seller_id", "buyer_id", "back_id", "fmt"]


def _form_fields():
    names, filters = set(), set()
    for cls in all_form_classes():
        for name, unbound in vars(cls).items():
            if hasattr(unbound, "field_class"):
                (filters if "Filter" in cls.__name__ or "Search" in cls.__name__ else names).add(name)
    return sorted(names), sorted(filters)


FORM_FIELDS, FILTER_FIELDS = _form_fields()
ALL_QUERY = sorted(set(QUERY_NAMES) | set(FILTER_FIELDS))

PATH = HUGE + ["1", "0", "x", "%00", "2024-04", "9999-99", "😀"]


def _row_counts():
    tables = [t for t in db.metadata.sorted_tables if t.name not in UNCOUNTED]
    counts = db.session.execute(select(*[select(func.count()).select_from(t).scalar_subquery().label(t.name)
                                         for t in tables])).one()
    db.session.rollback()  # end the read transaction: the app's requests run in their own
    return dict(zip([t.name for t in tables], counts))


def _url(rule, rnd, w, role):
    """rule.rule with each <converter:name> replaced: a real record id (of a center the role may
    or may not see) or a hostile value, URL-quoted."""
    def fill(match):
        name = match.group(2)
        real = [str(ids[name]) for code, ids in w.ids.items() if name in ids and code != "own"]
        if name == "notification_id":
            real = [str(w.ids["own"][role])]
        if name in w.globals:
            real.append(str(w.globals[name]))
        value = rnd.choice(real or ["1"]) if rnd.random() < 0.5 else rnd.choice(PATH)
        return quote(value, safe="")

    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>", fill, rule.rule)


def _login(client, w, role):
    response = client.post("/auth/login", data={"login": w.users[role].login, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """One app and one world for the module (building them per role cost more than the walks:
    templates and SQL compiled again, a password hashed per user); each role starts from the
    same snapshot of the database, restored before its walk."""
    from .conftest import fresh_app

    with pytest.MonkeyPatch.context() as monkeypatch:
        made = fresh_app(tmp_path_factory.mktemp("fuzz"), monkeypatch, csrf=False)
        app = next(made)
        w = W.build()
        # plain values: the snapshot ends the session the world's objects were loaded in
        w.users = {role: SimpleNamespace(id=u.id, login=u.login) for role, u in w.users.items()}
        snapshot = Snapshot(app)
        yield app, w, snapshot
        snapshot.drop()
        next(made, None)


class Snapshot:
    """The database as the world left it, put back before each role's walk (SQLite: the backup
    API; PostgreSQL: a copy made with CREATE DATABASE … TEMPLATE)."""

    def __init__(self, app):
        self.url = db.engine.url
        self._quiet()
        if self.url.get_backend_name() == "sqlite":
            self.path = f"{self.url.database}.snapshot"
            self._copy(self.url.database, self.path)
        else:
            self.name = f"{self.url.database}_snap"
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', self._leave(self.url.database),
                        f'CREATE DATABASE "{self.name}" TEMPLATE "{self.url.database}"')

    def restore(self):
        self._quiet()
        if self.url.get_backend_name() == "sqlite":
            self._copy(self.path, self.url.database)
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{self.url.database}" WITH (FORCE)',
                        f'CREATE DATABASE "{self.url.database}" TEMPLATE "{self.name}"')

    def drop(self):
        if self.url.get_backend_name() != "sqlite":
            self._quiet()
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    @staticmethod
    def _leave(name):
        """End the connections earlier apps of this test session left open (a template must have none)."""
        return (f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()")

    @staticmethod
    def _quiet():
        db.session.remove()
        db.engine.dispose()

    @staticmethod
    def _copy(source, target):
        import sqlite3

        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()

    def _admin(self, *statements):
        import sqlalchemy as sa

        admin = sa.create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                                 poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        admin.dispose()


def _logged_out(response) -> bool:
    return response.status_code in (301, 302, 303) and response.headers.get("Location", "").startswith("/auth/login")


@pytest.mark.parametrize("role", list(W.ROLES))
def test_hostile_values_on_every_route_never_break_anything(fuzz_app, role):
    app, w, snapshot = fuzz_app
    snapshot.restore()  # every role walks the same world, whatever the previous walk edited
    # the JSON API takes JSON, not forms: schemathesis fuzzes it (tests/test_api_schemathesis.py)
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIP and not r.rule.startswith("/api/")),
                   key=lambda r: r.rule)
    client = app.test_client()
    _login(client, w, role)

    @settings(max_examples=FUZZ_EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],  # a failure lists every finding; no shrinking
              suppress_health_check=list(HealthCheck))
    @given(st.integers(min_value=0, max_value=2**32 - 1))
    def walk(seed):
        rnd = random.Random(f"casework-fuzz-{role}-{seed}")  # hypothesis picks the seeds (derandomized)
        def hostile():
            return rnd.choice(HOSTILE) if rnd.random() < 0.9 else "".join(rnd.choice(ODD + TEXT[:12]) for _ in range(3))

        counts = _row_counts()
        for rule in rules:
            for method in sorted(rule.methods & {"GET", "POST"}):
                url = _url(rule, rnd, w, role)
                query = {n: hostile() for n in rnd.sample(ALL_QUERY, rnd.randint(0, 6))}
                form = {n: hostile() for n in rnd.sample(FORM_FIELDS, rnd.randint(3, 12))} if method == "POST" else None
                where = f"{method} {url} {query!r:.300} {form!r:.300} as {role}"
                for attempt in (1, 2):  # a hostile POST may have logged the user out: log in, send again
                    try:
                        response = client.open(url, method=method, query_string=query, data=form)
                    except Exception as exc:  # TESTING propagates what would be a 500
                        frame = traceback.extract_tb(exc.__traceback__)[-1]
                        failures.append(f"{exc!r:.200} at {frame.filename}:{frame.lineno}: {where}")
                        db.session.rollback()
                        response = None
                        break
                    if attempt == 1 and _logged_out(response):
                        _login(client, w, role)
                        counts = _row_counts()
                        continue
                    break
                if response is None:
                    continue
                sent.append(response.status_code)
                if response.status_code >= 500:
                    failures.append(f"{response.status_code}: {where}")
                after = _row_counts()
                changed = {t: (counts[t], after[t]) for t in counts if counts[t] != after[t]
                           and t not in PARTS_OF_THE_RECORD.get(rule.endpoint, ())}
                if changed:
                    failures.append(f"rows changed {changed}: {where}")
                counts = after

    failures, sent = [], []  # every finding of every walk, reported together
    walk()
    assert len(sent) >= FUZZ_EXAMPLES * len(rules), "the walk did not visit every route"
    assert not failures, f"{len(failures)} findings:\n" + "\n".join(failures[:40])
