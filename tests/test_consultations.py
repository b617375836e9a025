import datetime as dt

import pytest

from casework.dates import today_jst
from casework.extensions import db
from casework.models import Case, Consultation

from .conftest import assert_form_defaults_to_me, text_of, void_through_the_page


def _form(make, client_id, **kw):
    data = {"client_id": str(client_id), "held_on": today_jst().isoformat(), "channel_code": "window",
            "center_id": str(make.center("onestop").id), "staff_id": "", "case_id": "", "event_id": "",
            "theme_codes": ["cash_flow"], "notes": "資金繰り表の作成を提案", "next_action": "", "next_action_on": ""}
    data.update(kw)
    return data


@pytest.mark.parametrize("method,path", [
    ("get", "/consultations/"), ("get", "/consultations/new"), ("post", "/consultations/new"),
    ("get", "/consultations/clients.json?q=a"), ("get", "/consultations/1/edit"), ("post", "/consultations/1/edit"),
    ("get", "/consultations/1/void"), ("post", "/consultations/1/void"),
])
def test_logged_out_is_sent_to_login(client, make, method, path):
    make.consultation()
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_new_without_client_shows_the_search_autofocused(client, logged_in):
    response = client.get("/consultations/new")
    html = response.get_data(as_text=True)
    assert "相談先を選ぶ" in text_of(response)
    assert 'name="q"' in html and "autofocus" in html and "data-autocomplete" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_search_by_kana_without_js_then_pick(client, logged_in, make):
    c = make.client("株式会社ねぶた製作所", name_kana="ネブタセイサクショ")
    make.client("八戸水産", name_kana="ハチノヘスイサン")
    response = client.get("/consultations/new", query_string={"q": "ねぶた", "channel_code": "visit"})
    page = text_of(response)
    assert "株式会社ねぶた製作所" in page and "八戸水産" not in page
    assert f"/consultations/new?client_id={c.id}&amp;channel_code=visit" in response.get_data(as_text=True)


def test_search_with_no_hit_offers_registration(client, logged_in):
    page = text_of(client.get("/consultations/new", query_string={"q": "存在しない会社"}))
    assert "該当する相談先はありません" in page and "新しい相談先を登録する" in page


def test_autocomplete_returns_json(client, logged_in, make):
    c = make.client("株式会社ねぶた製作所", name_kana="ネブタセイサクショ")
    rows = client.get("/consultations/clients.json", query_string={"q": "ﾈﾌﾞﾀ", "held_on": "2024-05-01"}).get_json()
    assert rows == [{"id": c.id, "name": "株式会社ねぶた製作所", "kana": "ネブタセイサクショ",
                     "url": f"/consultations/new?client_id={c.id}&held_on=2024-05-01"}]
    assert client.get("/consultations/clients.json?q=").get_json() == []


def test_form_defaults_today_me_my_center_and_window(client, logged_in, make):
    c = make.client("株式会社ねぶた製作所")
    html = client.get(f"/consultations/new?client_id={c.id}").get_data(as_text=True)
    assert "株式会社ねぶた製作所" in html
    assert_form_defaults_to_me(html, logged_in, make.center("onestop"))
    assert '<input autofocus checked id="channel_code-0" name="channel_code" required type="radio" value="window">' in html
    for label in ("窓口", "巡回", "出張相談会", "オンライン", "電話", "メール", "保存して次を記録"):
        assert label in html


def test_log_consultation_opens_a_case_and_shows_it(client, logged_in, make):
    c = make.client("株式会社ねぶた製作所")
    response = client.post("/consultations/new", data=_form(make, c.id, staff_id=str(logged_in.id)))
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "株式会社ねぶた製作所" in page and "の相談を記録しました" in page
    assert "資金繰り表の作成を提案" in page and "窓口" in page
    assert db.session.query(Case).count() == 1


def test_log_into_a_chosen_case(client, logged_in, make):
    c = make.client()
    k1 = make.case(c, opened_on=dt.date(2024, 4, 1))
    client.post("/consultations/new", data=_form(make, c.id, case_id=str(k1.id), held_on="2024-05-01"))
    assert db.session.query(Consultation).one().case_id == k1.id


def test_case_at_another_center_is_refused_beside_the_field(client, auth, make):
    user = make.user("two", centers=["onestop", "yorozu"])
    auth.login(user)
    c = make.client()
    k = make.case(c, center_code="yorozu")
    response = client.post("/consultations/new", data=_form(make, c.id, case_id=str(k.id)))
    assert response.status_code == 200
    assert 'id="case_id-err"' in response.get_data(as_text=True)
    assert "この案件はよろず支援拠点の案件です" in text_of(response)


