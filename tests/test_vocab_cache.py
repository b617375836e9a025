"""The per-process vocabulary cache (casework/services/vocab_cache.py): pages show an admin's
edit at once, in this worker and in any other (the fingerprint is read from the database)."""
import re

import pytest
from flask import g

from casework import create_app
from casework.extensions import db
from casework.models import User
from casework.services import vocab_cache


def _as(test_client):
    """Tests share one app context: drop Flask-Login's cached user when switching browsers."""
    g.pop("_login_user", None)
    return test_client


@pytest.fixture
def admin(make):
    return make.user("root", role="admin", centers=[])


def _staff_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="assignee_id".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_renamed_colleague_shows_in_the_case_filter_at_once(app, client, auth, make, admin):
    colleague = make.user("colleague", name="旧姓花子", centers=["onestop"])
    me = make.user("me", centers=["onestop"])
    auth.login(me)
    assert "旧姓花子" in _staff_options(client.get("/cases/").get_data(as_text=True))
    other = app.test_client()
    _as(other).post("/auth/login", data={"login": "root", "password": "correct-horse-battery-staple"})
    response = _as(other).post(f"/admin/users/{colleague.id}/edit", data={
        "name": "新姓花子", "email": "", "role": "coordinator", "center_codes": ["onestop"], "active": "y",
        "version": colleague.version})
    assert response.status_code == 302
    options = _staff_options(_as(client).get("/cases/").get_data(as_text=True))
    assert "新姓花子" in options and "旧姓花子" not in options


def test_another_worker_sees_an_admins_edit(app, client, auth, make, admin):
    """Two apps on one database stand for two gunicorn workers: an edit made through one is
    shown by the other on its next page, though it had cached the vocabularies."""
    make.user("colleague", name="旧姓太郎", centers=["onestop"])
    me = make.user("me", centers=["onestop"])
    client_ = make.client("見本株式会社")
    db.session.commit()
    auth.login(me)
    page = client.get(f"/consultations/new?client_id={client_.id}").get_data(as_text=True)
    assert "旧姓太郎" in page and "海外展開の新テーマ" not in page
    second = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False})
    try:
        with second.app_context():
            browser = second.test_client()
            assert browser.post("/auth/login", data={"login": "root", "password": "correct-horse-battery-staple"}
                                ).status_code == 302
            assert browser.post("/admin/themes", data={"code": "overseas_new", "label": "海外展開の新テーマ"}
                                ).status_code == 302
            colleague = db.session.scalar(db.select(User).where(User.login == "colleague"))
            assert browser.post(f"/admin/users/{colleague.id}/edit", data={
                "name": "新姓太郎", "email": "", "role": "coordinator", "center_codes": ["onestop"], "active": "y",
                "version": colleague.version}).status_code == 302
            db.session.remove()
    finally:
        with second.app_context():
            db.engine.dispose()
    db.session.expire_all()
    page = _as(client).get(f"/consultations/new?client_id={client_.id}").get_data(as_text=True)
    assert "新姓太郎" in page and "旧姓太郎" not in page
    assert "海外展開の新テーマ" in page
    assert "新姓太郎" in _staff_options(_as(client).get("/cases/").get_data(as_text=True))


def test_the_fingerprint_is_read_once_per_request(app, client, logged_in, make):
    from sqlalchemy import event

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get("/cases/")
        first = len(statements)
        client.get("/cases/")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    fingerprints = [s for s in statements if "group_concat" in s or "string_agg" in s]
    assert len(fingerprints) == 2  # one per page, whatever the page asks of the cache
    second = statements[first:]  # the second page: the vocabularies come from the cache
    vocabulary = ("FROM themes", "FROM channels", "FROM outcomes", "FROM users ORDER", "FROM programs")
    assert not any(v in s for s in second for v in vocabulary if "group_concat" not in s and "string_agg" not in s)


def test_a_refused_change_is_not_kept_in_the_cache(app, make):
    """Read after an uncommitted change (then rolled back), the cache reads again next time."""
    from casework.models import Theme

    assert "試しのテーマ" not in {t.label for t in vocab_cache.themes()}
    db.session.add(Theme(code="trial", label="試しのテーマ", sort_order=999, active=True))
    db.session.flush()
    assert "試しのテーマ" in {t.label for t in vocab_cache.themes()}
    db.session.rollback()
    assert "試しのテーマ" not in {t.label for t in vocab_cache.themes()}
