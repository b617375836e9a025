"""The bell, the notifications list, mark read, the email setting, and the monthly tally page."""
import datetime as dt

import pytest
import time_machine

from casework.extensions import db
from casework.models import Notification, TallySnapshot, User
from casework.services.reminders import build_digest

from . import factories
from .conftest import text_of
from .scheduling import JST, followup, install_fake_tally

TODAY = dt.date(2024, 5, 7)


def _digest_for(user, *due):
    case = factories.case(factories.client("株式会社青森りんご"), assignee_id=user.id)
    for i, day in enumerate(due):
        followup(case, user, day, reason=f"確認{i + 1}")
    build_digest(TODAY)
    db.session.commit()
    return case


def test_logged_out_redirects(client):
    for url in ("/notifications/", "/notifications/settings", "/tallies/"):
        assert client.get(url).headers["Location"].startswith("/auth/login")
    assert client.post("/notifications/read-all").headers["Location"].startswith("/auth/login")


def test_bell_counts_unread_and_list_links_to_records(client, logged_in):
    case = _digest_for(logged_in, TODAY, dt.date(2024, 4, 1))
    home = client.get("/")
    assert 'aria-label="通知 未読2件"' in home.get_data(as_text=True)
    page = text_of(client.get("/notifications/"))
    assert "フォローアップ: 株式会社青森りんご — 確認1" in page and "期限 2024-04-01（36日超過）" in page
    n = Notification.query.filter(Notification.user_id == logged_in.id, Notification.title.endswith("確認1")).one()
    opened = client.post(f"/notifications/{n.id}/open")
    assert opened.headers["Location"] == n.link
    assert n.link.startswith("/followups/") and client.get(n.link).status_code == 200
    assert 'aria-label="通知 未読1件"' in client.get("/").get_data(as_text=True)
    assert "確認1" not in text_of(client.get("/notifications/"))  # unread only by default
    assert "確認1" in text_of(client.get("/notifications/?status=all"))


def test_mark_read_and_mark_all_read(client, logged_in):
    _digest_for(logged_in, TODAY, TODAY, TODAY)
    first = Notification.query.filter_by(user_id=logged_in.id).first()
    client.post(f"/notifications/{first.id}/read")
    assert 'aria-label="通知 未読2件"' in client.get("/").get_data(as_text=True)
    response = client.post("/notifications/read-all", follow_redirects=True)
    assert "2件を既読にしました。" in text_of(response)
    assert "未読の通知はありません。" in text_of(response)
    assert 'aria-label="通知 未読0件"' in client.get("/").get_data(as_text=True)


def test_search_notifications(client, logged_in):
    _digest_for(logged_in, TODAY, TODAY)
    page = text_of(client.get("/notifications/?q=確認2"))
    assert "確認2" in page and "確認1" not in page


def test_someone_elses_notification_is_not_found(client, logged_in):
    other = factories.user("other", centers=["onestop"])
    _digest_for(other, TODAY)
    n = Notification.query.filter_by(user_id=other.id).first()
    assert client.post(f"/notifications/{n.id}/read").status_code == 404
    assert client.post(f"/notifications/{n.id}/open").status_code == 404
    assert db.session.get(Notification, n.id).read_at is None


def test_mark_read_needs_csrf(app, client, logged_in):
    _digest_for(logged_in, TODAY)
    n = Notification.query.filter_by(user_id=logged_in.id).first()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/notifications/{n.id}/read").status_code == 400
    assert db.session.get(Notification, n.id).read_at is None


def test_email_setting(client, auth):
    user = factories.user("mailer", centers=["onestop"], email="m@center.example.jp")
    auth.login(user)
    page = client.get("/notifications/settings")
    assert "m@center.example.jp" in text_of(page)
    version = db.session.get(User, user.id).version
    response = client.post("/notifications/settings", data={"version": version}, follow_redirects=True)
    assert "通知設定を保存しました。" in text_of(response)
    db.session.expire_all()
    assert db.session.get(User, user.id).email_notifications is False
    version = db.session.get(User, user.id).version
    client.post("/notifications/settings", data={"version": version, "email_notifications": "y"})
    db.session.expire_all()
    assert db.session.get(User, user.id).email_notifications is True


