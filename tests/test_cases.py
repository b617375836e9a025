import datetime as dt

import pytest

from casework.dates import today_jst
from casework.extensions import db
from casework.models import Case

from .conftest import assert_form_defaults_to_me, text_of, void_through_the_page


def _form(make, **kw):
    data = {"center_id": str(make.center("onestop").id), "assignee_id": "", "title": "販路開拓",
            "opened_on": "2024-04-01", "theme_codes": ["sales_channel", "marketing"]}
    data.update(kw)
    return data


@pytest.mark.parametrize("method,path", [
    ("get", "/cases/"), ("get", "/cases/new?client_id=1"), ("post", "/cases/new?client_id=1"),
    ("get", "/cases/1"), ("get", "/cases/1/edit"), ("post", "/cases/1/edit"), ("get", "/cases/1/close"),
    ("post", "/cases/1/close"), ("post", "/cases/1/reopen"), ("get", "/cases/1/void"), ("post", "/cases/1/void"),
])
def test_logged_out_is_sent_to_login(client, make, method, path):
    make.case()
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_new_case_form_defaults_to_me_my_center_and_today(client, logged_in, make):
    c = make.client("株式会社ねぶた製作所")
    page = client.get(f"/cases/new?client_id={c.id}").get_data(as_text=True)
    assert "株式会社ねぶた製作所" in page
    assert_form_defaults_to_me(page, logged_in, make.center("onestop"))


def test_new_case_without_client_asks_to_pick_one(client, logged_in):
    response = client.get("/cases/new", follow_redirects=True)
    assert "案件を開始する相談先を選んでください" in text_of(response)


def test_open_case_and_see_it(client, logged_in, make):
    c = make.client("株式会社ねぶた製作所")
    response = client.post(f"/cases/new?client_id={c.id}", data=_form(make, assignee_id=str(logged_in.id)))
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "株式会社ねぶた製作所" in page and "ワンストップ総合相談" in page
    assert "販路開拓" in page and "マーケティング・販路開拓" in page and "対応中" in page
    assert logged_in.name in page


def test_open_case_invalid_date_is_shown_beside_the_field(client, logged_in, make):
    c = make.client()
    response = client.post(f"/cases/new?client_id={c.id}", data=_form(make, opened_on="2024-13-45"))
    assert response.status_code == 200
    assert 'id="opened_on-err"' in response.get_data(as_text=True)
    assert "存在しない日付です" in text_of(response) or "日付として読めません" in text_of(response)
    assert db.session.query(Case).count() == 0


def test_open_case_at_a_center_i_do_not_belong_to_is_refused(client, logged_in, make):
    c = make.client()
    response = client.post(f"/cases/new?client_id={c.id}", data=_form(make, center_id=str(make.center("yorozu").id)))
    assert response.status_code == 200
    assert "選択肢から選んでください" in text_of(response)
    assert db.session.query(Case).count() == 0


def test_future_opening_date_error_from_the_service(client, logged_in, make):
    c = make.client()
    future = (today_jst() + dt.timedelta(days=30)).isoformat()
    response = client.post(f"/cases/new?client_id={c.id}", data=_form(make, opened_on=future))
    assert "開始日が未来の日付です" in text_of(response)


def test_list_filters_by_status_and_kana(client, logged_in, make):
    a = make.case(make.client("株式会社ねぶた製作所", name_kana="ネブタセイサクショ"))
    make.case(make.client("八戸水産", name_kana="ハチノヘスイサン"))
    page = text_of(client.get("/cases/", query_string={"q": "ねぶた"}))
    assert "株式会社ねぶた製作所" in page and "八戸水産" not in page
    client.post(f"/cases/{a.id}/close", data={"closed_on": "2024-05-01", "outcome_code": "resolved", "version": a.version})
    page = text_of(client.get("/cases/", query_string={"status": "open"}))
    assert "八戸水産" in page and "株式会社ねぶた製作所" not in page
    page = text_of(client.get("/cases/", query_string={"status": "closed"}))
    assert "株式会社ねぶた製作所" in page and "解決" in page


def test_list_invalid_period_shows_error_beside_filter(client, logged_in, make):
    make.case(make.client("八戸水産"))
    response = client.get("/cases/", query_string={"opened_from": "abc"})
    assert response.status_code == 200
    page = text_of(response)
    assert "日付として読めません" in page and "八戸水産" in page


def test_list_filters_by_period_and_assignee(client, logged_in, make):
    make.case(make.client("四月の会社"), opened_on=dt.date(2024, 4, 10), assignee_id=logged_in.id)
    make.case(make.client("六月の会社"), opened_on=dt.date(2024, 6, 10))
    page = text_of(client.get("/cases/", query_string={"opened_from": "2024-04-01", "opened_to": "R6.4.30"}))
    assert "四月の会社" in page and "六月の会社" not in page
    page = text_of(client.get("/cases/", query_string={"assignee_id": logged_in.id}))
    assert "四月の会社" in page and "六月の会社" not in page


