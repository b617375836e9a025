import datetime as dt

import pytest

from casework.extensions import db
from casework.models import Event

from .conftest import text_of


def _form(make, **kw):
    data = {"kind_code": "outreach_day", "held_on": "2024-06-01", "center_id": str(make.center("yorozu").id),
            "title": "八戸出張相談会", "place": "八戸商工会議所", "municipality_code": "022039", "participants": "",
            "notes": ""}
    data.update(kw)
    return data


@pytest.fixture
def yorozu(auth, make):
    user = make.user("yoro", centers=["yorozu"])
    auth.login(user)
    return user


@pytest.mark.parametrize("method,path", [
    ("get", "/events/"), ("get", "/events/new"), ("post", "/events/new"), ("get", "/events/1"),
    ("get", "/events/1/edit"), ("post", "/events/1/edit"), ("get", "/events/1/void"), ("post", "/events/1/void"),
])
def test_logged_out_is_sent_to_login(client, make, method, path):
    make.event()
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_create_outreach_day_and_see_it(client, yorozu, make):
    assert "催しの登録" in text_of(client.get("/events/new"))
    response = client.post("/events/new", data=_form(make))
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "八戸出張相談会" in page and "八戸商工会議所" in page and "八戸市" in page and "2024-06-01" in page
    assert "この相談会の相談を記録" in page


def test_create_invalid_input_beside_fields(client, yorozu, make):
    response = client.post("/events/new", data=_form(make, held_on="", participants="-3"))
    assert response.status_code == 200
    page = text_of(response)
    assert "開催日を入力してください" in page and "0以上の整数を入力してください" in page
    assert db.session.query(Event).count() == 0


def test_list_filter_and_pagination(client, yorozu, make, app):
    make.event(title="八戸出張相談会", held_on=dt.date(2024, 6, 1))
    make.event(kind="seminar", title="事業承継セミナー", held_on=dt.date(2024, 7, 1), participants=30)
    page = text_of(client.get("/events/", query_string={"kind_code": "seminar"}))
    assert "事業承継セミナー" in page and "八戸出張相談会" not in page
    page = text_of(client.get("/events/", query_string={"q": "八戸"}))
    assert "八戸出張相談会" in page and "事業承継セミナー" not in page
    page = text_of(client.get("/events/", query_string={"held_to": "R6.6.30"}))
    assert "八戸出張相談会" in page and "事業承継セミナー" not in page
    assert "日付として読めません" in text_of(client.get("/events/", query_string={"held_from": "xx"}))
    app.config["PER_PAGE"] = 1
    page = text_of(client.get("/events/"))
    assert "全2件" in page and "次へ" in page


def test_detail_lists_consultations_held_at_the_event(client, yorozu, make):
    event = make.event(title="弘前出張相談会")
    make.consultation(make.client("弘前美容室"), center_code="yorozu", channel="outreach",
                      held_on=event.held_on, event_id=event.id)
    make.consultation(make.client("関係ない会社"), center_code="yorozu")
    page = text_of(client.get(f"/events/{event.id}"))
    assert "弘前美容室" in page and "関係ない会社" not in page and "この催しでの相談（1件）" in page


def test_edit_and_stale_edit(client, yorozu, make):
    event = make.event(title="元の名称")
    old = event.version
    response = client.post(f"/events/{event.id}/edit", data=_form(make, title="新しい名称", version=old))
    assert response.status_code == 302
    assert "新しい名称" in text_of(client.get(f"/events/{event.id}"))
    response = client.post(f"/events/{event.id}/edit", data=_form(make, title="古い画面から", version=old))
    assert response.status_code == 409
    page = text_of(response)
    assert "他の職員がこの記録を先に更新しました" in page and "名称" in page and "新しい名称" in page


def test_edit_invalid_input(client, yorozu, make):
    event = make.event()
    response = client.post(f"/events/{event.id}/edit", data=_form(make, kind_code="party", version=event.version))
    assert response.status_code == 200 and "選択肢が正しくありません" in text_of(response)


def test_void_removes_from_list(client, auth, make):
    auth.login(make.user("boss", role="manager", centers=["yorozu"]))
    event = make.event(title="中止になった相談会")
    assert "中止になった相談会" in text_of(client.get("/events/"))
    assert "取消の理由を入力してください" in text_of(client.post(f"/events/{event.id}/void", data={"reason": ""}))
    response = client.post(f"/events/{event.id}/void", data={"reason": "台風で中止"}, follow_redirects=True)
    assert "を取り消しました" in text_of(response)
    assert "中止になった相談会" not in text_of(client.get("/events/"))
    assert client.get(f"/events/{event.id}").status_code == 404


def test_coordinator_cannot_void_an_event_they_did_not_create(client, yorozu, make):
    event = make.event()
    assert client.get(f"/events/{event.id}/void").status_code == 403


def test_other_centers_events_are_404(client, logged_in, make):
    event = make.event(center_code="succession", kind="seminar", title="承継セミナー")
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}/edit").status_code == 404
    assert "承継セミナー" not in text_of(client.get("/events/"))


def test_outreach_day_is_offered_on_the_consultation_form(client, yorozu, make):
    from casework.dates import today_jst

    event = make.event(title="むつ出張相談会", held_on=today_jst())
    c = make.client()
    html = client.get(f"/consultations/new?client_id={c.id}&center_id={make.center('yorozu').id}").get_data(as_text=True)
    assert "むつ出張相談会" in html and f'value="{event.id}"' in html
