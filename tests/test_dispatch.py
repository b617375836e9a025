import datetime as dt

from sqlalchemy import select

from casework.extensions import db
from casework.models import AuditEntry, Dispatch, DispatchVisit, Expert, FollowUp
from casework.services import dispatch as service
from casework.services.errors import DomainError

from . import lifecycle_helpers as lh
from .conftest import text_of


def test_pages_redirect_when_logged_out(client):
    for url in ("/dispatch/", "/dispatch/new", "/dispatch/experts/", "/dispatch/experts/new", "/dispatch/stats",
                "/dispatch/1", "/dispatch/1/visits/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def test_expert_registry_create_edit_and_invalid(client, auth, make):
    auth.login(make.user("boss", role="manager", centers=["onestop"]))
    response = client.post("/dispatch/experts/new", data={"name": "青森 太郎", "organisation": "中小企業診断協会",
                                                          "specialties": "財務・事業計画", "fee_per_visit": "33000",
                                                          "active": "y"})
    assert response.status_code == 302
    page = text_of(client.get("/dispatch/experts/"))
    assert "青森 太郎" in page and "33,000円" in page and "有効" in page
    expert = db.session.scalar(select(Expert))
    response = client.post("/dispatch/experts/new", data={"name": "青森 太郎", "fee_per_visit": "-1"})
    assert response.status_code == 200 and "0以上の整数を入力してください" in text_of(response)
    response = client.post("/dispatch/experts/new", data={"name": "青森 太郎"})
    assert "既に登録されています" in text_of(response)
    # deactivate (never delete), then a stale second edit is refused
    response = client.post(f"/dispatch/experts/{expert.id}/edit", data={"name": "青森 太郎", "fee_per_visit": "33000",
                                                                        "version": expert.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Expert, expert.id).active is False
    response = client.post(f"/dispatch/experts/{expert.id}/edit", data={"name": "別名", "version": 1})
    assert response.status_code == 409 and "他の職員がこの記録を先に更新しました" in text_of(response)


def test_only_managers_and_admins_edit_the_expert_registry_and_its_fees(client, logged_in, make):
    """Review finding: any logged-in user could register experts and change their fees."""
    expert = lh.expert("弘前 花子", fee=30000)
    page = client.get("/dispatch/experts/")
    assert page.status_code == 200 and "弘前 花子" in text_of(page) and "30,000円" in text_of(page)
    html = page.get_data(as_text=True)
    assert "専門家を登録" not in html and f"/dispatch/experts/{expert.id}/edit" not in html
    assert "専門家の登録・謝金の変更は統括責任者または管理者が行います" in text_of(page)
    assert client.get("/dispatch/experts/new").status_code == 403
    response = client.post(f"/dispatch/experts/{expert.id}/edit", data={"name": "弘前 花子", "fee_per_visit": "90000",
                                                                        "active": "y", "version": expert.version})
    assert response.status_code == 403 and "この操作は許可されていません" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Expert, expert.id).fee_per_visit == 30000
    denied = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied"))
    assert denied is not None and denied.user_id == logged_in.id
    # the service refuses too (the CLI, a job or another route cannot go around the table)
    import pytest

    with pytest.raises(DomainError, match="統括責任者または管理者"):
        service.update_expert(expert, service.ExpertData(name="弘前 花子", fee_per_visit=1), expected_version=None,
                              by=logged_in)


def test_request_approve_visit_twice_and_receive_report(client, auth, make):
    coord = make.user("coord2", role="coordinator", centers=["onestop"])
    manager = make.user("boss", role="manager", centers=["onestop"])
    case = make.case(make.client("株式会社りんご工房"), opened_on=dt.date(2024, 4, 1))
    expert = lh.expert("弘前 花子", fee=30000)
    auth.login(coord)
    response = client.post("/dispatch/new", data={"case_id": case.id, "expert_id": expert.id, "requested_on": "2024-05-01",
                                                  "planned_visits": "2", "purpose": "原価管理"})
    assert response.status_code == 302
    url = response.headers["Location"]
    page = text_of(client.get(url))
    assert "申請中" in page and "統括責任者の承認待ち" in page
    dispatch = db.session.scalar(select(Dispatch))
    # a coordinator cannot approve
    assert client.post(f"{url}/decide", data={"decision": "approve", "decided_on": "2024-05-02", "version": dispatch.version}).status_code == 403
    # nor log a visit before approval
    response = client.post(f"{url}/visits/new", data={"held_on": "2024-05-10"})
    assert "承認された派遣にだけ訪問を記録できます" in text_of(response)
    auth.logout()
    auth.login(manager)
    response = client.post(f"{url}/decide", data={"decision": "reject", "decided_on": "2024-05-02", "version": dispatch.version})
    assert response.status_code == 422 and "却下の理由を入力してください" in text_of(response)
    response = client.post(f"{url}/decide", data={"decision": "approve", "decided_on": "2024-05-02", "version": dispatch.version})
    assert response.status_code == 302
    auth.logout()
    auth.login(coord)
    response = client.post(f"{url}/visits/new", data={"held_on": "2024-06-03", "hours": "2"})
    assert response.status_code == 302
    response = client.post(f"{url}/visits/new", data={"held_on": "2024-07-01", "hours": "2", "fee": "31000"})
    assert response.status_code == 302
    visits = list(db.session.scalars(select(DispatchVisit).order_by(DispatchVisit.held_on)))
    assert [(v.fee, v.company_share, v.report_due_on) for v in visits] == [
        (30000, 10000, dt.date(2024, 6, 17)), (31000, 10333, dt.date(2024, 7, 15))]
    page = text_of(client.get(url))
    assert "承認済" in page and "訪問（2回）" in page and "61,000円" in page and "20,333円" in page
    # the report follow-ups were created with the report due dates
    reports = list(db.session.scalars(select(FollowUp).where(FollowUp.source == "dispatch_report").order_by(FollowUp.due_on)))
    assert [f.due_on for f in reports] == [dt.date(2024, 6, 17), dt.date(2024, 7, 15)]
    assert all(f.assignee_id == coord.id for f in reports)
    response = client.post(f"/dispatch/visits/{visits[0].id}/report", data={"received_on": "2024-06-10", "version": visits[0].version})
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "受領 2024-06-10" in page
    db.session.expire_all()
    assert db.session.get(FollowUp, reports[0].id).completed_on == dt.date(2024, 6, 10)
    assert db.session.get(FollowUp, reports[1].id).completed_on is None


def test_visit_invalid_input_beside_fields(client, logged_in):
    d = lh.dispatch()
    for data, message in (({"held_on": ""}, "日付を入力してください"),
                          ({"held_on": "2024-04-01"}, "訪問日が申請日より前です"),
                          ({"held_on": "2024-06-01", "fee": "9000", "company_share": "9001"}, "企業負担額は0以上、謝金以下"),
                          ({"held_on": "2024-06-01", "hours": "30"}, "0.25〜24の数値")):
        response = client.post(f"/dispatch/{d.id}/visits/new", data=data)
        assert response.status_code == 200 and message in text_of(response), data
    assert db.session.query(DispatchVisit).count() == 0


def test_request_invalid(client, logged_in):
    response = client.post("/dispatch/new", data={"case_id": 0, "expert_id": 0, "requested_on": "2024-05-01"})
    assert "案件が見つかりません" in text_of(response)
    assert db.session.query(Dispatch).count() == 0


def test_fee_defaults_and_share_overridable(app):
    d = lh.dispatch(expert_=lh.expert(fee=10000))
    assert lh.visit(d).company_share == 3333  # floor(10000 / 3)
    assert lh.visit(d, fee=20000, company_share=5000).company_share == 5000
    no_fee = lh.dispatch(expert_=lh.expert("無報酬 専門家", fee=None))
    try:
        service.log_visit(no_fee, service.VisitData(held_on=dt.date(2024, 6, 3)))
    except DomainError as exc:
        assert exc.field == "fee"
    else:
        raise AssertionError("a visit without any fee must be refused")


def test_fiscal_year_stats_by_center_and_program(client, auth, make):
    admin = make.user("adm", role="admin", centers=[])
    c1, c2 = make.client("一社"), make.client("二社")
    d1 = lh.dispatch(make.case(c1))
    lh.visit(d1, held_on=dt.date(2024, 6, 1))
    lh.visit(d1, held_on=dt.date(2025, 3, 31))
    lh.visit(d1, held_on=dt.date(2025, 4, 1))  # FY2025
    d2 = lh.dispatch(make.case(c2, center_code="succession"), expert_=lh.expert("承継 専門家", fee=60000))
    lh.visit(d2, held_on=dt.date(2024, 7, 1))
    voided = lh.visit(d2, held_on=dt.date(2024, 8, 1))
    service.void_visit(voided, "重複", admin)
    db.session.commit()
    stats = service.fiscal_year_stats(admin, 2024)
    assert stats["total"] == {"visits": 3, "companies": 2, "fees": 120000, "shares": 40000}
    assert {r["label"]: (r["visits"], r["companies"]) for r in stats["by_center"]} == {
        "ワンストップ総合相談": (2, 1), "事業承継・引継ぎ支援センター": (1, 1)}
    assert {r["label"]: r["fees"] for r in stats["by_program"]} == {"専門家派遣事業": 60000, "事業承継 専門家派遣": 60000}
    auth.login(admin)
    page = text_of(client.get("/dispatch/stats?fy=2024"))
    assert "令和6年度" in page and "120,000円" in page and "40,000円" in page


def test_succession_dispatch_is_hidden_from_onestop(client, logged_in, make):
    d = lh.dispatch(make.case(make.client("秘密の承継社"), center_code="succession"))
    lh.visit(d)
    page = text_of(client.get("/dispatch/"))
    assert "秘密の承継社" not in page
    assert client.get(f"/dispatch/{d.id}").status_code == 404
    assert client.get(f"/dispatch/{d.id}/visits/new").status_code == 404
    assert "事業承継・引継ぎ支援センター" not in text_of(client.get("/dispatch/stats?fy=2024"))
    assert service.fiscal_year_stats(logged_in, 2024)["total"]["visits"] == 0


def test_confidential_dispatch_view_is_audited(client, auth, make):
    member = make.user("shokei", role="succession", centers=["succession"])
    d = lh.dispatch(make.case(center_code="succession"))
    auth.login(member)
    assert client.get(f"/dispatch/{d.id}").status_code == 200
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "view", AuditEntry.object_type == "Dispatch"))