def test_list_is_paginated(client, logged_in, make, app):
    app.config["PER_PAGE"] = 2
    for i in range(5):
        make.case(make.client(f"会社{i}"))
    page = text_of(client.get("/cases/"))
    assert "全5件" in page and "次へ" in page and "1ページ目 / 3" in page
    page3 = client.get(_next_link(client.get(_next_link(client.get("/cases/")))))
    assert "会社0" in text_of(page3) and "会社4" not in text_of(page3) and "3ページ目" in text_of(page3)
    assert "次へ" not in text_of(page3) and "先頭へ" in text_of(page3)


def _next_link(response):
    import html
    import re

    return html.unescape(re.search(r'href="([^"]+)" rel="next"', response.get_data(as_text=True)).group(1))


def test_detail_shows_consultations_newest_first(client, logged_in, make):
    k = make.case()
    make.consultation(k.client, held_on=dt.date(2024, 5, 1), notes="最初の相談", case_id=k.id)
    make.consultation(k.client, held_on=dt.date(2024, 6, 1), notes="二回目の相談", case_id=k.id)
    page = text_of(client.get(f"/cases/{k.id}"))
    assert page.index("二回目の相談") < page.index("最初の相談")
    assert "もう1件記録する" in page


def test_edit_case(client, logged_in, make):
    k = make.case()
    response = client.get(f"/cases/{k.id}/edit")
    assert "案件の編集" in text_of(response)
    response = client.post(f"/cases/{k.id}/edit", data=_form(make, title="資金繰り改善", theme_codes=["cash_flow"],
                                                               version=k.version))
    assert response.status_code == 302
    page = text_of(client.get(f"/cases/{k.id}"))
    assert "資金繰り改善" in page and "資金繰り" in page


def test_edit_case_invalid_input(client, logged_in, make):
    k = make.case()
    response = client.post(f"/cases/{k.id}/edit", data=_form(make, opened_on="", version=k.version))
    assert response.status_code == 200
    assert "開始日を入力してください" in text_of(response)


def test_stale_edit_answers_409_and_shows_what_changed(client, logged_in, make):
    k = make.case()
    old = k.version
    client.post(f"/cases/{k.id}/edit", data=_form(make, title="先に保存した件名", version=old))
    response = client.post(f"/cases/{k.id}/edit", data=_form(make, title="後から保存した件名", version=old))
    assert response.status_code == 409
    page = text_of(response)
    assert "他の職員がこの記録を先に更新しました" in page
    assert "件名" in page and "先に保存した件名" in page and "後から保存した件名" in page
    db.session.expire_all()
    assert db.session.get(Case, k.id).title == "先に保存した件名"


def test_close_with_outcome_then_reopen(client, logged_in, make):
    k = make.case()
    assert "成果" in text_of(client.get(f"/cases/{k.id}/close"))
    response = client.post(f"/cases/{k.id}/close", data={"closed_on": "2024-07-01", "outcome_code": "founded",
                                                          "version": k.version}, follow_redirects=True)
    page = text_of(response)
    assert "案件を終了しました（成果：創業）" in page and "終了" in page
    db.session.expire_all()
    k = db.session.get(Case, k.id)
    response = client.post(f"/cases/{k.id}/reopen", data={"version": k.version}, follow_redirects=True)
    assert "案件を再開しました" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Case, k.id).closed_on is None


def test_close_before_opening_is_shown_beside_the_field(client, logged_in, make):
    k = make.case(opened_on=dt.date(2024, 4, 1))
    response = client.post(f"/cases/{k.id}/close", data={"closed_on": "2024-03-01", "version": k.version})
    assert response.status_code == 200
    assert 'id="closed_on-err"' in response.get_data(as_text=True)
    assert "終了日が開始日より前です" in text_of(response)


def test_close_unknown_outcome_is_refused(client, logged_in, make):
    k = make.case()
    response = client.post(f"/cases/{k.id}/close", data={"closed_on": "2024-05-01", "outcome_code": "lottery",
                                                          "version": k.version})
    assert response.status_code == 200 and "選択肢が正しくありません" in text_of(response)
    assert db.session.get(Case, k.id).closed_on is None


def test_coordinator_cannot_void(client, logged_in, make):
    k = make.case()
    assert client.get(f"/cases/{k.id}/void").status_code == 403


def test_manager_voids_and_case_leaves_the_list(client, auth, make):
    manager = make.user("boss", role="manager", centers=["onestop"])
    auth.login(manager)
    k = make.case(make.client("取消される会社"))
    done = void_through_the_page(client, f"/cases/{k.id}/void", "重複登録", listed_on="/cases/", name="取消される会社")
    assert "案件を取り消しました" in done
    assert client.get(f"/cases/{k.id}").status_code == 404


def test_onestop_coordinator_gets_404_for_succession_case(client, logged_in, make):
    k = make.case(center_code="succession")
    for path in (f"/cases/{k.id}", f"/cases/{k.id}/edit", f"/cases/{k.id}/close", f"/cases/{k.id}/void"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/cases/{k.id}/reopen").status_code == 404
