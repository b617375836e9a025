import pytest

from casework.extensions import db
from casework.models import Center, Municipality, Theme, User

from .conftest import text_of

ROUTES = [
    ("get", "/admin/"), ("get", "/admin/users"), ("get", "/admin/users/new"), ("post", "/admin/users/new"),
    ("get", "/admin/users/1/edit"), ("post", "/admin/users/1/edit"), ("get", "/admin/users/1/password"),
    ("post", "/admin/users/1/password"), ("get", "/admin/centers"), ("get", "/admin/centers/new"),
    ("post", "/admin/centers/new"), ("get", "/admin/centers/1/edit"), ("post", "/admin/centers/1/edit"),
    ("get", "/admin/themes"), ("post", "/admin/themes"), ("get", "/admin/municipalities"),
    ("post", "/admin/municipalities"),
]
NEW_PASSWORD = "a-brand-new-passphrase"


@pytest.fixture
def admin(auth, make):
    user = make.user("root", role="admin", centers=[])
    auth.login(user)
    return user


@pytest.mark.parametrize("method,path", ROUTES)
def test_logged_out_is_sent_to_login(client, make, method, path):
    make.user("someone")
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("method,path", ROUTES)
def test_non_admins_get_404(client, logged_in, method, path):
    assert getattr(client, method)(path).status_code == 404


def test_admin_home_lists_centers(client, admin):
    page = text_of(client.get("/admin/"))
    assert "職員" in page and "事業承継・引継ぎ支援センター" in page and "秘匿" in page


def test_create_user_who_can_then_log_in(client, admin, auth):
    assert "職員の登録" in text_of(client.get("/admin/users/new"))
    response = client.post("/admin/users/new", data={"login": "newbie", "name": "新人 太郎", "role": "coordinator",
                                                     "center_codes": ["yorozu"], "password": NEW_PASSWORD},
                           follow_redirects=True)
    page = text_of(response)
    assert "職員「新人 太郎」（newbie）を登録しました" in page and "よろず支援拠点" in page
    auth.logout()
    auth.login(db.session.scalar(db.select(User).where(User.login == "newbie")), NEW_PASSWORD)


def test_create_user_invalid_input_beside_fields(client, admin):
    response = client.post("/admin/users/new", data={"login": "root", "name": "", "role": "coordinator",
                                                     "password": "short"})
    page = text_of(response)
    assert "氏名を入力してください" in page
    response = client.post("/admin/users/new", data={"login": "root", "name": "重複", "role": "coordinator",
                                                     "password": NEW_PASSWORD})
    assert 'id="login-err"' in response.get_data(as_text=True) and "既に使われています" in text_of(response)
    response = client.post("/admin/users/new", data={"login": "x1", "name": "短い", "role": "coordinator",
                                                     "password": "short"})
    assert 'id="password-err"' in response.get_data(as_text=True) and "12文字以上" in text_of(response)


def _as(test_client):
    """The tests share one app context, so Flask-Login's per-request user cache (g._login_user)
    must be dropped when switching between two browsers."""
    from flask import g

    g.pop("_login_user", None)
    return test_client


def test_disabling_a_user_ends_their_session(app, client, admin, make, auth):
    victim = make.user("leaver", centers=["onestop"])
    other = app.test_client()
    response = _as(other).post("/auth/login", data={"login": "leaver", "password": "correct-horse-battery-staple"})
    assert response.status_code == 302
    assert "職員leaver" in text_of(_as(other).get("/"))
    assert "職員の編集" in text_of(_as(client).get(f"/admin/users/{victim.id}/edit"))
    response = _as(client).post(f"/admin/users/{victim.id}/edit", data={
        "name": "退職者", "email": "", "role": "coordinator", "center_codes": ["onestop"], "version": victim.version})
    assert response.status_code == 302
    assert _as(other).get("/cases/").status_code == 302  # back to the login page
    db.session.expire_all()
    assert db.session.get(User, victim.id).active is False


def test_edit_user_invalid_and_stale(client, admin, make):
    u = make.user("staff1")
    response = client.post(f"/admin/users/{u.id}/edit", data={"name": "", "role": "coordinator", "version": u.version,
                                                               "active": "y"})
    assert response.status_code == 200 and "氏名を入力してください" in text_of(response)
    old = u.version
    client.post(f"/admin/users/{u.id}/edit", data={"name": "先の名前", "role": "coordinator", "version": old, "active": "y"})
    response = client.post(f"/admin/users/{u.id}/edit", data={"name": "後の名前", "role": "manager", "version": old,
                                                               "active": "y"})
    assert response.status_code == 409 and "先の名前" in text_of(response)


