"""The consultation log checks its form before it takes SQLite's write lock
(unit_of_work.checks_before_writing): the checks read in a deferred transaction, the write
begins a fresh IMMEDIATE one. Another connection committing in between fails nothing, and a
record changed in between is still refused as stale (409)."""
import datetime as dt
import sqlite3
import time

import pytest

from casework.blueprints.consultations.forms import ConsultationForm
from casework.extensions import db
from casework.models import Consultation



@pytest.fixture
def sqlite_path(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("SQLite's write lock")
    return url.removeprefix("sqlite:///")


def _form(client_id, **extra):
    return {"client_id": client_id, "held_on": dt.date(2024, 5, 1).isoformat(), "channel_code": "window",
            "center_id": "", "theme_codes": "marketing", "notes": "相談", "save": "保存", **extra}


def _after_the_checks(monkeypatch, action):
    """Run `action` (another connection's work) when the form has been checked, before the save."""
    checked = ConsultationForm.validate

    def validate(self, *args, **kwargs):
        ok = checked(self, *args, **kwargs)
        action()
        return ok

    monkeypatch.setattr(ConsultationForm, "validate", validate)


def _other_connection(path):
    return sqlite3.connect(path, timeout=10, isolation_level=None)


def test_a_form_with_errors_never_waits_for_the_write_lock(app, client, logged_in, make, sqlite_path):
    client_id, center_id = make.client("待たない株式会社").id, make.center("onestop").id
    db.session.rollback()  # the test's own session (which the requests share) holds no lock
    holder = _other_connection(sqlite_path)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for as long as it likes
    try:
        started = time.monotonic()
        response = client.post(f"/consultations/new?client_id={client_id}",
                               data=_form(client_id, center_id=center_id, channel_code=""))
        assert response.status_code == 200 and "相談方法を選んでください" in response.get_data(as_text=True)
        assert time.monotonic() - started < app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000 / 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_another_commit_between_the_checks_and_the_save_fails_nothing(app, client, logged_in, make, monkeypatch,
                                                                       sqlite_path):
    client_id, center_id = make.client("割込株式会社").id, make.center("onestop").id
    db.session.rollback()

    def someone_else_writes():
        other = _other_connection(sqlite_path)
        other.execute("UPDATE clients SET address = '青森市' WHERE id = ?", (client_id,))
        other.close()

    _after_the_checks(monkeypatch, someone_else_writes)
    response = client.post(f"/consultations/new?client_id={client_id}", data=_form(client_id, center_id=center_id))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Consultation)
                             .where(Consultation.client_id == client_id)) == 1


def test_a_record_saved_by_someone_else_meanwhile_is_refused_as_stale(app, client, logged_in, make, monkeypatch,
                                                                       sqlite_path):
    consultation = make.consultation(make.client("先客株式会社"))
    db.session.commit()
    version, consultation_id = consultation.version, consultation.id
    client_id, center_id, case_id = consultation.client_id, consultation.center_id, consultation.case_id
    db.session.rollback()

    def someone_else_saves():
        other = _other_connection(sqlite_path)
        other.execute("UPDATE consultations SET notes = '先に保存', version = version + 1 WHERE id = ?",
                      (consultation_id,))
        other.close()

    _after_the_checks(monkeypatch, someone_else_saves)
    response = client.post(f"/consultations/{consultation_id}/edit", data=_form(
        client_id, center_id=center_id, case_id=case_id,
        notes="後から保存", version=version))
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Consultation, consultation_id).notes == "先に保存"
