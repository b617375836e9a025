"""Void instead of delete, for every record type (services/voiding.py, blueprints/voiding.py).

Every `…void` page is found in the URL map: it asks for a reason, refuses a stale version (409),
voids with who/when/why, is audited (confidential records under their center, marked so), and
the record then answers 404. The tests below check, per record type, that a voided record leaves
what users see: lists, the client timeline, counts and reports, matching.
"""
import datetime as dt

import pytest
from sqlalchemy import select, update

from casework.extensions import db
from casework.models import (
    AuditEntry, Case, Client, Consultation, Deal, Diagnosis, Dispatch, DispatchVisit, Event, FollowUp, Grant,
    MatchProfile, Referral,
)
from casework.models import CaseMilestone, EventAttendance, Introduction, Registration
from casework.models import Attachment, OutreachDay
from casework.reporting import annual_report
from casework.services import dispatch as dispatch_service
from casework.services import founders, referrals, succession
from casework.services.voiding import void_record

from . import lifecycle_helpers as lh
from . import world as W
from .conftest import text_of
from .factories import PASSWORD
from .test_locking import STALE_MESSAGE
from .test_route_matrix import PREFIX_SCOPES, _int_args, _rules

MODELS = {"client_id": Client, "case_id": Case, "consultation_id": Consultation, "event_id": Event,
          "dispatch_id": Dispatch, "visit_id": DispatchVisit, "followup_id": FollowUp, "grant_id": Grant,
          "referral_id": Referral, "profile_id": MatchProfile, "deal_id": Deal, "diagnosis_id": Diagnosis}
MODELS.update(registration_id=Registration, introduction_id=Introduction, milestone_id=CaseMilestone,
              attendance_id=EventAttendance)
MODELS.update(attachment_id=Attachment, day_id=OutreachDay)  # documents on records, outreach days


def _void_rules(app):
    return [r for r in _rules(app) if r.endpoint.endswith("void") and len(_int_args(r)) == 1]


def test_every_voidable_model_has_a_void_page(app):
    """Each model with voided_at has a …void page (the matrix and the test below then cover it)."""
    voidable = {m.class_ for m in db.Model.registry.mappers if "voided_at" in m.columns}
    paged = {MODELS[_int_args(r)[0]] for r in _void_rules(app)}
    assert voidable == paged, sorted(c.__name__ for c in voidable ^ paged)


def _endpoints():
    from casework import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    return sorted(r.endpoint for r in _void_rules(app))


@pytest.mark.parametrize("endpoint", _endpoints())
def test_every_void_page_needs_a_reason_refuses_a_stale_version_and_audits(app, endpoint):
    w = W.build()
    client = app.test_client()
    client.post("/auth/login", data={"login": w.users["admin"].login, "password": PASSWORD})
    rule = next(r for r in _void_rules(app) if r.endpoint == endpoint)
    param = _int_args(rule)[0]
    model = MODELS[param]
    scopes = next((v for p, v in PREFIX_SCOPES.items() if rule.rule.startswith(p)), {"onestop", "startup", "succession"})
    checked = 0
    for code in sorted(scopes):
        record_id = w.ids[code].get(param)
        if record_id is None:
            continue
        url = rule.build({param: record_id})[1]
        page = client.get(url)
        assert page.status_code == 200, url
        assert "取消の理由" in text_of(page) and 'name="version"' in page.get_data(as_text=True)
        version = db.session.get(model, record_id).version
        response = client.post(url, data={"reason": "", "version": version})
        assert response.status_code == 422 and "取消の理由を入力してください" in text_of(response)
        # someone else saves the record meanwhile: the loaded version is refused, nothing voided
        table = model.__table__
        db.session.execute(update(table).where(table.c.id == record_id).values(version=table.c.version + 1))
        db.session.commit()
        response = client.post(url, data={"reason": "誤登録", "version": version})
        assert response.status_code == 409 and STALE_MESSAGE in text_of(response), url
        db.session.expire_all()
        assert db.session.get(model, record_id).voided_at is None
        # the page now carries the current version: saving again voids it
        response = client.post(url, data={"reason": "誤登録", "version": version + 1})
        assert response.status_code == 302, (url, text_of(response))
        db.session.expire_all()
        record = db.session.get(model, record_id)
        assert record.voided_at is not None and record.void_reason == "誤登録"
        assert record.voided_by_id == w.users["admin"].id
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "void", AuditEntry.object_id == record_id,
                                                           AuditEntry.object_type == model.__name__))
        assert entry.detail["reason"] == "誤登録" and entry.user_id == w.users["admin"].id
        if code == "succession" or model in (Diagnosis, MatchProfile, Deal):
            assert entry.detail.get("confidential") is True
            if model is not Client:  # a client belongs to no center
                assert entry.center_id == W.factories.center("succession").id
        else:
            assert "confidential" not in entry.detail
        assert client.get(url).status_code == 404
        checked += 1
    assert checked


