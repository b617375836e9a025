"""The audit log: append-only from the app, written with the action, covering logins."""
import pytest
from sqlalchemy import delete, select, update

from casework.extensions import db
from casework.models import AuditEntry
from casework.services import audit
from casework.services.audit import AuditLogIsAppendOnly

from .factories import PASSWORD


def _entry():
    entry = audit.record("export", None, detail={"what": "test"})
    db.session.commit()
    return entry


def test_audit_entries_cannot_be_changed_through_the_orm(app):
    entry = _entry()
    entry.action = "view"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action == "export"


def test_audit_entries_cannot_be_deleted_through_the_orm(app):
    entry = _entry()
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id) is not None


@pytest.mark.parametrize("statement", [update(AuditEntry).values(action="x"), delete(AuditEntry)])
def test_bulk_update_or_delete_of_the_audit_log_is_refused(app, statement):
    _entry()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(statement)
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.action)) == "export"


def test_login_and_failed_login_are_recorded_with_ip(client, coordinator):
    client.post("/auth/login", data={"login": coordinator.login, "password": "not-the-password"})
    client.post("/auth/login", data={"login": "nobody", "password": "whatever-password"})
    client.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD})
    rows = db.session.execute(select(AuditEntry.action, AuditEntry.login, AuditEntry.ip)
                              .where(AuditEntry.action.in_(["login", "login_failed"])).order_by(AuditEntry.id)).all()
    assert [(a, l) for a, l, _ in rows] == [("login_failed", coordinator.login), ("login_failed", "nobody"),
                                            ("login", coordinator.login)]
    assert all(ip == "127.0.0.1" for _, _, ip in rows)


def test_changes_record_before_and_after(client, logged_in, make):
    c = make.client(name="変更前株式会社")
    response = client.post(f"/clients/{c.id}/edit", data={"name": "変更後株式会社", "kind": "corporation",
                                                           "version": c.version})
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "change", AuditEntry.object_id == c.id))
    assert entry.detail["name"] == ["変更前株式会社", "変更後株式会社"]
    assert entry.user_id == logged_in.id


def test_role_refusal_is_audited_as_denied(client, logged_in, make):
    c = make.client()
    assert client.get(f"/clients/{c.id}/void").status_code == 403
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied"))
    assert entry.user_id == logged_in.id and entry.detail["status"] == 403


def test_unknown_urls_are_not_audited_as_denied(client, logged_in):
    assert client.get("/no-such-page").status_code == 404
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied")) is None
