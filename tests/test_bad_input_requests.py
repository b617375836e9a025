"""Issue 13, each item as found by the outside probe: bad input gets a clear answer, never a 500,
never a corrupt record. (The fuzz test, tests/test_fuzz_routes.py, keeps the classes fixed.)"""
import datetime as dt

import pytest
from sqlalchemy import func, select

from casework.dates import today_jst
from casework.extensions import db
from casework.models import Case, Client, Consultation, User

from .conftest import text_of

HUGE = [str(2**63), str(2**64), "9" * 20, str(2**31)]


@pytest.fixture
def admin(client, make):
    user = make.user("boss", role="admin")
    client.post("/auth/login", data={"login": user.login, "password": make.PASSWORD})
    return user


# --- any email address answered 500 (email_validator was not installed) -----------------------

def test_a_client_with_an_email_address_is_saved(client, admin):
    response = client.post("/clients/new", data={"kind": "corporation", "name": "メール株式会社",
                                                 "contact_email": "info@example.co.jp"})
    assert response.status_code == 302
    c = db.session.scalar(select(Client).where(Client.name == "メール株式会社"))
    assert c.contact_email == "info@example.co.jp"
    response = client.post(f"/clients/{c.id}/edit", data={"kind": "corporation", "name": "メール株式会社",
                                                          "contact_email": "not-an-address", "version": c.version})
    assert response.status_code in (200, 422)
    assert "メールアドレスの形式が正しくありません。" in text_of(response)


