"""Many writers logging consultations at once through the real server: gunicorn with several
sync workers on SQLite, real HTTP, real logins and CSRF tokens. Zero lost writes, zero errors.
And confidential pages read by succession staff while those writes go on: zero errors, and
exactly one audit 'view' row per page shown (casework/unit_of_work.py writes them in a
transaction of their own, which waits its turn instead of failing with "database is locked").
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .test_locking import FormFields

THREADS = 8
PER_THREAD = 25
WORKERS = 4
PASSWORD = "concurrency-test-passphrase"
VIEWERS = 4
PER_VIEWER = 30
SETUP = f"""
import datetime as dt
from sqlalchemy import select
from casework import create_app
from casework.extensions import db
from casework.models import Center
from casework.services.cases import CaseData, open_case
from casework.services.clients import ClientData, register_client
from casework.services.users import create_user
app = create_app()
with app.app_context():
    for i in range({THREADS}):
        create_user(f"writer{{i}}", f"記録者{{i}}", "{PASSWORD}", role="coordinator", center_codes=["onestop"])
    for i in range({VIEWERS}):
        create_user(f"viewer{{i}}", f"相談員{{i}}", "{PASSWORD}", role="succession", center_codes=["succession"])
    client = register_client(ClientData(name="同時書込株式会社", name_kana="ドウジカキコミ"))
    seller = register_client(ClientData(name="極秘譲渡株式会社", name_kana="ゴクヒジョウト"))
    center = db.session.scalar(select(Center).where(Center.code == "succession"))
    case = open_case(seller, CaseData(center_id=center.id, opened_on=dt.date(2024, 4, 1), title="事業承継"))
    db.session.commit()
    print(case.id)
    print(client.id)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One staff member's browser: a cookie jar, no automatic redirects."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def form(self, path):
        status, html = self.open(path)
        assert status == 200, (path, status)
        parser = FormFields()
        parser.feed(html)
        forms = [f for f in parser.forms if any(name == "csrf_token" for name, _ in f)]
        return dict(max(forms, key=len))  # the page's form, not the header's logout button


@pytest.fixture
def server(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    env = {**os.environ, "CASEWORK_INSTANCE_PATH": str(instance), "CASEWORK_SECRET_KEY": "concurrency-secret",
           "CASEWORK_DATABASE_URL": f"sqlite:///{instance / 'casework.db'}"}
    env.pop("CASEWORK_TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "casework.cli", "db", "upgrade"], env=env, check=True,
                   capture_output=True, timeout=300)
    setup = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True,
                           timeout=300)
    *_, case_id, client_id = (int(line) for line in setup.stdout.strip().splitlines()[-2:])
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-k", "sync", "--timeout", "120",
                             "-b", f"127.0.0.1:{port}", "casework:create_app()"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):  # wait until the workers answer (not a timed assertion)
        try:
            urllib.request.urlopen(base + "/auth/login", timeout=5)
            break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError((tmp_path / "gunicorn.log").read_text())
            time.sleep(0.2)
    yield {"base": base, "db": instance / "casework.db", "client_id": client_id, "succession_case_id": case_id,
           "log": tmp_path / "gunicorn.log"}
    proc.terminate()
    proc.wait(timeout=60)
    log.close()


def _visible(html: str, last: int) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())[-last:]


def _as_staff(base, login, errors, work):
    """One staff member's browser: log in, then `work(browser)`; a dropped connection is an error too."""
    browser = Browser(base)
    try:
        token = browser.form("/auth/login")["csrf_token"]
        status, _ = browser.open("/auth/login", {"login": login, "password": PASSWORD, "csrf_token": token})
        if status != 302:
            errors.append(f"{login}: login answered {status}")
            return
        work(browser)
    except Exception as exc:
        errors.append(f"{login}: {exc!r}")


def _all_at_once(jobs) -> float:
    """Run the jobs (functions) in threads at the same time; seconds until the last one ended."""
    threads = [threading.Thread(target=job) for job in jobs]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def _writer(base, login, client_id, results, errors):
    def work(browser):
        for n in range(PER_THREAD):
            form = browser.form(f"/consultations/new?client_id={client_id}")
            form.update(notes=f"{login} 相談 {n}", channel_code="window")
            status, html = browser.open(f"/consultations/new?client_id={client_id}", form)
            if status == 302:
                results.append(f"{login} 相談 {n}")
            else:
                errors.append(f"{login} #{n}: {status} {_visible(html, 600)}")
    return lambda: _as_staff(base, login, errors, work)


@pytest.mark.slow
def test_many_writers_lose_nothing(server):
    results, errors = [], []
    elapsed = _all_at_once(_writer(server["base"], f"writer{i}", server["client_id"], results, errors)
                           for i in range(THREADS))
    conn = sqlite3.connect(server["db"])
    stored = [row[0] for row in conn.execute("SELECT notes FROM consultations WHERE voided_at IS NULL")]
    audited = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'create' AND object_type = 'Consultation'").fetchone()[0]
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    log = Path(server["log"]).read_text()
    print(f"\nconcurrency: {THREADS} threads x {PER_THREAD} consultations via gunicorn ({WORKERS} sync workers) "
          f"on SQLite: {len(results)} saved, {len(stored)} in the database, {len(errors)} errors, "
          f"{elapsed:.1f} s")
    assert not errors, "\n".join(errors[:10])
    assert len(results) == THREADS * PER_THREAD
    assert sorted(stored) == sorted(results)  # every acknowledged write is there, nothing extra
    assert audited == len(results)  # and each one is on the audit log
    assert integrity == "ok"
    assert "Traceback" not in log


def _viewer(base, login, pages, shown, errors):
    """A succession staff member reading confidential pages over and over."""
    def work(browser):
        for n in range(PER_VIEWER):
            path = pages[n % len(pages)]
            status, html = browser.open(path)
            if status == 200:
                shown.append((login, path))
            else:
                errors.append(f"{login} {path}: {status} {_visible(html, 300)}")
    return lambda: _as_staff(base, login, errors, work)


@pytest.mark.slow
def test_confidential_views_beside_writes_fail_never_and_are_audited_once_each(server):
    import json
    from collections import Counter

    pages = ["/succession/", f"/cases/{server['succession_case_id']}", "/succession/deals/"]
    results, shown, errors = [], [], []
    _all_at_once([_writer(server["base"], f"writer{i}", server["client_id"], results, errors) for i in range(THREADS // 2)]
                 + [_viewer(server["base"], f"viewer{i}", pages, shown, errors) for i in range(VIEWERS)])
    conn = sqlite3.connect(server["db"])
    rows = conn.execute("SELECT a.login, a.detail FROM audit_log a WHERE a.action = 'view'").fetchall()
    stored = conn.execute("SELECT count(*) FROM consultations WHERE voided_at IS NULL").fetchone()[0]
    conn.close()
    audited = Counter((login, json.loads(detail)["path"]) for login, detail in rows)
    print(f"\nconfidential views: {len(shown)} pages shown beside {len(results)} consultations written, "
          f"{len(rows)} view rows, {len(errors)} errors")
    assert not errors, "\n".join(errors[:10])
    assert len(shown) == VIEWERS * PER_VIEWER and len(results) == (THREADS // 2) * PER_THREAD
    assert stored == len(results)
    assert audited == Counter(shown)  # exactly one 'view' row per page shown, by whom and which page
    assert "Traceback" not in Path(server["log"]).read_text()
