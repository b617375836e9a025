import datetime as dt

from sqlalchemy import select

from casework.extensions import db
from casework.models import Case, CaseStageChange, FollowUp, Founding, Grant

from .conftest import text_of

VALID_NUMBER = "5000012010008"  # a 法人番号 with a correct check digit
WRONG_NUMBER = "1000012010008"


def _founder_case(make, im=None, opened_on=dt.date(2024, 4, 10)):
    client_ = make.client("山田 さくら", kind="prospective_founder")
    return make.case(client_, center_code="startup", opened_on=opened_on, assignee_id=getattr(im, "id", None))


def test_pages_redirect_when_logged_out(client):
    for url in ("/founders/", "/founders/cases/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def test_first_talk_to_founded_with_followups(client, auth, make):
    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    assert "山田 さくら" in text_of(client.get("/founders/"))
    page = text_of(client.get(f"/founders/cases/{case.id}"))
    assert "現在の段階 相談" in page
    for stage, day in (("business_plan", "2024-05-01"), ("funding_plan", "2024-06-15")):
        db.session.expire_all()
        version = db.session.get(Case, case.id).version
        response = client.post(f"/founders/cases/{case.id}/stage", data={"stage": stage, "changed_on": day, "version": version})
        assert response.status_code == 302, text_of(response)
    db.session.expire_all()
    version = db.session.get(Case, case.id).version
    response = client.post(f"/founders/cases/{case.id}/founding", data={
        "founded_on": "2024-07-31", "business_name": "株式会社さくらデザイン", "incorporated": "y",
        "corporate_number": VALID_NUMBER, "industry_code": "L", "version": version})
    assert response.status_code == 302, text_of(response)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.stage, case.outcome_code, case.outcome_on, case.closed_on) == (
        "founded", "founded", dt.date(2024, 7, 31), dt.date(2024, 7, 31))
    history = [(h.stage, h.changed_on, h.changed_by_id) for h in db.session.scalars(
        select(CaseStageChange).order_by(CaseStageChange.id))]
    assert history == [("business_plan", dt.date(2024, 5, 1), im.id), ("funding_plan", dt.date(2024, 6, 15), im.id),
                       ("founded", dt.date(2024, 7, 31), im.id)]
    # follow-ups exactly 3 and 12 months after the founding date (month end clamps)
    dues = [f.due_on for f in db.session.scalars(select(FollowUp).where(FollowUp.case_id == case.id).order_by(FollowUp.due_on))]
    assert dues == [dt.date(2024, 10, 31), dt.date(2025, 7, 31)]
    page = text_of(client.get(f"/founders/cases/{case.id}"))
    assert "株式会社さくらデザイン" in page and VALID_NUMBER in page and "2024-10-31" in page and "2025-07-31" in page
    followups = text_of(client.get("/followups/"))
    assert "創業後3か月フォローアップ" in followups and "創業後12か月フォローアップ" in followups


def test_founding_invalid_input(client, auth, make):
    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    base = {"founded_on": "2024-07-31", "business_name": "さくら", "version": case.version}
    for data, message in (({"incorporated": "y"}, "法人番号を入力してください"),
                          ({"corporate_number": WRONG_NUMBER}, "法人番号が正しくありません"),
                          ({"founded_on": "2024-04-01"}, "開始日より前"),
                          ({"business_name": ""}, "事業者名を入力してください")):
        response = client.post(f"/founders/cases/{case.id}/founding", data={**base, **data})
        assert response.status_code == 422 and message in text_of(response), data
    assert db.session.query(Founding).count() == 0
    assert db.session.get(Case, case.id).closed_on is None


def test_stage_cannot_go_back_and_stale_is_refused(client, auth, make):
    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    v = case.version
    assert client.post(f"/founders/cases/{case.id}/stage", data={"stage": "funding_plan", "changed_on": "2024-05-01", "version": v}).status_code == 302
    db.session.expire_all()
    response = client.post(f"/founders/cases/{case.id}/stage", data={"stage": "business_plan", "changed_on": "2024-05-02",
                                                                     "version": db.session.get(Case, case.id).version})
    assert response.status_code == 422 and "より先の段階を選んでください" in text_of(response)
    response = client.post(f"/founders/cases/{case.id}/stage", data={"stage": "funding_plan", "changed_on": "2024-05-02", "version": v})
    assert response.status_code == 409


def test_grant_application_and_decision(client, auth, make):
    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    assert client.post(f"/founders/cases/{case.id}/grants", data={"program": "移住起業支援金", "applied_on": "2024-05-10"}).status_code == 302
    grant = db.session.scalar(select(Grant))
    response = client.post(f"/founders/grants/{grant.id}/decide", data={f"g{grant.id}-decision": "adopted",
                                                                       f"g{grant.id}-decided_on": "2024-06-10",
                                                                       f"g{grant.id}-version": grant.version})
    assert response.status_code == 422 and "交付額（1円以上）を入力してください" in text_of(response)
    response = client.post(f"/founders/grants/{grant.id}/decide", data={f"g{grant.id}-decision": "adopted",
                                                                       f"g{grant.id}-decided_on": "2024-06-10",
                                                                       f"g{grant.id}-amount": "1000000",
                                                                       f"g{grant.id}-version": grant.version})
    assert response.status_code == 302
    page = text_of(client.get(f"/founders/cases/{case.id}"))
    assert "採択（2024-06-10）" in page and "1,000,000円" in page
    response = client.post(f"/founders/cases/{case.id}/grants", data={"program": "", "applied_on": "2024-05-10"})
    assert response.status_code == 422 and "制度名を入力してください" in text_of(response)