# --- what users see after a void, per record type --------------------------------------------

def _report(fy=2024):
    return {s["key"]: {r["key"]: r["current"] for r in s["rows"]} for s in annual_report(fy)["sections"]}


def test_voiding_a_visit_removes_it_from_the_dispatch_counts_and_its_report_follow_up(client, auth, make):
    requester = make.user("irai", role="coordinator", centers=["onestop"])
    other = make.user("tanin", role="coordinator", centers=["onestop"])
    case = make.case(make.client("派遣取消テスト社"))
    auth.login(requester)
    client.post("/dispatch/new", data={"case_id": case.id, "expert_id": lh.expert().id, "requested_on": "2024-05-01"})
    d = db.session.scalar(select(Dispatch))
    dispatch_service.decide_dispatch(d, approve=True, decided_on=dt.date(2024, 5, 2))
    db.session.commit()
    keep, wrong = lh.visit(d, held_on=dt.date(2024, 6, 3)), lh.visit(d, held_on=dt.date(2024, 6, 4))
    assert _report()["dispatch"]["visits"] == 2
    assert "2024-06-04" in text_of(client.get("/followups/"))  # the report follow-up of each visit
    page = text_of(client.get(f"/dispatch/{d.id}"))
    assert "訪問（2回）" in page and page.count("取消") >= 3  # the dispatch's and each visit's
    confirm = text_of(client.get(f"/dispatch/visits/{wrong.id}/void"))
    assert "派遣の訪問記録の取消" in confirm and "あわせて次の記録も取り消されます" in confirm
    response = client.post(f"/dispatch/visits/{wrong.id}/void", data={"reason": "二重入力", "version": wrong.version},
                           follow_redirects=True)
    page = text_of(response)
    assert "2024-06-04 の訪問記録を取り消しました" in page and "あわせてフォローアップ" in page
    visits = page.split("訪問（1回）")[1]
    assert "2024-06-03" in visits and "2024-06-04" not in visits
    assert "2024-06-04" not in text_of(client.get("/followups/"))
    assert "2024-06-03" in text_of(client.get("/followups/"))
    assert "2024-06-04" not in text_of(client.get(f"/clients/{case.client_id}"))
    assert _report()["dispatch"] == {"companies": 1, "visits": 1}
    assert "ワンストップ総合相談 1 1" in text_of(client.get("/dispatch/stats?fy=2024"))
    # staff void only what they entered: another coordinator may not void the requester's visit
    auth.logout()
    auth.login(other)
    assert client.get(f"/dispatch/visits/{keep.id}/void").status_code == 403
    assert "取消" not in text_of(client.get(f"/dispatch/{d.id}")).split("訪問（1回）")[1]


def test_voiding_a_dispatch_voids_its_visits_so_they_leave_the_report(client, auth, make):
    manager = make.user("boss", role="manager", centers=["onestop"])
    d = lh.dispatch(make.case(make.client("誤派遣社")))
    lh.visit(d, held_on=dt.date(2024, 6, 3))
    lh.visit(d, held_on=dt.date(2024, 7, 3))
    assert _report()["dispatch"]["visits"] == 2
    auth.login(manager)
    confirm = text_of(client.get(f"/dispatch/{d.id}/void"))
    assert "訪問 2024-06-03（中小 診断士）" in confirm and "訪問 2024-07-03（中小 診断士）" in confirm
    response = client.post(f"/dispatch/{d.id}/void", data={"reason": "別の案件に入力", "version": d.version},
                           follow_redirects=True)
    assert "派遣を取り消しました。あわせて訪問 2024-06-03" in text_of(response)
    assert "誤派遣社" not in text_of(client.get("/dispatch/"))
    assert _report()["dispatch"] == {"companies": 0, "visits": 0}
    assert db.session.query(DispatchVisit).filter(DispatchVisit.voided_at.is_(None)).count() == 0
    assert db.session.query(FollowUp).filter(FollowUp.voided_at.is_(None)).count() == 0


