"""Real-browser tests: the app served by werkzeug in a thread on a temporary SQLite instance
(built by the real migrations), driven by Playwright with Debian's Chromium (/usr/bin/chromium;
no browser is ever downloaded). Screenshots go to tests/artifacts/screenshots/ (git-ignored)."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CASEWORK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does it as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class LiveServer:
    def __init__(self, app, url):
        self.app, self.url = app, url

    def data(self):
        """An app context on the served database, for arranging data with the factories."""
        return self.app.app_context()


@pytest.fixture
def live_server(tmp_path, monkeypatch):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from casework import create_app
    from casework.extensions import db

    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}", "SECRET_KEY": "browser-test"})
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page, server, login_name, password):
    page.goto(server.url + "/auth/login")
    page.fill("input[name=login]", login_name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def phone_page(browser, width: int = 390, height: int = 800):
    """A page in a phone-sized window (a coordinator's phone on a visit), with its context; any
    other window size too (a desk: 1280, 800)."""
    context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@contextmanager
def signed_in(browser, server, login_name, password, width: int = 390, height: int = 800):
    """A window of this size (phone_page) logged in as `login_name`; closed when the block ends."""
    context, page = phone_page(browser, width, height)
    try:
        login(page, server, login_name, password)
        yield page
    finally:
        context.close()


def assert_pages_fit(page, server, paths, width: int = 390) -> None:
    """Each page opens without an error and nothing on it is wider than the window."""
    for path in paths:
        page.goto(server.url + path)
        assert "エラー" not in page.title(), path
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, (path, scroll)
