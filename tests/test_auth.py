from casework.extensions import db
from casework.models import AuditEntry

from .conftest import text_of
from .factories import PASSWORD


def test_pages_redirect_to_login_when_logged_out(client):
    response = client.get("/clients/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_login_shows_home_with_my_name(client, auth, coordinator):
    response = auth.login(coordinator)
    assert response.headers["Location"] == "/"
    page = text_of(client.get("/"))
    assert f"{coordinator.name}さんの今日" in page


def test_wrong_password_is_refused_beside_the_field(client, coordinator):
    response = client.post("/auth/login", data={"login": coordinator.login, "password": "wrong-password-123"})
    assert response.status_code == 200
    assert "ログイン名またはパスワードが違います" in text_of(response)
    assert db.session.query(AuditEntry).filter_by(action="login_failed").count() == 1


def test_logout_ends_the_session_everywhere(app, client, auth, coordinator):
    auth.login(coordinator)
    copied = client.get_cookie("session").value
    auth.logout()
    other = app.test_client()
    other.set_cookie("session", copied)
    assert other.get("/").status_code == 302


def test_next_parameter_cannot_leave_the_site(client, coordinator):
    response = client.post("/auth/login?next=https://evil.example/", data={"login": coordinator.login, "password": PASSWORD})
    assert response.headers["Location"] == "/"


# --- equal work on every login path (issue 13) -----------------------------------------------

def _count_hash_checks(monkeypatch):
    from casework.services import users

    calls = []
    real = users.check_password_hash

    def counting(pwhash, password):
        calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(users, "check_password_hash", counting)
    return calls


def test_every_login_path_checks_one_password_hash(client, make, monkeypatch):
    """Unknown, locked, disabled, wrong and right logins each do exactly one hash check, so their
    timing does not tell the accounts apart (it was 1, 0, 0, 1, 1)."""
    import datetime as dt

    from casework.models import utcnow

    locked = make.user("locked1", role="coordinator")
    locked.locked_until = utcnow() + dt.timedelta(minutes=10)
    disabled = make.user("disabled1", role="coordinator")
    disabled.active = False
    make.user("normal1", role="coordinator")
    db.session.commit()
    calls = _count_hash_checks(monkeypatch)
    for login, password, status in (("nobody-here", PASSWORD, 200), ("locked1", PASSWORD, 200),
                                    ("disabled1", PASSWORD, 200), ("normal1", "wrong-password-123", 200),
                                    ("normal1", PASSWORD, 302)):
        calls.clear()
        response = client.post("/auth/login", data={"login": login, "password": password})
        assert response.status_code == status, login
        assert len(calls) == 1, f"{login}: {len(calls)} hash checks"
        client.post("/auth/logout")


def test_throttled_and_unreadable_logins_check_one_password_hash_too(app, client, make, monkeypatch):
    """A throttled address (429) and a form that cannot be read (blank login) do the same hash
    work as any other attempt: throttled used to answer at once, so its timing told it apart."""
    make.user("normal2", role="coordinator")
    db.session.commit()
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_IP", 2)
    for _ in range(2):
        client.post("/auth/login", data={"login": "nobody-here", "password": "wrong-password-123"})
    calls = _count_hash_checks(monkeypatch)
    for data, status in (({"login": "normal2", "password": PASSWORD}, 429),
                         ({"login": "nobody-here", "password": PASSWORD}, 429),
                         ({"login": "", "password": PASSWORD}, 200), ({"login": "normal2"}, 200), ({}, 200)):
        calls.clear()
        response = client.post("/auth/login", data=data)
        assert response.status_code == status, data
        assert len(calls) == 1, f"{data}: {len(calls)} hash checks"
    assert "しばらくログインできません" in text_of(client.post("/auth/login", data={"login": "normal2",
                                                                              "password": PASSWORD}))


def test_full_width_and_upper_case_common_passwords_are_refused():
    import pytest as _pytest

    from casework.services.errors import DomainError
    from casework.services.users import check_password_policy

    for password in ("ｐａｓｓｗｏｒｄ１２３４", "ＰＡＳＳＷＯＲＤ１２３４", "PASSWORD1234", "ｑｗｅｒｔｙ１２３４５６"):
        with _pytest.raises(DomainError, match="よく使われる"):
            check_password_policy(password)
    with _pytest.raises(DomainError, match="ログイン名"):
        check_password_policy("ｔａｎａｋａ-Kx9#mQ2v", login="tanaka")
    check_password_policy("ｇｒａｐｅ-Ｋｘ９＃ｍＱ２ｖ-ｒｉｖｅｒ")  # a good one, full width, still passes


# --- behind a reverse proxy -----------------------------------------------------------------

def _app_behind(app, monkeypatch, hops: int | None):
    from casework import create_app

    if hops is None:
        monkeypatch.delenv("CASEWORK_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("CASEWORK_TRUSTED_PROXIES", str(hops))
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False, "LOGIN_MAX_FAILURES_PER_IP": 3})


def _failed_login_ips(after_id=0):
    db.session.expire_all()
    ips = [e.ip for e in db.session.query(AuditEntry).filter(AuditEntry.action == "login_failed", AuditEntry.id > after_id)
           .order_by(AuditEntry.id)]
    db.session.commit()  # end the read: the other app's requests write
    return ips


def _last_audit_id():
    db.session.expire_all()
    last = db.session.query(db.func.max(AuditEntry.id)).scalar() or 0
    db.session.commit()
    return last


def _login(test_client, login, password, forwarded_for):
    return test_client.post("/auth/login", data={"login": login, "password": password},
                            headers={"X-Forwarded-For": forwarded_for})


def test_x_forwarded_for_is_believed_only_from_configured_proxies(app, make, monkeypatch):
    make.user("office1", role="coordinator")
    db.session.commit()
    for hops, expected in ((None, "127.0.0.1"), (0, "127.0.0.1"), (1, "203.0.113.7")):
        since = _last_audit_id()
        other = _app_behind(app, monkeypatch, hops)
        with other.app_context():
            assert _login(other.test_client(), "office1", "wrong-password-123", "203.0.113.7").status_code == 200
        assert _failed_login_ips(since) == [expected], hops
    # two hops: the address the outer proxy saw, not one the client wrote into the header
    since = _last_audit_id()
    other = _app_behind(app, monkeypatch, 2)
    with other.app_context():
        _login(other.test_client(), "office1", "wrong-password-123", "198.51.100.1, 203.0.113.7")
    assert _failed_login_ips(since) == ["198.51.100.1"]


def test_behind_a_proxy_one_address_failing_does_not_lock_out_the_others(app, make, monkeypatch):
    make.user("office2", role="coordinator")
    db.session.commit()
    other = _app_behind(app, monkeypatch, 1)
    with other.app_context():
        c = other.test_client()
        for _ in range(3):
            _login(c, "nobody-here", "wrong-password-123", "203.0.113.66")
        assert _login(c, "office2", PASSWORD, "203.0.113.66").status_code == 429  # the guesser is throttled
        assert _login(c, "office2", PASSWORD, "198.51.100.20").status_code == 302  # a colleague is not