def test_staff_with_an_email_address_are_saved(client, admin):
    response = client.post("/admin/users/new", data={"login": "mailer", "name": "メール職員", "role": "coordinator",
                                                      "center_codes": ["onestop"], "email": "mailer@example.jp",
                                                      "password": "long-enough-passphrase-42"})
    assert response.status_code == 302, text_of(response)
    user = db.session.scalar(select(User).where(User.login == "mailer"))
    assert user.email == "mailer@example.jp"
    response = client.post(f"/admin/users/{user.id}/edit", data={
        "name": "メール職員", "role": "coordinator", "center_codes": ["onestop"], "email": "new@example.jp",
        "active": "y", "version": user.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "new@example.jp"


# --- a date typed as the hint shows was saved as year 1 ---------------------------------------

def _consult(client, c, held_on):
    from casework.models import Center

    center = db.session.scalar(select(Center).where(Center.code == "onestop"))
    return client.post(f"/consultations/new?client_id={c.id}", data={
        "client_id": c.id, "held_on": held_on, "channel_code": "window", "center_id": center.id, "save": "保存"})


def test_the_consultation_form_reads_the_hinted_wareki_date(client, admin, make):
    c = make.client("和暦株式会社")
    page = client.get(f"/consultations/new?client_id={c.id}").get_data(as_text=True)
    assert 'type="date"' not in page and "R6.4.1" in page
    assert _consult(client, c, "R6.4.1").status_code == 302
    assert db.session.scalar(select(Consultation.held_on).where(Consultation.client_id == c.id)) == dt.date(2024, 4, 1)
    assert db.session.scalar(select(Case.opened_on).where(Case.client_id == c.id)) == dt.date(2024, 4, 1)


@pytest.mark.parametrize("typed, message", [
    ("0001-06-04", "1900-01-01以降の日付を入力してください。"),
    ("0001-01-01", "1900-01-01以降の日付を入力してください。"),
    ("9999-12-31", "相談日が未来の日付です"),
    ("R6.13.1", "存在しない日付です"),
    ("6.4.1", "日付として読めません"),
])
def test_dates_outside_the_sane_range_are_refused_beside_the_field_and_nothing_is_opened(client, admin, make,
                                                                                          typed, message):
    c = make.client("範囲外株式会社")
    response = _consult(client, c, typed)
    assert response.status_code in (200, 422)
    html = response.get_data(as_text=True)
    assert message in text_of(response)
    assert 'id="held_on-err"' in html
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0  # no stray case dated 1-06-04


def test_a_visit_in_the_future_is_refused_by_the_form(app, client, admin, make):
    from casework.blueprints.dispatch.forms import VisitForm

    tomorrow = (today_jst() + dt.timedelta(days=3)).isoformat()
    with app.test_request_context("/", method="POST", data={"held_on": tomorrow}):
        form = VisitForm()
        assert not form.validate()
        assert form.held_on.errors == [f"訪問日が未来の日付です（今日は{today_jst():%Y-%m-%d}です）。"]


def test_list_filters_refuse_far_dates_beside_the_field(client, admin):
    for url, name in [("/consultations/?held_to=9999-12-31", "held_to"), ("/cases/?opened_from=0001-01-01", "opened_from"),
                      ("/events/?held_to=9999-12-31", "held_to"), ("/admin/audit/?date_to=9999-12-31", "date_to")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "までの日付を入力してください" in text_of(response) or "以降の日付を入力してください" in text_of(response), url


# --- 500 instead of a clear answer -----------------------------------------------------------

def test_ids_beyond_any_column_in_any_url_are_404(app, client, admin):
    from werkzeug.routing import IntegerConverter

    checked = 0
    for rule in app.url_map.iter_rules():
        ints = [a for a in rule.arguments if isinstance(rule._converters[a], IntegerConverter) and a != "fy"]
        if not ints or not rule.methods & {"GET", "POST"}:
            continue
        for huge in HUGE:
            url = rule.rule
            for a in rule.arguments:
                url = url.replace(f"<int:{a}>", huge).replace(f"<{a}>", "x").replace(f"<fy:{a}>", "2024")
            response = client.open(url, method="GET" if "GET" in rule.methods else "POST")
            assert response.status_code == 404, (url, response.status_code)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("url", ["/clients/?page={}", "/cases/?after=2024-04-01~{}", "/cases/?after={}~1",
                                 "/consultations/?after=2024-04-01~{}&n={}", "/admin/users?page={}",
                                 "/referrals/?page={}", "/dispatch/?page={}", "/admin/audit/?page={}",
                                 "/cases/?center_id={}", "/cases/?assignee_id={}", "/dispatch/?center_id={}&expert_id={}",
                                 "/followups/?center_id={}", "/admin/audit/?object_id={}&user_id={}",
                                 "/cases/new?client_id={}", "/consultations/new?client_id={}&case_id={}&center_id={}",
                                 "/referrals/new?client_id={}", "/tallies/?fy=-1", "/tallies/?fy={}",
                                 "/reports/?fy=-1", "/reports/?fy={}", "/reports/1/report.csv", "/reports/-1/report.csv"])
def test_huge_numbers_in_query_strings_get_a_page_or_404(client, admin, make, url):
    make.case()
    for huge in HUGE:
        response = client.get(url.format(huge, huge, huge))
        assert response.status_code in (200, 302, 404), (url, huge, response.status_code)


@pytest.mark.parametrize("q", ["a\x00b", "\x00", '"', 'a"b', " ".join("abcdefghij"[i % 10] for i in range(1000)),
                               " ".join(["長い検索語"] * 500), "x" * 20_000, "NEAR(a b)", "a OR b AND"])
@pytest.mark.parametrize("url", ["/clients/", "/cases/", "/consultations/", "/dispatch/", "/founders/",
                                 "/notifications/", "/admin/users", "/admin/privacy/", "/dispatch/experts/",
                                 "/consultations/clients.json", "/events/"])
def test_any_search_answers(client, admin, make, url, q):
    make.client("検索株式会社")
    response = client.get(url, query_string={"q": q})
    assert response.status_code in (200, 404), (url, q[:20], response.status_code)


def test_a_nul_in_a_search_is_dropped_and_the_search_still_finds(client, admin, make):
    make.client("ヌル文字株式会社")
    assert "ヌル文字株式会社" in text_of(client.get("/clients/?q=%E3%83%8C%E3%83%AB%00%E6%96%87%E5%AD%97"))


def test_search_words_are_capped():
    from casework.searchindex import MAX_TERMS, search_terms

    assert len(search_terms(" ".join(str(i) for i in range(1000)))) == MAX_TERMS
    assert search_terms("a\x00b  Ｃ") == ["ab", "c"]


@pytest.mark.parametrize("value", ["9" * 20, str(2**31), "-1", "1e400", "NaN", "Infinity", "１２ａ"])
def test_20_digit_numbers_in_integer_fields_are_refused_beside_the_field(client, admin, value):
    response = client.post("/clients/new", data={"kind": "corporation", "name": "数値株式会社", "employees": value})
    assert response.status_code in (200, 422)
    html = response.get_data(as_text=True)
    assert 'id="employees-err"' in html and "整数を入力してください" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Client)) == 0


def test_full_width_digits_in_integer_fields_are_read(client, admin):
    response = client.post("/clients/new", data={"kind": "corporation", "name": "全角株式会社", "employees": "１，２００"})
    assert response.status_code == 302
    assert db.session.scalar(select(Client.employees)) == 1200


# --- invisible names --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["\u200b", "\u202e\u202e", "\u200b\u200c\u200d\ufeff", "\u3000\u200b", "\u2066\u2069"])
def test_a_name_without_a_visible_character_is_refused(client, admin, name):
    response = client.post("/clients/new", data={"kind": "corporation", "name": name})
    assert response.status_code in (200, 422)
    assert "名前に表示できる文字がありません。" in text_of(response) or "名称を入力してください。" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Client)) == 0


def test_bidi_controls_are_stripped_from_names(client, admin):
    response = client.post("/clients/new", data={"kind": "corporation", "name": "\u202e株式会社\u200bテスト\u202c",
                                                 "representative": "山田\u202e太郎"})
    assert response.status_code == 302
    c = db.session.scalar(select(Client))
    assert (c.name, c.representative) == ("株式会社テスト", "山田太郎")


# --- service checks are shown together --------------------------------------------------------

def test_every_problem_of_the_client_form_is_shown_in_one_round(client, admin):
    response = client.post("/clients/new", data={"kind": "corporation", "name": "一度に株式会社",
                                                 "employees": "9" * 20, "corporate_number": "1234567890123"})
    text = text_of(response)
    assert "整数を入力してください" in text and "法人番号が正しくありません" in text  # not one after the other


def test_dispatch_request_problems_are_collected(app, make):
    from casework.services import dispatch as service
    from casework.services.errors import DomainErrors

    k = make.case()
    with pytest.raises(DomainErrors) as caught:
        service.request_dispatch(service.DispatchRequest(case_id=k.id, expert_id=None, program_id=None,
                                                         requested_on=dt.date(2000, 1, 1), planned_visits=0))
    fields = {e.field for e in caught.value.errors}
    assert {"expert_id", "planned_visits", "requested_on"} <= fields
