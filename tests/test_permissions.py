"""The one permission table (casework/permissions.py): deny by default, the menu, the admin's
権限一覧 page, and the review's findings about who may do what."""
from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import AuditEntry, FollowUp
from casework.permissions import (
    LOGGED_IN, PERMISSIONS, can, endpoint_permissions, may_open, requires, undeclared_endpoints,
)
from casework.templating import NAV

from .conftest import text_of

COMMON = ["ホーム", "相談を記録", "相談先", "案件", "相談記録", "相談会・セミナー", "出張相談会", "専門家派遣",
          "登録企業", "あっせん紹介", "助成金", "到達段階"]  # the programs' records: program.record
# The menu each kind of user sees: the permission table written out as people read it.
MENUS = {
    "admin": COMMON + ["事業承継", "創業支援", "フォローアップ", "報告書", "月次集計", "管理", "事業の管理", "監査ログ"],
    "manager": COMMON + ["創業支援", "フォローアップ", "報告書", "月次集計"],
    "succession_manager": COMMON + ["事業承継", "創業支援", "フォローアップ", "報告書", "月次集計"],
    "coordinator": COMMON + ["フォローアップ", "報告書"],
    "im": COMMON + ["創業支援", "フォローアップ", "報告書"],
    "succession": COMMON + ["事業承継", "フォローアップ", "報告書"],
}
STAFF = {
    "admin": ("admin", ["onestop"]),
    "manager": ("manager", ["onestop", "yorozu", "startup"]),
    "succession_manager": ("manager", ["onestop", "succession"]),
    "coordinator": ("coordinator", ["onestop"]),
    "im": ("im", ["startup"]),
    "succession": ("succession", ["succession"]),
}


def _menu(response) -> list[str]:
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', response.get_data(as_text=True), re.S).group(1)
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<a [^>]*>([^<]*)</a>", nav)]


def test_every_endpoint_declares_a_permission(app):
    missing = undeclared_endpoints(app)
    assert not missing, ("these endpoints declare no permission (add @requires(...) or blueprint_requires): "
                         + ", ".join(missing))
    for endpoint in app.view_functions:
        for name in endpoint_permissions(app, endpoint):
            assert name in PERMISSIONS, f"{endpoint} needs {name!r}, which is not in the table"


def test_an_undeclared_route_answers_404_and_is_logged(app, client, auth, coordinator, caplog):
    @app.route("/undeclared-test-page")
    def undeclared_test_page():
        return "秘密のページ"

    @app.route("/declared-test-page")
    @requires(LOGGED_IN)
    def declared_test_page():
        return "見えるページ"

    assert undeclared_endpoints(app) == ["undeclared_test_page"]
    auth.login(coordinator)
    with caplog.at_level(logging.ERROR):
        response = client.get("/undeclared-test-page")
    assert response.status_code == 404 and "秘密のページ" not in text_of(response)
    assert "ページが見つかりません" in text_of(response)
    assert "endpoint undeclared_test_page declares no permission" in caplog.text
    assert client.get("/declared-test-page").get_data(as_text=True) == "見えるページ"


def test_a_typo_in_a_permission_fails_at_import():
    with pytest.raises(LookupError, match="add it to casework.permissions.PERMISSIONS"):
        requires("expert.mange")


@pytest.mark.parametrize("who", list(MENUS))
def test_the_menu_shows_exactly_what_the_table_allows(app, client, auth, make, who):
    role, centers = STAFF[who]
    user = make.user(f"menu_{who}", role=role, centers=centers)
    auth.login(user)
    shown = _menu(client.get("/"))
    assert shown == MENUS[who]
    # the same, asked of the table; and every entry shown opens (none is a dead end)
    assert shown == [label for endpoint, (label, _key) in NAV.items() if may_open(user, endpoint)]
    for endpoint, (label, _key) in NAV.items():
        if label in shown:
            with app.test_request_context():
                from flask import url_for

                url = url_for(endpoint)
            assert client.get(url).status_code == 200, (who, label, url)


def test_managers_outside_the_succession_center_get_no_succession_menu_and_no_page(client, auth, make):
    """Review finding: the menu showed 事業承継 to managers, who then got 404."""
    manager = make.user("boss", role="manager", centers=["onestop", "yorozu", "startup"])
    auth.login(manager)
    assert "事業承継" not in _menu(client.get("/"))
    assert not can(manager, "succession.use")
    assert client.get("/succession/").status_code == 404