def test_email_setting_without_address_shows_error_beside_field(client, logged_in):
    logged_in.email_notifications = False
    db.session.commit()
    version = db.session.get(User, logged_in.id).version
    response = client.post("/notifications/settings", data={"version": version, "email_notifications": "y"})
    assert response.status_code == 200
    assert "メールアドレスが登録されていません" in text_of(response)
    assert 'class="field  has-error"' in response.get_data(as_text=True)


def test_email_setting_stale_version(client, auth):
    user = factories.user("mailer", centers=["onestop"], email="m@center.example.jp")
    auth.login(user)
    response = client.post("/notifications/settings", data={"version": 1})
    assert response.status_code == 409
    assert "他の職員がこの記録を先に更新しました" in text_of(response)


# ---------------------------------------------------------------------------------------------
# Monthly tallies page
# ---------------------------------------------------------------------------------------------

def test_tallies_page_is_for_managers(client, logged_in):
    assert client.get("/tallies/").status_code == 403
    assert client.post("/tallies/2024-04/recompute").status_code == 403


@pytest.fixture
def tally_manager(app, monkeypatch):
    """A manager of two centers, with the tally job made quick (scheduling.install_fake_tally)."""
    install_fake_tally(monkeypatch)
    return factories.user("manager", role="manager", centers=["onestop", "yorozu"])


@time_machine.travel(dt.datetime(2024, 6, 10, 10, 0, tzinfo=JST), tick=False)
def test_tallies_show_stored_months_changes_and_recompute(app, client, auth, tally_manager):
    from casework import jobs

    factories.consultation(held_on=dt.date(2024, 4, 10))
    jobs.run_tally(2024, 4)
    jobs.run_tally(2024, 5)
    factories.consultation(held_on=dt.date(2024, 5, 20))  # recorded after May was stored
    auth.login(tally_manager)
    page = client.get("/tallies/")
    text = text_of(page)
    assert "令和6年度" in text
    assert "2024年4月 保存済み 2024-06-10 10:00 自動 なし 再計算" in text
    assert "2024年5月 保存済み 2024-06-10 10:00 自動 変更あり 再計算" in text
    assert "2024年6月 月末前" in text
    detail = text_of(client.get("/tallies/2024-05"))
    assert "相談件数 0" in detail and "保存後に記録が変更されています" in detail

    response = client.post("/tallies/2024-05/recompute", follow_redirects=True)
    text = text_of(response)
    assert "2024年5月の集計を再計算して保存しました。" in text
    assert f"2024年5月 保存済み 2024-06-10 10:00 {tally_manager.name} なし" in text
    assert db.session.query(TallySnapshot).filter_by(month="2024-05").one().data["相談件数"] == 1
    # a month not over yet cannot be stored; an unknown month is not found
    assert "まだ終わっていない" in text_of(client.post("/tallies/2024-06/recompute", follow_redirects=True))
    assert "この月の集計はまだ保存されていません。" in text_of(client.get("/tallies/2024-07"))
    assert client.get("/tallies/2024-13").status_code == 404
    assert client.post("/tallies/junk/recompute").status_code == 404


@time_machine.travel(dt.datetime(2024, 6, 10, 10, 0, tzinfo=JST), tick=False)
def test_dashboard_says_which_months_are_stored_and_changed(app, client, auth, tally_manager):
    from casework import jobs

    jobs.run_tally(2024, 4)
    factories.consultation(held_on=dt.date(2024, 4, 22))  # changes April after it was stored
    auth.login(tally_manager)
    text = text_of(client.get("/reports/dashboard?fy=2024&center=onestop"))
    assert "月次集計 保存1/2か月・ 変更あり1" in text or "月次集計 保存1/2か月・変更あり1" in text