def test_onestop_cannot_see_founders_of_startup(client, auth, make):
    case = _founder_case(make)
    auth.login(make.user("boss1", role="manager", centers=["onestop"]))  # may use 創業支援, not that center
    assert client.get(f"/founders/cases/{case.id}").status_code == 404
    assert "山田 さくら" not in text_of(client.get("/founders/"))


def test_founders_pages_are_for_ims_managers_and_admins(client, logged_in, make):
    case = _founder_case(make)
    response = client.get("/founders/")
    assert response.status_code == 403 and "この操作は許可されていません" in text_of(response)
    assert client.get(f"/founders/cases/{case.id}").status_code == 403


def _stage_options(response) -> list[str]:
    import re

    html = response.get_data(as_text=True)
    select_ = re.search(r'<select[^>]*name="stage".*?</select>', html, re.S)
    return re.findall(r'<option[^>]*>([^<]*)</option>', select_.group(0)) if select_ else []


def test_im_finds_founders_in_the_menu_and_from_the_case(client, auth, make):
    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    assert 'href="/founders/"' in client.get("/").get_data(as_text=True)
    assert f'href="/founders/cases/{case.id}"' in client.get(f"/cases/{case.id}").get_data(as_text=True)
    other = make.case(make.client("株式会社ワンストップ"), center_code="onestop")
    coord = make.user("coord1", role="coordinator", centers=["onestop", "startup"])
    auth.logout()
    auth.login(coord)
    assert 'href="/founders/"' not in client.get("/").get_data(as_text=True)  # the menu entry is the IMs'
    assert "/founders/cases/" not in client.get(f"/cases/{other.id}").get_data(as_text=True)


def test_stage_form_offers_only_the_stages_ahead(client, auth, make):
    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    assert _stage_options(client.get(f"/founders/cases/{case.id}")) == ["事業計画", "資金計画"]
    client.post(f"/founders/cases/{case.id}/stage", data={"stage": "business_plan", "changed_on": "2024-05-01",
                                                          "version": case.version})
    assert _stage_options(client.get(f"/founders/cases/{case.id}")) == ["資金計画"]
    db.session.expire_all()
    client.post(f"/founders/cases/{case.id}/stage", data={"stage": "funding_plan", "changed_on": "2024-06-01",
                                                          "version": db.session.get(Case, case.id).version})
    response = client.get(f"/founders/cases/{case.id}")
    assert _stage_options(response) == []
    assert "「資金計画」まで進みました。次は右の「創業を記録」です。" in text_of(response)
    # a backwards step posted from an old page is still refused beside the field
    db.session.expire_all()
    response = client.post(f"/founders/cases/{case.id}/stage", data={
        "stage": "business_plan", "changed_on": "2024-06-02", "version": db.session.get(Case, case.id).version})
    assert response.status_code == 422 and "より先の段階を選んでください" in text_of(response)


def test_founding_shows_the_industry_by_name(client, auth, make):
    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    client.post(f"/founders/cases/{case.id}/founding", data={
        "founded_on": "2024-07-31", "business_name": "さくら食堂", "industry_code": "M", "version": case.version})
    page = text_of(client.get(f"/founders/cases/{case.id}"))
    assert "業種 宿泊業、飲食サービス業" in page


def test_founding_turns_the_founder_into_a_company_and_keeps_what_it_was(client, auth, make):
    from casework.models import AuditEntry, Client

    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    response = client.post(f"/founders/cases/{case.id}/founding", data={
        "founded_on": "2024-07-31", "business_name": "株式会社さくらデザイン", "incorporated": "y",
        "corporate_number": VALID_NUMBER, "industry_code": "L", "version": case.version})
    assert response.status_code == 302, text_of(response)
    db.session.expire_all()
    founder = db.session.get(Client, case.client_id)
    assert (founder.kind, founder.corporate_number, founder.founded_on, founder.industry_code) == (
        "corporation", VALID_NUMBER, dt.date(2024, 7, 31), "L")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "change", AuditEntry.object_type == "Client"))
    assert entry.detail["kind"] == ["prospective_founder", "corporation"] and entry.detail["reason"] == "創業の記録"
    page = text_of(client.get(f"/clients/{founder.id}"))
    assert "区分 法人" in page and "設立・開業日 2024-07-31" in page
    assert "山田 さくら" in text_of(client.get(f"/clients/?q={VALID_NUMBER}"))  # found by the new 法人番号


def test_a_sole_proprietor_founding_keeps_the_client_without_a_number(client, auth, make):
    from casework.models import Client

    im = make.user("im1", role="im", centers=["startup"])
    case = _founder_case(make, im)
    auth.login(im)
    client.post(f"/founders/cases/{case.id}/founding", data={
        "founded_on": "2024-08-01", "business_name": "さくら工房", "version": case.version})
    db.session.expire_all()
    founder = db.session.get(Client, case.client_id)
    assert (founder.kind, founder.corporate_number, founder.founded_on) == ("sole_proprietor", None, dt.date(2024, 8, 1))
