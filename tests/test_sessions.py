"""Idle and absolute session timeouts, session renewal at login, password policy, throttling."""
import time

import pytest
import time_machine

from casework.extensions import db
from casework.models import AuditEntry, User
from casework.services.errors import DomainError
from casework.services.users import check_password_policy

from .conftest import text_of
from .factories import PASSWORD


def test_idle_session_is_ended_server_side(app, client, logged_in):
    with time_machine.travel(time.time() + app.config["SESSION_IDLE_TIMEOUT"] + 5, tick=False):
        response = client.get("/clients/")
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
        assert "ログアウトしました" in text_of(client.get("/auth/login"))
        assert client.get("/clients/").status_code == 302


def test_activity_keeps_the_session_alive_until_the_absolute_limit(app, client, logged_in):
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    start = time.time()
    step = idle - 60
    t = start
    while t + step < start + lifetime:
        t += step
        with time_machine.travel(t, tick=False):
            assert client.get("/clients/").status_code == 200
    with time_machine.travel(start + lifetime + 60, tick=False):
        response = client.get("/clients/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_session_without_login_time_is_refused(app, client, logged_in):
    with client.session_transaction() as s:
        s.pop("_login_at")
    assert client.get("/clients/").status_code == 302


def test_login_renews_the_session(app, client, coordinator):
    with client.session_transaction() as s:
        s["planted"] = "by attacker"
    client.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD})
    with client.session_transaction() as s:
        assert "planted" not in s
        assert s["_user_id"].startswith(f"{coordinator.id}:")


def test_password_change_ends_other_sessions(app, client, auth, coordinator):
    other = app.test_client()
    other.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD})
    auth.login(coordinator)
    response = client.post("/auth/password", data={"current": PASSWORD, "password": "a-new-long-passphrase-42",
                                                    "confirm": "a-new-long-passphrase-42"})
    assert response.status_code == 302
    assert client.get("/clients/").status_code == 200
    assert other.get("/clients/").status_code == 302


def test_disabling_an_account_ends_its_sessions(app, client, auth, coordinator, make):
    from casework.services.users import update_user

    auth.login(coordinator)
    update_user(coordinator, expected_version=coordinator.version, name=coordinator.name, email=None,
                role="coordinator", center_codes=["onestop"], active=False)
    db.session.commit()
    assert client.get("/clients/").status_code == 302


@pytest.mark.parametrize("password", ["short-pass", "qwerty123456", "1qaz2wsx3edc", "password1234!",
                                      "dragondragondragon", "Sunshine2024!!", "aaaaaaaaaaaaaaaa"])
def test_weak_or_common_passwords_are_refused(password):
    with pytest.raises(DomainError):
        check_password_policy(password, "someone")


def test_the_common_password_list_is_the_shipped_top_10000():
    from casework.services.users import common_passwords

    listed = common_passwords()
    assert len(listed) >= 10000
    assert {"123456", "password", "qwerty", "sonyericsson"} <= listed


def test_a_long_uncommon_passphrase_is_accepted():
    check_password_policy("correct-horse-battery-staple", "someone")
    check_password_policy("青森の林檎は今年もとても甘い", "someone")


def _fail(client, user, times):
    for _ in range(times):
        client.post("/auth/login", data={"login": user.login, "password": "wrong-password-123"})


def test_account_locks_after_repeated_failures_even_from_another_worker(app, coordinator):
    """Failures are counted in the database, so a second client (another worker) sees the lock."""
    _fail(app.test_client(), coordinator, app.config["LOGIN_MAX_FAILURES"])
    other = app.test_client()
    response = other.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD})
    assert response.status_code == 200  # the right password is refused while locked
    assert db.session.get(User, coordinator.id).locked_until is not None
    reasons = [e.detail["reason"] for e in db.session.query(AuditEntry).filter_by(action="login_failed")]
    assert reasons[-1] == "locked"


def test_lock_expires(app, client, coordinator):
    _fail(client, coordinator, app.config["LOGIN_MAX_FAILURES"])
    with time_machine.travel(time.time() + app.config["LOGIN_LOCK_MINUTES"] * 60 + 5, tick=False):
        response = client.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD})
    assert response.status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(app, client, coordinator):
    _fail(client, coordinator, app.config["LOGIN_MAX_FAILURES"] - 1)
    response = client.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD})
    assert response.status_code == 302
    assert db.session.get(User, coordinator.id).failed_logins == 0


def test_many_failures_from_one_address_block_that_address_only(app, coordinator, make):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 6
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "10.0.0.66"
    for n in range(6):  # spread over accounts so no single account locks
        attacker.post("/auth/login", data={"login": f"guess{n}", "password": "wrong-password-123"})
    response = attacker.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD})
    assert response.status_code == 429
    assert "しばらくログインできません" in text_of(response)
    office = app.test_client()
    office.environ_base["REMOTE_ADDR"] = "10.0.0.10"
    assert office.post("/auth/login", data={"login": coordinator.login, "password": PASSWORD}).status_code == 302