def test_log_another_keeps_date_channel_staff_center_event(client, auth, make):
    user = make.user("yoro", centers=["yorozu"])
    auth.login(user)
    day = today_jst()
    event = make.event(held_on=day, title="八戸出張相談会")
    c = make.client("八戸水産")
    data = _form(make, c.id, channel_code="outreach", center_id=str(make.center("yorozu").id),
                 staff_id=str(user.id), event_id=str(event.id), save_next="保存して次を記録")
    response = client.post("/consultations/new", data=data)
    assert response.status_code == 302
    location = response.headers["Location"]
    for part in (f"held_on={day.isoformat()}", "channel_code=outreach", f"staff_id={user.id}", f"event_id={event.id}"):
        assert part in location
    assert "client_id" not in location
    page = text_of(client.get(location))
    assert "八戸水産（" in page and "の相談を記録しました" in page and "相談先を選ぶ" in page
    other = make.client("十和田観光")
    html = client.get(location + f"&client_id={other.id}").get_data(as_text=True)
    assert f'<option selected value="{event.id}">' in html
    assert 'checked id="channel_code-2" name="channel_code" required type="radio" value="outreach"' in html


def test_invalid_input_is_shown_beside_fields(client, logged_in, make):
    c = make.client()
    future = (today_jst() + dt.timedelta(days=10)).isoformat()
    response = client.post("/consultations/new", data=_form(make, c.id, held_on=future))
    assert "相談日が未来の日付です" in text_of(response)
    response = client.post("/consultations/new", data=_form(make, c.id, held_on="2024-05-10", next_action_on="2024-05-01"))
    assert 'id="next_action_on-err"' in response.get_data(as_text=True)
    assert "次回対応日が相談日より前です" in text_of(response)
    response = client.post("/consultations/new", data=_form(make, c.id, held_on="R6.2.30"))
    assert "存在しない日付です" in text_of(response)
    response = client.post("/consultations/new", data=_form(make, c.id, channel_code=""))
    assert "相談方法を選んでください" in text_of(response) or "選択肢が正しくありません" in text_of(response)
    assert db.session.query(Consultation).count() == 0


def test_list_filters_and_kana_search(client, logged_in, make):
    a = make.client("株式会社ねぶた製作所", name_kana="ネブタセイサクショ")
    b = make.client("八戸水産", name_kana="ハチノヘスイサン")
    make.consultation(a, held_on=dt.date(2024, 5, 1), channel="visit", staff_id=logged_in.id)
    make.consultation(b, held_on=dt.date(2024, 6, 1), channel="phone")
    page = text_of(client.get("/consultations/", query_string={"q": "ねぶた"}))
    assert "株式会社ねぶた製作所" in page and "八戸水産" not in page
    page = text_of(client.get("/consultations/", query_string={"channel_code": "phone"}))
    assert "八戸水産" in page and "株式会社ねぶた製作所" not in page
    page = text_of(client.get("/consultations/", query_string={"staff_id": logged_in.id}))
    assert "株式会社ねぶた製作所" in page and "八戸水産" not in page
    page = text_of(client.get("/consultations/", query_string={"held_from": "2024-05-15", "held_to": "2024-06-30"}))
    assert "八戸水産" in page and "株式会社ねぶた製作所" not in page


def test_list_invalid_filter_is_shown_beside_it(client, logged_in, make):
    make.consultation(make.client("八戸水産"))
    page = text_of(client.get("/consultations/", query_string={"held_to": "昨日"}))
    assert "日付として読めません" in page and "八戸水産" in page


def test_list_is_paginated(client, logged_in, make, app):
    app.config["PER_PAGE"] = 3
    c = make.client()
    for day in range(1, 8):
        make.consultation(c, held_on=dt.date(2024, 5, day))
    page = text_of(client.get("/consultations/"))
    assert "全7件" in page and "2024-05-07" in page and "2024-05-01" not in page
    for _ in range(2):  # 次へ → twice: keyset pages (?after=)
        response = client.get(_next_link(response if _ else client.get("/consultations/")))
    assert "2024-05-01" in text_of(response) and "2024-05-07" not in text_of(response)


def _next_link(response):
    import html
    import re

    return html.unescape(re.search(r'href="([^"]+)" rel="next"', response.get_data(as_text=True)).group(1))


