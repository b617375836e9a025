import datetime as dt

from sqlalchemy import select

from casework.extensions import db
from casework.models import Case, Referral

from . import lifecycle_helpers as lh
from .conftest import text_of


def test_pages_redirect_when_logged_out(client):
    for url in ("/referrals/", "/referrals/new?client_id=1"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def _form(make, **kw):
    data = {"from_center_id": make.center("yorozu").id, "to_center_id": make.center("succession").id,
            "referred_on": "2024-06-01", "consent_on": "2024-05-30", "consent_method": "書面", "note": "後継者不在"}
    data.update(kw)
    return data


def test_referral_requires_consent_and_opens_a_case(client, auth, make):
    yorozu = make.user("yz", centers=["yorozu"])
    member = make.user("sk", role="succession", centers=["succession"])
    c = make.client("株式会社よろず紹介")
    make.case(c, center_code="yorozu")
    auth.login(yorozu)
    response = client.post(f"/referrals/new?client_id={c.id}", data=_form(make, consent_on="", consent_method=""))
    page = text_of(response)
    assert "同意を得た日を入力してください" in page and "同意の方法を選んでください" in page
    response = client.post(f"/referrals/new?client_id={c.id}", data=_form(make, consent_on="2024-06-02"))
    assert "同意は紹介の前（または当日）に得てください" in text_of(response)
    response = client.post(f"/referrals/new?client_id={c.id}", data=_form(make, to_center_id=make.center("yorozu").id))
    assert "紹介元と別のセンター" in text_of(response)
    assert db.session.query(Referral).count() == 0
    response = client.post(f"/referrals/new?client_id={c.id}", data=_form(make, open_case="y", to_assignee_id=member.id))
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    new_case = db.session.get(Case, referral.to_case_id)
    assert (new_case.center.code, new_case.assignee_id, new_case.opened_on) == ("succession", member.id, dt.date(2024, 6, 1))
    # the よろず coordinator sees the referral they sent in their list, and nothing of the
    # succession side on the client's page
    assert "株式会社よろず紹介" in text_of(client.get("/referrals/"))
    page = text_of(client.get(f"/clients/{c.id}"))
    assert "事業承継・引継ぎ支援センター" not in page
    auth.logout()
    auth.login(member)
    page = text_of(client.get(f"/clients/{c.id}"))
    assert "よろず支援拠点 → 事業承継・引継ぎ支援センター（同意 2024-05-30・書面）" in page
    assert "株式会社よろず紹介" in text_of(client.get("/referrals/"))


def test_referral_between_open_centers_visible_to_both(client, auth, make):
    coord = make.user("os", centers=["onestop"])
    c = make.client("株式会社一般紹介")
    auth.login(coord)
    data = _form(make, from_center_id=make.center("onestop").id, to_center_id=make.center("startup").id)
    assert client.post(f"/referrals/new?client_id={c.id}", data=data).status_code == 302
    assert "株式会社一般紹介" in text_of(client.get("/referrals/"))
    assert client.get("/referrals/new?client_id=99999").status_code == 404


def test_client_timeline_is_chronological_across_centers(client, auth, make):
    admin = make.user("adm", role="admin", centers=[])
    c = make.client("時系列工業株式会社")
    make.consultation(c, center_code="onestop", held_on=dt.date(2024, 5, 1), notes="初回相談")
    d = lh.dispatch(make.case(c, center_code="yorozu", opened_on=dt.date(2024, 4, 1)), requested_on=dt.date(2024, 5, 10))
    lh.visit(d, held_on=dt.date(2024, 6, 3))
    auth.login(admin)
    page = text_of(client.get(f"/clients/{c.id}"))
    timeline = page[page.index("経過（全センター、新しい順）"):]
    order = [timeline.index(s) for s in ("専門家派遣報告書の受領", "中小 診断士 訪問", "中小 診断士（承認済）", "初回相談")]
    assert order == sorted(order)
    assert "2024-06-17" in timeline  # report due 14 days after the visit


# --- referring a client to the confidential succession center --------------------------------

def _refer_to_succession(client, make, c, **kw):
    data = _form(make, from_center_id=make.center("onestop").id, **kw)
    return client.post(f"/referrals/new?client_id={c.id}", data=data)


def test_the_referrer_keeps_their_client_but_never_sees_the_succession_side(client, auth, make):
    from casework.models import MatchProfile
    from casework.services.consultations import ConsultationData, log_consultation

    coord = make.user("os", centers=["onestop"], name="一般 太郎")
    member = make.user("sk", role="succession", centers=["succession"], name="承継 四郎")
    c = make.client("株式会社紹介元商店", name_kana="ショウカイモトショウテン")
    make.consultation(c, notes="資金繰りの相談")
    auth.login(coord)
    response = _refer_to_succession(client, make, c, open_case="y", to_assignee_id=member.id)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/clients/{c.id}")
    referral = db.session.scalar(select(Referral))
    succession_case = db.session.get(Case, referral.to_case_id)
    # the succession center works the case: a consultation and a seller profile
    log_consultation(c, ConsultationData(held_on=dt.date(2024, 6, 5), channel_code="window",
                                         center_id=succession_case.center_id, case_id=succession_case.id,
                                         notes="株式譲渡の意向あり", staff_id=member.id), by=member)
    lh.profile(succession_case)
    db.session.commit()
    code_name = db.session.scalar(select(MatchProfile.code_name))
    secrets = ("事業承継・引継ぎ支援センター", "紹介による相談", "株式譲渡の意向あり", "承継 四郎", code_name)
    page = text_of(client.get(f"/clients/{c.id}"))
    assert "株式会社紹介元商店" in page and "資金繰りの相談" in page and "ワンストップ総合相談" in page
    for url in (f"/clients/{c.id}", "/cases/", "/consultations/", "/referrals/", "/followups/?scope=all&status=all",
                "/clients/?q=ショウカイモト", "/dispatch/new", f"/consultations/new?client_id={c.id}", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        shown = text_of(response)
        if url == "/referrals/":  # the sender's own referral: where it went, nothing done there since
            assert "株式会社紹介元商店" in shown and "事業承継・引継ぎ支援センター" in shown
            shown = shown.replace("事業承継・引継ぎ支援センター", "")
        assert not [s for s in secrets if s in shown], (url, [s for s in secrets if s in shown])
    assert "株式会社紹介元商店" in text_of(client.get("/clients/?q=ショウカイモト"))  # still found
    for url in (f"/cases/{succession_case.id}", f"/referrals/{referral.id}/void", "/succession/"):
        assert client.get(url).status_code == 404, url
    # the succession member sees the referral with its consent, and the work done since
    auth.logout()
    auth.login(member)
    page = text_of(client.get(f"/clients/{c.id}"))
    assert "ワンストップ総合相談 → 事業承継・引継ぎ支援センター（同意 2024-05-30・書面）" in page
    assert "株式譲渡の意向あり" in page


def test_the_new_cases_assignee_must_be_staff_of_the_target_center(client, auth, make):
    coord = make.user("os", centers=["onestop"])
    c = make.client("担当者チェック株式会社")
    make.case(c)
    auth.login(coord)
    response = _refer_to_succession(client, make, c, open_case="y", to_assignee_id=coord.id)
    assert response.status_code == 200
    assert "紹介先の担当者は事業承継・引継ぎ支援センターの職員から選んでください" in text_of(response)
    assert db.session.query(Referral).count() == 0
    assert db.session.query(Case).filter(Case.center_id == make.center("succession").id).count() == 0


def test_consent_is_required_whatever_calls_the_service(app, make):
    import pytest

    from casework.services.errors import DomainError
    from casework.services.referrals import ReferralData, refer_client

    coord = make.user("os", centers=["onestop"])
    c = make.client()
    base = dict(from_center_id=make.center("onestop").id, to_center_id=make.center("succession").id,
                referred_on=dt.date(2024, 6, 1))
    for consent_on, method, field in ((None, "書面", "consent_on"), (dt.date(2024, 5, 1), None, "consent_method"),
                                      (dt.date(2024, 5, 1), "なんとなく", "consent_method"),
                                      (dt.date(2024, 6, 2), "口頭", "consent_on")):
        with pytest.raises(DomainError) as exc:
            refer_client(c, ReferralData(consent_on=consent_on, consent_method=method, **base), by=coord)
        assert exc.value.field == field
    assert db.session.query(Referral).count() == 0


def test_a_client_known_to_no_other_center_leaves_the_referrers_sight(client, auth, make):
    coord = make.user("os", centers=["onestop"])
    member = make.user("sk", role="succession", centers=["succession"])
    c = make.client("まだ案件のない株式会社")
    auth.login(coord)
    response = _refer_to_succession(client, make, c, open_case="y", to_assignee_id=member.id)
    assert response.status_code == 302 and response.headers["Location"].endswith("/clients/")
    page = text_of(client.get("/clients/"))
    assert "今後は紹介先センターの職員だけが閲覧できます" in page and "まだ案件のない株式会社" not in page
    assert client.get(f"/clients/{c.id}").status_code == 404


def test_the_receiving_center_is_told_and_others_of_the_sender_see_nothing(client, auth, make):
    from casework.models import Notification

    coord = make.user("os", centers=["onestop"])
    colleague = make.user("os2", centers=["onestop"])
    member = make.user("sk", role="succession", centers=["succession"])
    member2 = make.user("sk2", role="succession", centers=["succession"])
    c = make.client("株式会社通知確認")
    make.consultation(c)
    auth.login(coord)
    assert _refer_to_succession(client, make, c).status_code == 302
    referral = db.session.scalar(select(Referral))
    notes = list(db.session.scalars(select(Notification).where(Notification.kind == "referral")))
    assert sorted(n.user_id for n in notes) == sorted([member.id, member2.id])
    assert notes[0].title == "紹介を受けました: 株式会社通知確認（ワンストップ総合相談から）"
    assert notes[0].link == f"/clients/{c.id}"
    auth.logout()
    auth.login(member)
    assert "紹介を受けました: 株式会社通知確認" in text_of(client.get("/notifications/"))
    auth.logout()
    auth.login(colleague)  # the sender's colleague: the referral to the confidential center stays hidden
    assert "株式会社通知確認" not in text_of(client.get("/referrals/"))
    assert client.get(f"/referrals/{referral.id}/void").status_code == 404


def test_a_referral_that_opens_a_case_tells_its_assignee_only(client, auth, make):
    from casework.models import Notification

    coord = make.user("os", centers=["onestop"])
    member = make.user("sk", role="succession", centers=["succession"])
    make.user("sk2", role="succession", centers=["succession"])
    c = make.client("株式会社担当通知")
    auth.login(coord)
    assert _refer_to_succession(client, make, c, open_case="y", to_assignee_id=member.id).status_code == 302
    referral = db.session.scalar(select(Referral))
    [note] = db.session.scalars(select(Notification).where(Notification.kind == "referral"))
    assert note.user_id == member.id and note.link == f"/cases/{referral.to_case_id}"