def test_reset_password(client, admin, make, auth):
    u = make.user("forgetful")
    assert "パスワードの再設定" in text_of(client.get(f"/admin/users/{u.id}/password"))
    response = client.post(f"/admin/users/{u.id}/password", data={"password": NEW_PASSWORD, "confirm": "different-one-here"})
    assert "パスワードが一致しません" in text_of(response)
    response = client.post(f"/admin/users/{u.id}/password", data={"password": "password1234", "confirm": "password1234"})
    assert "よく使われる" in text_of(response)
    response = client.post(f"/admin/users/{u.id}/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                           follow_redirects=True)
    assert "パスワードを再設定しました" in text_of(response)
    auth.logout()
    auth.login(u, NEW_PASSWORD)


def test_users_list_search(client, admin, make):
    make.user("alice", name="青森 アリス")
    make.user("bob", name="八戸 ボブ")
    page = text_of(client.get("/admin/users", query_string={"q": "アリス"}))
    assert "alice" in page and "bob" not in page


def test_add_and_edit_center(client, admin):
    assert "センターの追加" in text_of(client.get("/admin/centers/new"))
    response = client.post("/admin/centers/new", data={"code": "dx", "name": "DX推進", "report_title": "DX推進事業",
                                                       "sort_order": "50", "active": "y"}, follow_redirects=True)
    assert "センター「DX推進」を追加しました" in text_of(response)
    center = db.session.scalar(db.select(Center).where(Center.code == "dx"))
    response = client.post(f"/admin/centers/{center.id}/edit", data={
        "code": "dx", "name": "DX推進センター", "sort_order": "50", "confidential": "y", "active": "y",
        "version": center.version}, follow_redirects=True)
    page = text_of(response)
    assert "DX推進センター" in page and "秘匿" in page
    # the new center is offered when opening a case (admins see every center)
    assert "DX推進センター" in text_of(client.get("/events/new"))


def test_center_invalid_input(client, admin):
    response = client.post("/admin/centers/new", data={"code": "Bad Code", "name": "x", "sort_order": "1"})
    assert 'id="code-err"' in response.get_data(as_text=True) and "半角英小文字" in text_of(response)
    response = client.post("/admin/centers/new", data={"code": "onestop", "name": "重複", "sort_order": "1"})
    assert "既に使われています" in text_of(response)
    center = db.session.scalar(db.select(Center).where(Center.code == "onestop"))
    response = client.post(f"/admin/centers/{center.id}/edit", data={"code": "onestop", "name": "", "sort_order": "x",
                                                                     "version": center.version})
    page = text_of(response)
    assert "名称を入力してください" in page


def test_add_theme_and_it_appears_on_the_log_form(client, admin, make):
    page = text_of(client.get("/admin/themes"))
    assert "資金繰り" in page
    response = client.post("/admin/themes", data={"code": "export", "label": "海外展開"}, follow_redirects=True)
    assert "テーマ「海外展開」を追加しました" in text_of(response)
    c = make.client()
    assert "海外展開" in text_of(client.get(f"/consultations/new?client_id={c.id}"))


def test_add_theme_invalid(client, admin):
    response = client.post("/admin/themes", data={"code": "cash_flow", "label": "別名"})
    assert "既にあります" in text_of(response)
    response = client.post("/admin/themes", data={"code": "", "label": ""})
    assert "コードを入力してください" in text_of(response) and "名称を入力してください" in text_of(response)
    assert db.session.get(Theme, "") is None


def test_add_municipality(client, admin):
    assert "青森市" in text_of(client.get("/admin/municipalities", query_string={"q": "青森"}))
    response = client.post("/admin/municipalities", data={"code": "031011", "name": "盛岡市", "prefecture": "岩手県"},
                           follow_redirects=True)
    assert "市町村「盛岡市」を追加しました" in text_of(response)
    assert db.session.get(Municipality, "031011").prefecture == "岩手県"


def test_add_municipality_with_wrong_check_digit(client, admin):
    response = client.post("/admin/municipalities", data={"code": "031012", "name": "盛岡市", "prefecture": "岩手県"})
    assert 'id="code-err"' in response.get_data(as_text=True) and "検査数字が正しくありません" in text_of(response)
    assert db.session.get(Municipality, "031012") is None
