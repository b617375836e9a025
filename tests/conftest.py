"""Fixtures: a fresh database per test, a browser-less client, and staff factories.

The database is SQLite in a temporary folder, or PostgreSQL when CASEWORK_TEST_DATABASE_URL is
set (each test then gets its own fresh copy of a template database, see tests/pg.py).
"""
import re

import pytest

from casework import create_app
from casework.dates import today_jst
from casework.extensions import db
from casework.seed.loader import seed_vocabulary
from casework.unit_of_work import committing

from . import factories


def fresh_app(tmp_path, monkeypatch, *, csrf: bool, prepare=None):
    """An app on a fresh database (SQLite in tmp_path, or a PostgreSQL copy), inside its app
    context; `prepare(app)` runs before the database is made."""
    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path / "instance"))
    from .pg import database_url

    with database_url(tmp_path) as (url, prepared):
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                          "WTF_CSRF_ENABLED": csrf})
        if prepare is not None:
            prepare(app)
        with app.app_context():
            if not prepared:  # PostgreSQL copies a template that already has both
                db.create_all()
                with committing():
                    seed_vocabulary()
            yield app
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield from fresh_app(tmp_path, monkeypatch, csrf=False)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make():
    return factories


@pytest.fixture
def world(app):
    """tests/world.py: a staff member per role and a record of every kind in three centers."""
    from . import world as W

    return W.build()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user, password=factories.PASSWORD):
        response = self.client.post("/auth/login", data={"login": user.login, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def coordinator(app):
    return factories.user("coord", role="coordinator", centers=["onestop"])


@pytest.fixture
def logged_in(auth, coordinator):
    """A coordinator of the one-stop desk, logged in."""
    auth.login(coordinator)
    return coordinator


def text_of(response) -> str:
    """The page's visible text, tags stripped, for assertions on what a user reads."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def void_through_the_page(client, void_url, reason, *, listed_on, name) -> str:
    """Void a record as a user does: its page asks for a reason, a blank one is refused, then
    `reason` voids it; `name` is on the list page `listed_on` before and gone after. Returns the
    text of the page the void leads to."""
    assert name in text_of(client.get(listed_on))
    assert "取消の理由" in text_of(client.get(void_url))
    assert "取消の理由を入力してください" in text_of(client.post(void_url, data={"reason": ""}))
    done = text_of(client.post(void_url, data={"reason": reason}, follow_redirects=True))
    assert name not in text_of(client.get(listed_on))
    return done


def assert_form_defaults_to_me(html, user, center) -> None:
    """A fresh record form offers today's date, the user as the staff member and their center."""
    assert f'value="{today_jst().isoformat()}"' in html
    assert f'<option selected value="{user.id}">' in html
    assert f'<option selected value="{center.id}">' in html
