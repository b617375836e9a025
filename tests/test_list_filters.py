"""List pages' filter bars: no filter is never an error; a wrong value is said beside its field.

(The consultation list once showed 選択肢が正しくありません。 beside 相談方法 with no filter set.)
"""
import re

import pytest

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


@pytest.mark.parametrize("url", ["/clients/?kind=x&industry=zz&municipality=1", "/dispatch/?status=x&center_id=x&from=zz",
                                 "/followups/?scope=x&status=x&source=x&center_id=x", "/founders/?stage=x&status=x",
                                 "/succession/?side=x", "/succession/deals/?stage=x", "/notifications/?status=x"])
def test_hand_read_filters_ignore_wrong_values(client, admin, url):
    """These lists read their few selects directly; a wrong value filters nothing out loud."""
    response = client.get(url)
    assert response.status_code == 200 and errors_on(response) == []
