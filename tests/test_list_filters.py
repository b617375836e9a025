"""List pages' filter bars: no filter is never an error; a wrong value is said beside its field.

(The consultation list once showed 選択肢が正しくありません。 beside 相談方法 with no filter set.)
"""
import datetime as dt
import re
from urllib.parse import quote

import pytest

from casework.extensions import db

from .conftest import text_of

ALL_CENTERS = ["onestop", "yorozu", "succession", "startup"]
# Every list page with a filter bar, as an admin sees it (an admin sees every blueprint).
LISTS = ["/cases/", "/consultations/", "/events/", "/clients/", "/dispatch/", "/dispatch/experts/", "/followups/",
         "/founders/", "/succession/", "/succession/deals/", "/notifications/", "/admin/audit/", "/admin/users"]


def errors_on(response) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]*)<', response.get_data(as_text=True))


@pytest.fixture
def admin(auth, make):
    user = make.user("boss", role="admin", centers=ALL_CENTERS)
    auth.login(user)
    return user


@pytest.mark.parametrize("url", LISTS)
def test_unfiltered_list_shows_no_filter_error(client, admin, url):
    response = client.get(url)
    assert response.status_code == 200
    assert errors_on(response) == []
    assert "選択肢" not in text_of(response) and "正しくありません" not in text_of(response)


@pytest.mark.parametrize("url", ["/cases/", "/consultations/", "/events/"])
def test_blank_filters_submitted_by_the_form_are_no_error(client, admin, url):
    blank = {"/cases/": "q=&center_id=&assignee_id=&status=&opened_from=&opened_to=",
             "/consultations/": "q=&center_id=&staff_id=&channel_code=&held_from=&held_to=",
             "/events/": "q=&center_id=&kind_code=&held_from=&held_to="}[url]
    response = client.get(f"{url}?{blank}")
    assert response.status_code == 200 and errors_on(response) == []


def test_coordinator_sees_the_consultation_list_without_an_error(client, logged_in, make):
    make.consultation(make.client("株式会社フィルタ確認"))
    response = client.get("/consultations/")
    assert "株式会社フィルタ確認" in text_of(response)
    assert "選択肢が正しくありません" not in text_of(response)