def test_admins_read_the_permission_table_in_japanese(client, auth, make):
    auth.login(make.user("root", role="admin"))
    assert "権限一覧" in text_of(client.get("/admin/"))
    page = text_of(client.get("/admin/permissions"))
    for text in ("権限一覧", "システム管理者", "統括責任者", "コーディネーター", "インキュベーション・マネジャー",
                 "事業承継 相談員", "専門家の登録・謝金の変更", "専門家派遣の承認・却下", "創業支援", "所属者のみ",
                 "ページなし（404）", "拒否（403）"):
        assert text in page, text
    html = client.get("/admin/permissions").get_data(as_text=True)
    row = re.search(r"<tr><th scope=\"row\">専門家の登録・謝金の変更.*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="center">([^<]*)</td>', row)
    assert cells == ["○", "○", "", "", ""]  # admin, manager; not coordinator, IM, succession staff


def test_the_permission_table_is_an_admin_page(client, logged_in):
    assert client.get("/admin/permissions").status_code == 404


def test_refused_report_requests_are_audited(client, logged_in):
    """Review finding: /reports/?center=succession as a coordinator left no audit row."""
    response = client.get("/reports/?center=succession")
    assert response.status_code == 404
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied"))
    assert entry is not None and entry.user_id == logged_in.id
    assert entry.detail["path"] == "/reports/" and entry.object_type == "Center"
    # the drill-down of a succession section and the downloads are refused the same way
    assert client.get("/reports/2024/report.csv?center=succession").status_code == 404
    count = db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action == "denied"))
    assert count == 2
    # a center the coordinator belongs to is no refusal
    assert client.get("/reports/?center=onestop").status_code == 200


def _followup_form(case, assignee_id):
    return {"case_id": case.id, "due_on": "2024-06-01", "reason": "3か月後の確認", "assignee_id": assignee_id}


def test_a_follow_up_is_assigned_only_to_someone_who_can_see_it(client, logged_in, make):
    """Review finding: a follow-up could be assigned to someone who cannot see it (nobody is
    then reminded)."""
    colleague = make.user("onestop2", role="coordinator", centers=["onestop"], name="同僚 花子")
    outsider = make.user("startup1", role="im", centers=["startup"], name="創業 次郎")
    case = make.case(make.client("株式会社フォロー"), opened_on=dt.date(2024, 4, 1))
    page = client.get(f"/followups/new?case_id={case.id}")
    assert "同僚 花子" in text_of(page) and "創業 次郎" not in text_of(page)  # offered: who can see the case
    response = client.post(f"/followups/new?case_id={case.id}", data=_followup_form(case, outsider.id))
    assert response.status_code == 200  # the form again, with the refusal beside the assignee
    assert "創業 次郎さんはワンストップ総合相談に所属していないため、このフォローアップを見られません。" in text_of(response)
    assert db.session.scalar(select(db.func.count()).select_from(FollowUp)) == 0
    response = client.post(f"/followups/new?case_id={case.id}", data=_followup_form(case, colleague.id))
    assert response.status_code == 302
    followup = db.session.scalar(select(FollowUp))
    assert followup.assignee_id == colleague.id


def test_the_follow_up_service_refuses_an_assignee_who_cannot_see_it(client, auth, make):
    """Without a case chosen first, the form offers the user's colleagues; one of them who is not
    in the case's center is refused beside the assignee field, and nothing is written."""
    me = make.user("both1", role="coordinator", centers=["onestop", "yorozu"])
    outsider = make.user("yorozu1", role="coordinator", centers=["yorozu"], name="よろず 三郎")
    case = make.case(make.client("株式会社フォロー"), opened_on=dt.date(2024, 4, 1))
    auth.login(me)
    assert "よろず 三郎" in text_of(client.get("/followups/new"))
    response = client.post("/followups/new", data=_followup_form(case, outsider.id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    message = "よろず 三郎さんはワンストップ総合相談に所属していないため、このフォローアップを見られません。"
    assert message in text_of(response)
    assert html.rindex(message) > html.index('name="assignee_id"')  # beside the field, after it (also in the summary on top)
    assert db.session.scalar(select(db.func.count()).select_from(FollowUp)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.object_type == "FollowUp")) == 0


def test_pages_link_only_to_what_the_table_allows(client, auth, make):
    coordinator = make.user("c1", role="coordinator", centers=["onestop", "startup"])
    case = make.case(make.client("株式会社創業予定"), center_code="startup")
    auth.login(coordinator)
    assert 'href="/tallies/"' not in client.get("/reports/").get_data(as_text=True)  # 月次集計: managers
    assert "/founders/cases/" not in client.get(f"/clients/{case.client_id}").get_data(as_text=True)
    auth.logout()
    auth.login(make.user("boss", role="manager", centers=["onestop", "startup"]))
    assert 'href="/tallies/"' in client.get("/reports/").get_data(as_text=True)
    assert f'href="/founders/cases/{case.id}"' in client.get(f"/clients/{case.client_id}").get_data(as_text=True)