def test_edit_consultation(client, logged_in, make):
    k = make.consultation(notes="最初のメモ")
    assert "最初のメモ" in client.get(f"/consultations/{k.id}/edit").get_data(as_text=True)
    response = client.post(f"/consultations/{k.id}/edit", data=_form(
        make, k.client_id, held_on="2024-05-01", notes="書き直したメモ", case_id=str(k.case_id), version=k.version))
    assert response.status_code == 302
    assert "書き直したメモ" in text_of(client.get(response.headers["Location"]))


def test_edit_invalid_input(client, logged_in, make):
    k = make.consultation()
    response = client.post(f"/consultations/{k.id}/edit", data=_form(make, k.client_id, held_on="", version=k.version))
    assert response.status_code == 200 and "相談日を入力してください" in text_of(response)


def test_stale_edit_answers_409_with_changes(client, logged_in, make):
    k = make.consultation(notes="元のメモ")
    old = k.version
    client.post(f"/consultations/{k.id}/edit", data=_form(make, k.client_id, held_on="2024-05-01", notes="先の保存", version=old))
    response = client.post(f"/consultations/{k.id}/edit", data=_form(make, k.client_id, held_on="2024-05-01",
                                                                        notes="後の保存", version=old))
    assert response.status_code == 409
    page = text_of(response)
    assert "他の職員がこの記録を先に更新しました" in page and "相談内容" in page and "先の保存" in page
    db.session.expire_all()
    assert db.session.get(Consultation, k.id).notes == "先の保存"


def test_void_needs_a_reason_and_removes_from_list(client, auth, make):
    manager = make.user("boss", role="manager", centers=["onestop"])
    auth.login(manager)
    k = make.consultation(make.client("取消される会社"))
    done = void_through_the_page(client, f"/consultations/{k.id}/void", "入力ミス", listed_on="/consultations/",
                                 name="取消される会社")
    assert "相談記録を取り消しました" in done
    assert client.get(f"/consultations/{k.id}/edit").status_code == 404


def test_staff_may_void_what_they_recorded_but_not_others(client, logged_in, make):
    mine = make.client("自分の記録の会社")
    client.post("/consultations/new", data=_form(make, mine.id))
    own = db.session.query(Consultation).one()
    assert client.get(f"/consultations/{own.id}/void").status_code == 200
    other = make.consultation()
    assert client.get(f"/consultations/{other.id}/void").status_code == 403


def test_onestop_coordinator_gets_404_for_succession_consultation(client, logged_in, make):
    k = make.consultation(make.client("承継の会社"), center_code="succession")
    assert client.get(f"/consultations/{k.id}/edit").status_code == 404
    assert client.get(f"/consultations/{k.id}/void").status_code == 404
    assert "承継の会社" not in text_of(client.get("/consultations/"))
    assert client.get(f"/consultations/new?client_id={k.client_id}").status_code == 404


def test_pick_screen_names_what_is_kept_but_not_hidden_events(client, auth, make):
    user = make.user("yoro", centers=["yorozu"])
    auth.login(user)
    event = make.event(held_on=today_jst(), title="八戸出張相談会")
    secret = make.event(center_code="succession", kind="seminar", title="非公開の承継セミナー")
    page = text_of(client.get("/consultations/new", query_string={
        "held_on": "2024-06-01", "channel_code": "outreach", "event_id": event.id, "staff_id": user.id}))
    assert "引き継ぐ内容：2024-06-01・出張相談会・職員：" in page and "八戸出張相談会" in page
    page = text_of(client.get("/consultations/new", query_string={"event_id": secret.id}))
    assert "非公開の承継セミナー" not in page


def test_staff_choices_are_colleagues_and_keep_the_current_person(client, logged_in, make):
    make.user("faraway", centers=["startup"], name="遠くの職員")
    colleague = make.user("near", centers=["onestop"], name="同じ窓口の職員")
    c = make.client()
    page = text_of(client.get(f"/consultations/new?client_id={c.id}"))
    assert "同じ窓口の職員" in page and "遠くの職員" not in page
    k = make.consultation(c, staff_id=colleague.id)
    from casework.services.users import update_user

    update_user(colleague, expected_version=colleague.version, name=colleague.name, email=None, role="coordinator",
                center_codes=["onestop"], active=False)
    db.session.commit()
    response = client.post(f"/consultations/{k.id}/edit", data=_form(make, c.id, held_on="2024-05-01", staff_id=str(colleague.id),
                                                                        case_id=str(k.case_id), notes="更新", version=k.version))
    assert response.status_code == 302