@pytest.mark.parametrize("url, field, message", [
    ("/consultations/?channel_code=carrier_pigeon", "channel_code", "選択肢が正しくありません。"),
    ("/cases/?status=sleeping", "status", "選択肢が正しくありません。"),
    ("/events/?kind_code=party", "kind_code", "選択肢が正しくありません。"),
    ("/cases/?center_id=abc", "center_id", "選択肢から選んでください。"),
    ("/cases/?center_id=99999", "center_id", "選択肢から選んでください。"),
    ("/consultations/?staff_id=x", "staff_id", "選択肢から選んでください。"),
    ("/consultations/?held_from=yesterday", "held_from", None),
])
def test_a_wrong_filter_value_is_said_beside_its_field_and_ignored(client, admin, make, url, field, message):
    make.consultation(make.client("株式会社無視される条件"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # the error sits in the same filter control as the field
    control = re.search(rf'<span class="ffield has-error">\s*(?:<label[^>]*>[^<]*</label>\s*)?<(?:select|input)[^>]*name="{field}".*?</span>\s*</span>',
                        html, re.S)
    assert control, html[html.find('class="filters"'):][:1500]
    assert 'class="error"' in control.group(0)
    if message:
        assert message in control.group(0)
    assert len(errors_on(response)) == 1
    if url.startswith("/consultations/"):
        assert "株式会社無視される条件" in text_of(response)  # the wrong filter is ignored, not applied


def test_audit_search_says_what_is_wrong_in_japanese_once(client, admin):
    response = client.get("/admin/audit/?object_id=abc")
    assert errors_on(response) == ["1以上の数で入力してください。"]
    assert "Not a valid" not in response.get_data(as_text=True)
    response = client.get("/admin/audit/?object_id=")
    assert errors_on(response) == []


@pytest.mark.parametrize("url", ["/clients/?kind=x&industry=zz&municipality=1", "/succession/?side=x",
                                 "/succession/deals/?stage=x"])
def test_hand_read_filters_ignore_wrong_values(client, admin, url):
    """These lists read their few selects directly; a wrong value filters nothing out loud."""
    response = client.get(url)
    assert response.status_code == 200 and errors_on(response) == []


# ---------------------------------------------------------------------------------------------
# The dispatch, founders, follow-up and notification lists read their filters through a filter
# form (blueprints/forms_common.FilterForm) like every other list: dates as the hint shows them
# (和暦 too) within the sane range, ids bounded, a wrong value said beside its field and ignored.
# ---------------------------------------------------------------------------------------------

NAME = "株式会社フィルタ確認"
DAY = dt.date(2024, 5, 1)  # R6.5.1


def _dispatch_record(make, admin):
    from casework.models import Dispatch, Expert

    case = make.case(make.client(NAME), opened_on=DAY)
    expert = Expert(name="専門家 絞込")
    db.session.add(expert)
    db.session.flush()
    db.session.add(Dispatch(case_id=case.id, client_id=case.client_id, center_id=case.center_id, expert_id=expert.id,
                            requested_on=DAY, requested_by_id=admin.id))
    db.session.commit()


def _founder_record(make, admin):
    make.case(make.client(NAME, kind="prospective_founder"), center_code="startup", opened_on=DAY,
              assignee_id=admin.id)


def _followup_record(make, admin):
    from .scheduling import followup

    followup(make.case(make.client(NAME), opened_on=DAY), admin, DAY, reason="絞り込みの確認")


def _notification_record(make, admin):
    from casework.models import Notification

    db.session.add(Notification(user_id=admin.id, kind="followup", title=f"フォローアップ: {NAME}", digest_on=DAY,
                                item_key="followup:1"))
    db.session.commit()


# list, what it shows by default, its date filters (from, to), its id filter, the record's maker
FILTERED_LISTS = {
    "dispatch": ("/dispatch/?", "from", "to", "expert_id", _dispatch_record),
    "founders": ("/founders/?status=&", "opened_from", "opened_to", "assignee_id", _founder_record),
    "followups": ("/followups/?scope=all&status=all&", "due_from", "due_to", "center_id", _followup_record),
    "notifications": ("/notifications/?status=all&", "digest_from", "digest_to", None, _notification_record),
}


def control_of(html: str, field: str) -> str:
    """The filter control (label, input, its errors) of the field named `field`."""
    found = re.search(rf'<span class="ffield has-error">\s*(?:<label[^>]*>[^<]*</label>\s*)?<(?:select|input)[^>]*'
                      rf'name="{field}".*?</span>\s*</span>', html, re.S)
    assert found, html[html.find('class="filters"'):][:1500]
    return found.group(0)


@pytest.fixture(params=list(FILTERED_LISTS))
def listed(request, admin, make):
    url, date_from, date_to, id_name, record = FILTERED_LISTS[request.param]
    record(make, admin)
    return url, date_from, date_to, id_name


def test_a_date_filter_reads_wareki_and_filters(client, listed):
    url, date_from, date_to, _ = listed
    for query, shown in [(f"{date_from}=R6.5.1", True), (f"{date_from}=R6.5.2", False),
                         (f"{date_to}=令和6年4月30日", False), (f"{date_to}=２０２４／５／１", True),
                         (f"{date_from}=2024/5/1&{date_to}=2024-05-01", True)]:
        response = client.get(url + query)
        assert response.status_code == 200 and errors_on(response) == [], query
        assert (NAME in text_of(response)) is shown, query


@pytest.mark.parametrize("value, message", [("yesterday", "日付として読めません"), ("2024-02-30", "存在しない日付です"),
                                            ("9999-12-31", "までの日付を入力してください"),
                                            ("1899-12-31", "以降の日付を入力してください")])
def test_a_wrong_or_far_date_is_said_beside_its_field_and_ignored(client, listed, value, message):
    url, date_from, date_to, _ = listed
    for name in (date_from, date_to):
        response = client.get(f"{url}{name}={quote(value)}")
        assert response.status_code == 200
        control = control_of(response.get_data(as_text=True), name)
        assert message in control, (name, control)
        assert len(errors_on(response)) == 1
        assert NAME in text_of(response)  # the wrong filter is ignored, the list shown unfiltered
        assert value in response.get_data(as_text=True)  # shown as typed, to be corrected


@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(2**64), "9" * 30, "-1", "x", "1.5"])
def test_a_huge_or_wrong_id_is_said_beside_its_field_and_ignored(client, listed, value):
    url, _, _, id_name = listed
    if id_name is None:
        pytest.skip("this list has no id filter")
    response = client.get(f"{url}{id_name}={value}")
    assert response.status_code == 200
    assert "選択肢から選んでください。" in control_of(response.get_data(as_text=True), id_name)
    assert NAME in text_of(response)


def test_a_wrong_choice_is_said_beside_its_field(client, admin):
    for url, field in [("/dispatch/?status=x", "status"), ("/founders/?stage=x", "stage"),
                       ("/founders/?status=x", "status"), ("/followups/?scope=x", "scope"),
                       ("/followups/?source=x", "source"), ("/notifications/?status=x", "status")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "選択肢が正しくありません。" in control_of(response.get_data(as_text=True), field), url
