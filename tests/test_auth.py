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