def test_an_im_voids_a_grant_of_their_case_and_it_leaves_the_report(client, auth, make):
    im = make.user("im1", role="im", centers=["startup"])
    other_im = make.user("im2", role="im", centers=["startup"])
    case = make.case(make.client("移住 太郎", kind="prospective_founder"), center_code="startup", assignee_id=im.id)
    grant = founders.apply_grant(case, founders.GrantData(applied_on=dt.date(2024, 5, 1)))
    founders.decide_grant(grant, decision="adopted", decided_on=dt.date(2024, 6, 1), amount=1_000_000)
    db.session.commit()
    assert _report()["grants"] == {"adopted": 1, "amount": 1_000_000}
    auth.login(other_im)
    assert client.get(f"/founders/grants/{grant.id}/void").status_code == 403
    auth.logout()
    auth.login(im)
    page = text_of(client.get(f"/founders/cases/{case.id}"))
    assert "1,000,000円" in page and "取消" in page
    response = client.post(f"/founders/grants/{grant.id}/void", data={"reason": "別人の申請", "version": grant.version},
                           follow_redirects=True)
    page = text_of(response)
    assert "移住起業支援金（申請 2024-05-01）の記録を取り消しました" in page
    assert "助成金の申請はありません" in page
    assert "grants" not in _report()  # the optional section disappears with its only record
    assert "移住起業支援金" not in text_of(client.get(f"/clients/{case.client_id}")).split("経過")[1]


def _member(make):
    return make.user("shokei", role="succession", centers=["succession"], name="承継 四郎")


def _deal(make, member):
    seller_case = make.case(make.client("秘密の売り手社"), center_code="succession", assignee_id=member.id)
    buyer_case = make.case(make.client("秘密の買い手社"), center_code="succession", assignee_id=member.id)
    seller, buyer = lh.profile(seller_case), lh.profile(buyer_case, side="buyer")
    deal = succession.propose_deal(seller, buyer, dt.date(2024, 5, 1), by=member)
    db.session.commit()
    return seller, buyer, deal


def test_voiding_a_profile_takes_its_deals_and_leaves_matching(client, auth, make):
    member = _member(make)
    seller, buyer, deal = _deal(make, member)
    auth.login(member)
    assert seller.code_name in text_of(client.get(f"/succession/profiles/{buyer.id}"))  # a candidate
    confirm = text_of(client.get(f"/succession/profiles/{seller.id}/void"))
    assert f"ディール {seller.code_name} → {buyer.code_name}（提案）" in confirm
    response = client.post(f"/succession/profiles/{seller.id}/void", data={"reason": "誤登録", "version": seller.version},
                           follow_redirects=True)
    assert f"{seller.code_name} を取り消しました" in text_of(response)
    index = text_of(client.get("/succession/"))
    assert seller.code_name not in index and buyer.code_name in index
    assert seller.code_name not in text_of(client.get(f"/succession/profiles/{buyer.id}"))  # no longer a candidate
    assert seller.code_name not in text_of(client.get("/succession/deals/"))
    assert client.get(f"/succession/deals/{deal.id}").status_code == 404
    assert "M&A" not in text_of(client.get(f"/clients/{seller.case.client_id}")).split("経過")[1]
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "void")))
    assert {(e.object_type, e.detail.get("confidential")) for e in entries} == {("MatchProfile", True), ("Deal", True)}


