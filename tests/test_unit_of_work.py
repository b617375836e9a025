"""The request's unit of work (casework/unit_of_work.py): one commit for a success, nothing for a
refusal or an error, and pages that only read never write."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from casework.extensions import db
from casework.models import AuditEntry, Case, Municipality
from casework.permissions import LOGGED_IN, requires
from casework.unit_of_work import refuse

from .conftest import text_of


def _municipality(code):
    return Municipality(code=code, name=f"テスト町{code}", prefecture="青森県", sort_order=999)


@pytest.fixture
def routes(app):
    """Test routes that change the session, registered before the first request."""
    @app.route("/uow/saved", methods=["POST"])
    @requires(LOGGED_IN)
    def uow_saved():
        db.session.add(_municipality("990001"))
        return "", 302, {"Location": "/"}

    @app.route("/uow/refused", methods=["POST"])
    @requires(LOGGED_IN)
    def uow_refused():
        db.session.add(_municipality("990002"))
        refuse()
        db.session.add(_municipality("990003"))  # whatever follows a refusal is not written either
        return "入力内容を確認してください"

    @app.route("/uow/failed", methods=["POST"])
    @requires(LOGGED_IN)
    def uow_failed():
        db.session.add(_municipality("990004"))
        return "", 422

    @app.route("/uow/raised", methods=["POST"])
    @requires(LOGGED_IN)
    def uow_raised():
        db.session.add(_municipality("990005"))
        raise RuntimeError("boom")

    @app.route("/uow/reads")
    @requires(LOGGED_IN)
    def uow_reads():
        db.session.add(_municipality("990006"))
        return "ok"

    @app.route("/uow/busy", methods=["POST"])
    @requires(LOGGED_IN)
    def uow_busy():
        from sqlalchemy import event

        def locked(*_args):
            raise OperationalError("COMMIT", {}, Exception("database is locked"))

        event.listen(db.session, "before_commit", locked, once=True)
        db.session.add(_municipality("990007"))
        return "", 302, {"Location": "/"}


def _stored(code) -> bool:
    db.session.expire_all()
    return db.session.scalar(select(Municipality).where(Municipality.code == code)) is not None


def test_a_success_commits_once_and_a_refusal_writes_nothing(app, routes, client, auth, coordinator):
    auth.login(coordinator)
    assert client.post("/uow/saved").status_code == 302 and _stored("990001")
    response = client.post("/uow/refused")
    assert response.status_code == 200 and not _stored("990002") and not _stored("990003")
    assert client.post("/uow/failed").status_code == 422 and not _stored("990004")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.post("/uow/raised").status_code == 500 and not _stored("990005")


def test_a_page_that_only_reads_never_writes(app, routes, client, auth, coordinator):
    auth.login(coordinator)
    with pytest.raises(AssertionError, match="GET /uow/reads changed the session"):
        client.get("/uow/reads")
    assert not _stored("990006")


def test_a_busy_database_answers_409_saying_nothing_was_saved(app, routes, client, auth, coordinator):
    auth.login(coordinator)
    response = client.post("/uow/busy", headers={"Referer": "/consultations/new"})
    page = text_of(response)
    assert response.status_code == 409 and not _stored("990007")
    assert "混み合っていたため保存できませんでした" in page and "何も書き込まれていません" in page
    assert 'href="/consultations/new"' in response.get_data(as_text=True)  # back to the form


def test_a_form_shown_again_with_its_errors_writes_nothing(client, logged_in, make):
    other = make.client("株式会社ほか")
    before = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    response = client.post(f"/cases/new?client_id={other.id}", data={
        "center_id": make.center("onestop").id, "assignee_id": logged_in.id, "opened_on": "2024-04-01",
        "theme_codes": ["no-such-theme"]})
    assert response.status_code == 200 and "選択肢にない値です" in text_of(response)
    assert db.session.scalar(select(db.func.count()).select_from(Case)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == before
