import datetime as dt

from sqlalchemy import select

from casework.dates import today_jst
from casework.extensions import db
from casework.models import FollowUp
from casework.services.cases import close_case
from casework.services.followups import add_months, create_outcome_followups

from .conftest import text_of


def test_pages_redirect_when_logged_out(client):
    for url in ("/followups/", "/followups/new", "/followups/1", "/followups/1/void"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 5, 15), 12) == dt.date(2025, 5, 15)
    assert add_months(dt.date(2024, 12, 1), 3) == dt.date(2025, 3, 1)


def test_outcome_followups_are_created_once(app, make):
    coord = make.user("c1")
    case = make.case(assignee_id=coord.id, center_code="onestop")
    close_case(case, closed_on=dt.date(2024, 11, 30), outcome_code="succeeded", outcome_on=dt.date(2024, 11, 30))
    db.session.commit()
    create_outcome_followups(case, None)  # a second run changes nothing
    db.session.commit()
    rows = list(db.session.scalars(select(FollowUp).order_by(FollowUp.due_on)))
    assert [(f.due_on, f.assignee_id, f.reason) for f in rows] == [
        (dt.date(2025, 2, 28), coord.id, "事業承継後3か月フォローアップ"),
        (dt.date(2025, 11, 30), coord.id, "事業承継後12か月フォローアップ")]
    other = make.case(center_code="onestop")
    close_case(other, closed_on=dt.date(2024, 11, 30), outcome_code="resolved")
    db.session.commit()
    assert db.session.query(FollowUp).count() == 2  # no follow-up for plain outcomes


def test_manual_followup_list_overdue_first_and_complete(client, logged_in, make):
    case = make.case(make.client("株式会社八甲田"), center_code="onestop")
    later = (today_jst() + dt.timedelta(days=365)).isoformat()  # dates lie at most 5 years ahead
    response = client.post("/followups/new", data={"case_id": case.id, "due_on": later, "reason": "売上の確認"})
    assert response.status_code == 302
    client.post("/followups/new", data={"case_id": case.id, "due_on": "2024-05-01", "reason": "雇用の確認"})
    page = text_of(client.get("/followups/"))
    assert page.index("雇用の確認") < page.index("売上の確認")
    assert "期限切れ" in page
    followup = db.session.scalar(select(FollowUp).where(FollowUp.reason == "雇用の確認"))
    response = client.post(f"/followups/{followup.id}", data={"completed_on": "2024-05-02", "still_in_business": "no",
                                                             "jobs_retained": "3", "version": followup.version})
    assert response.status_code == 422 and "維持された雇用は0です" in text_of(response)
    response = client.post(f"/followups/{followup.id}", data={"completed_on": "2024-05-02", "still_in_business": "yes",
                                                             "employees": "12", "sales_trend": "up", "jobs_retained": "12",
                                                             "findings": "順調", "version": followup.version})
    assert response.status_code == 302
    page = text_of(client.get(f"/followups/{followup.id}"))
    assert "継続している" in page and "増加" in page and "順調" in page
    assert "雇用の確認" not in text_of(client.get("/followups/"))
    assert "雇用の確認" in text_of(client.get("/followups/?status=done"))


def test_new_followup_invalid(client, logged_in, make):
    case = make.case(center_code="onestop")
    response = client.post("/followups/new", data={"case_id": case.id, "due_on": "", "reason": ""})
    page = text_of(response)
    assert "日付を入力してください" in page and "内容を入力してください" in page
    assert db.session.query(FollowUp).count() == 0


def test_succession_followups_are_hidden_from_onestop(client, logged_in, make):
    case = make.case(make.client("極秘承継株式会社"), center_code="succession", assignee_id=logged_in.id)
    close_case(case, closed_on=dt.date(2024, 6, 1), outcome_code="ma_closed")
    db.session.commit()
    followups = list(db.session.scalars(select(FollowUp)))
    assert len(followups) == 2
    for scope in ("mine", "all"):
        assert "極秘承継株式会社" not in text_of(client.get(f"/followups/?scope={scope}&status=all"))
    for f in followups:
        assert client.get(f"/followups/{f.id}").status_code == 404