def test_a_deal_entered_by_mistake_is_voided_not_broken(client, auth, make):
    member = _member(make)
    seller, buyer, deal = _deal(make, member)
    auth.login(member)
    assert "取消（誤登録）" in text_of(client.get(f"/succession/deals/{deal.id}"))
    confirm = text_of(client.get(f"/succession/deals/{deal.id}/void"))
    assert "破談になった場合は取り消さず" in confirm
    response = client.post(f"/succession/deals/{deal.id}/void", data={"reason": "組み合わせ違い", "version": deal.version},
                           follow_redirects=True)
    assert f"ディール {seller.code_name} → {buyer.code_name} を取り消しました" in text_of(response)
    assert seller.code_name not in text_of(client.get("/succession/deals/"))
    assert seller.code_name in text_of(client.get("/succession/"))  # the profiles stay
    profile_page = text_of(client.get(f"/succession/profiles/{seller.id}"))
    assert "提案" in profile_page and "秘密保持契約" not in profile_page
    response = client.post("/succession/deals/propose", data={"seller_id": seller.id, "buyer_id": buyer.id,
                                                             "proposed_on": "2024-05-02"}, follow_redirects=True)
    assert "この組み合わせの提案は取り消されています（組み合わせ違い）" in text_of(response)
    assert db.session.get(Deal, deal.id).stage == "proposed"  # not 破談


def test_voiding_a_diagnosis_leaves_the_count_and_may_reveal_the_client(client, auth, make):
    member = _member(make)
    coordinator = make.user("coord", role="coordinator", centers=["onestop"])
    company = make.client("診断だけの会社")
    diagnosis = succession.record_diagnosis(company, succession.DiagnosisData(
        held_on=dt.date(2024, 6, 1), by_org="商工会議所", result="誤って入力"), W.factories.center("succession").id,
        by=member)
    db.session.commit()
    assert _report()["succession"]["diagnoses"] == 1
    auth.login(coordinator)
    assert client.get(f"/clients/{company.id}").status_code == 404  # known only through the diagnosis
    auth.logout()
    auth.login(member)
    assert "誤って入力" in text_of(client.get("/succession/diagnoses/"))
    response = client.post(f"/succession/diagnoses/{diagnosis.id}/void",
                           data={"reason": "別の会社の診断", "version": diagnosis.version}, follow_redirects=True)
    page = text_of(response)
    assert "診断だけの会社の事業承継診断（2024-06-01）を取り消しました" in page and "診断の記録はありません" in page
    assert _report()["succession"]["diagnoses"] == 0
    auth.logout()
    auth.login(coordinator)
    assert client.get(f"/clients/{company.id}").status_code == 200


def test_follow_up_and_referral_voids_leave_lists_and_timeline(client, auth, make):
    coordinator = make.user("coord", role="coordinator", centers=["onestop"])
    case = make.case(make.client("紹介取消社"), assignee_id=coordinator.id)
    auth.login(coordinator)
    client.post("/followups/new", data={"case_id": case.id, "due_on": "2024-09-01", "reason": "3か月後の確認"})
    followup = db.session.scalar(select(FollowUp))
    referral = referrals.refer_client(case.client, referrals.ReferralData(
        from_center_id=case.center_id, to_center_id=W.factories.center("yorozu").id, referred_on=dt.date(2024, 5, 1),
        consent_on=dt.date(2024, 5, 1), consent_method="書面"), by=coordinator)
    db.session.commit()
    assert "3か月後の確認" in text_of(client.get(f"/clients/{case.client_id}"))
    assert "紹介取消社" in text_of(client.get("/referrals/"))
    client.post(f"/followups/{followup.id}/void", data={"reason": "重複", "version": followup.version})
    response = client.post(f"/referrals/{referral.id}/void", data={"reason": "紹介先違い", "version": referral.version},
                           follow_redirects=True)
    assert "紹介取消社の紹介（2024-05-01）を取り消しました" in text_of(response)
    assert "紹介の記録はありません" in text_of(response)
    timeline = text_of(client.get(f"/clients/{case.client_id}")).split("経過")[1]
    assert "3か月後の確認" not in timeline and "よろず支援拠点" not in timeline
    assert "3か月後の確認" not in text_of(client.get("/followups/?scope=all&status=all"))


def test_voided_event_and_consultation_leave_the_report(app, make):
    admin = make.user("adm", role="admin", centers=[])
    day = make.event(held_on=dt.date(2024, 6, 1))
    make.event(held_on=dt.date(2024, 7, 1))
    visit = make.consultation(held_on=dt.date(2024, 6, 5), channel="visit")
    assert (_report()["yorozu"]["outreach_days"], _report()["onestop"]["visit"]) == (2, 1)
    void_record(day, "重複登録", admin)
    void_record(visit, "重複登録", admin)
    db.session.commit()
    assert (_report()["yorozu"]["outreach_days"], _report()["onestop"]["visit"]) == (1, 0)
