import datetime as dt

from casework.dates import today_jst

from .conftest import text_of


def test_logged_out_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_home_has_quick_links_and_todays_records(client, logged_in, make):
    c = make.client("株式会社ねぶた製作所")
    make.consultation(c, held_on=today_jst(), staff_id=logged_in.id, notes="今日の相談")
    response = client.get("/")
    page = text_of(response)
    html = response.get_data(as_text=True)
    assert "＋ 相談を記録" in page and "今日の相談一覧" in page and "今日の自分の記録" in page
    assert "今日の相談記録（1件）" in page and "株式会社ねぶた製作所" in page
    today = today_jst().isoformat()
    assert f"/consultations/?held_from={today}&amp;held_to={today}" in html


def test_home_offers_logging_at_todays_outreach_day(client, auth, make):
    auth.login(make.user("yoro", centers=["yorozu"]))
    event = make.event(held_on=today_jst(), title="八戸出張相談会")
    make.event(held_on=today_jst() - dt.timedelta(days=3), title="先週の相談会")
    response = client.get("/")
    page = text_of(response)
    assert "＋ 八戸出張相談会で記録" in page and "先週の相談会" not in page
    assert f"event_id={event.id}" in response.get_data(as_text=True)


def test_a_due_next_action_without_its_text_shows_no_none(client, logged_in, make):
    c = make.client("株式会社南部せんべい本舗")
    make.consultation(c, held_on=today_jst() - dt.timedelta(days=7), staff_id=logged_in.id,
                      next_action_on=today_jst() - dt.timedelta(days=1))
    page = text_of(client.get("/"))
    assert "期限の来た次回対応（1件）" in page and "株式会社南部せんべい本舗" in page
    assert "None" not in page


def test_menu_marks_only_the_page_shown(client, logged_in, make):
    import re

    def current(url):
        html = client.get(url).get_data(as_text=True)
        nav = html[html.index('class="mainnav"'):html.index("</nav>")]
        return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', nav)

    consultation = make.consultation(make.client("株式会社メニュー確認"))
    assert current("/") == ["ホーム"]
    assert current("/consultations/new") == ["相談を記録"]
    assert current("/consultations/") == ["相談記録"]
    assert current(f"/consultations/{consultation.id}/edit") == ["相談記録"]
    assert current(f"/cases/{consultation.case_id}") == ["案件"]
    assert current(f"/clients/{consultation.client_id}") == ["相談先"]
