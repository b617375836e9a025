from casework.extensions import db
from casework.models import Client

from .conftest import text_of


def _form(**kw):
    data = {"kind": "corporation", "name": "株式会社ねぶた製作所", "name_kana": "ネブタセイサクショ",
            "corporate_number": "", "industry_code": "E", "municipality_code": "022012", "employees": "12"}
    data.update(kw)
    return data


def test_register_client_and_see_it(client, logged_in):
    response = client.post("/clients/new", data=_form())
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "株式会社ねぶた製作所" in page and "製造業" in page and "青森市" in page


def test_invalid_corporate_number_is_shown_beside_the_field(client, logged_in):
    response = client.post("/clients/new", data=_form(corporate_number="3260181590830"))
    assert response.status_code == 200
    assert "法人番号が正しくありません" in text_of(response)
    assert db.session.query(Client).count() == 0


def test_search_by_kana_folds_hiragana_and_half_width(client, logged_in, make):
    make.client("株式会社ねぶた製作所", name_kana="ネブタセイサクショ")
    make.client("八戸水産", name_kana="ハチノヘスイサン")
    for q in ("ねぶた", "ﾈﾌﾞﾀ", "せいさく", "製作"):
        page = text_of(client.get("/clients/", query_string={"q": q}))
        assert "株式会社ねぶた製作所" in page, q
        assert "八戸水産" not in page, q


def test_duplicate_warning_then_confirm(client, logged_in, make):
    make.client("株式会社ねぶた製作所", name_kana="ネブタセイサクショ")
    response = client.post("/clients/new", data=_form(name="ねぶた製作所"))
    assert "似た相談先が登録されています" in text_of(response)
    assert db.session.query(Client).count() == 1
    response = client.post("/clients/new", data=_form(name="ねぶた製作所", confirm_duplicate="y"))
    assert response.status_code == 302
    assert db.session.query(Client).count() == 2


def test_stale_edit_is_refused(client, logged_in, make):
    c = make.client("株式会社ねぶた製作所")
    stale_version = c.version
    client.post(f"/clients/{c.id}/edit", data=_form(name="新しい名前", version=stale_version))
    response = client.post(f"/clients/{c.id}/edit", data=_form(name="別の名前", version=stale_version))
    assert response.status_code == 409
    assert "他の職員がこの記録を先に更新しました" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Client, c.id).name == "新しい名前"


def test_unknown_client_is_404(client, logged_in):
    assert client.get("/clients/9999").status_code == 404


def test_a_look_alike_known_only_to_succession_is_warned_of_without_a_name(client, logged_in, make):
    from casework.models import Notification

    admin = make.user("adm", role="admin", centers=[])
    secret = make.client("有限会社八甲田温泉旅館", name_kana="ハッコウダオンセンリョカン")
    make.case(secret, center_code="succession")
    data = _form(name="有限会社八甲田温泉旅館", name_kana="ハッコウダオンセンリョカン")
    response = client.post("/clients/new", data=data)
    page = text_of(response)
    assert response.status_code == 200 and db.session.query(Client).count() == 1
    assert "閲覧できないセンターに、似た相談先が登録されている可能性があります" in page
    assert f"/clients/{secret.id}" not in response.get_data(as_text=True)
    assert "ハッコウダオンセンリョカン" not in page.replace(f'value="ハッコウダオンセンリョカン"', "")
    response = client.post("/clients/new", data={**data, "confirm_duplicate": "y"})
    assert response.status_code == 302 and db.session.query(Client).count() == 2
    [note] = db.session.query(Notification).filter_by(kind="duplicate_check").all()
    assert note.user_id == admin.id and "有限会社八甲田温泉旅館" in note.title
    assert note.link == response.headers["Location"]


def test_the_middle_division_names_its_major_and_a_mismatch_is_shown_beside_it(client, logged_in):
    page = client.get("/clients/new").get_data(as_text=True)
    assert '<optgroup label="E 製造業">' in page and "11 繊維工業" in page
    response = client.post("/clients/new", data=_form(industry_code="", industry_division_code="11"))
    assert response.status_code == 302
    saved = db.session.query(Client).one()
    assert (saved.industry_code, saved.industry_division_code) == ("E", "11")
    assert "製造業（繊維工業）" in text_of(client.get(response.headers["Location"]))
    response = client.post("/clients/new", data=_form(name="八戸水産", name_kana="ハチノヘスイサン", industry_code="A",
                                                industry_division_code="11"))
    assert response.status_code == 200
    assert "中分類が大分類と合いません" in text_of(response)
    assert db.session.query(Client).count() == 1