def test_stats_are_the_reports_metrics_by_center(client, auth, make):
    """The stats page counts with the annual report's rules: a center's row equals the report's
    dispatch rows for that center, and visits of a voided client count nowhere."""
    from casework.reporting import annual_report
    from casework.services.clients import void_client

    admin = make.user("adm", role="admin", centers=[])
    a, b, gone = make.client("甲社"), make.client("乙社"), make.client("誤登録社")
    for c in (a, b, gone):
        d = lh.dispatch(make.case(c), expert_=lh.expert(f"{c.name} 担当", fee=33000))
        lh.visit(d, held_on=dt.date(2024, 6, 1))
        lh.visit(d, held_on=dt.date(2024, 9, 1))
    lh.visit(lh.dispatch(make.case(make.client("丙社"), center_code="succession"),
                         expert_=lh.expert("承継 担当", fee=60000)), held_on=dt.date(2024, 7, 1))
    void_client(gone, "誤登録", admin)
    db.session.commit()
    stats = service.fiscal_year_stats(admin, 2024)
    report = {s["key"]: {r["key"]: r["current"] for r in s["rows"]} for s in annual_report(2024)["sections"]}
    onestop = next(r for r in stats["by_center"] if r["label"] == "ワンストップ総合相談")
    succession = next(r for r in stats["by_center"] if r["label"] == "事業承継・引継ぎ支援センター")
    assert (onestop["visits"], onestop["companies"]) == (report["dispatch"]["visits"], report["dispatch"]["companies"]) == (4, 2)
    assert succession["visits"] == report["succession"]["expert_dispatches"] == 1
    assert stats["total"] == {"visits": 5, "companies": 3, "fees": 4 * 33000 + 60000, "shares": 4 * 11000 + 20000}
    auth.login(admin)
    page = text_of(client.get("/dispatch/stats?fy=2024"))
    assert "派遣回数（延べ） 企業数（実） 謝金 企業負担" in page
    assert "ワンストップ総合相談 4 2 132,000円 44,000円" in page and "合計 5 3 192,000円 64,000円" in page
    empty = text_of(client.get("/dispatch/stats?fy=2022"))
    assert "この年度の訪問はありません" in empty and "合計 0 0 0円 0円" in empty
