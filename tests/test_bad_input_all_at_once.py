"""Forms: all errors at once (issue 13). A service checks every independent rule and refuses
with all of them (services/errors.Checks → DomainErrors); the form shows each beside its field
in one response, and the first field in error is the one casework.js focuses
(the first aria-invalid="true")."""
import datetime as dt
import re

import pytest

from casework.extensions import db
from casework.services.errors import DomainError

from .conftest import text_of


def messages(exc_info) -> dict[str, str]:
    exc = exc_info.value
    return {one.field: one.message for one in getattr(exc, "errors", None) or [exc]}


def invalid_fields(response) -> list[str]:
    """The names of the inputs marked in error, in page order (the first is focused)."""
    html = response.get_data(as_text=True)
    return [m.group(1) for m in re.finditer(r'<(?:input|select|textarea)[^>]*?aria-invalid="true"[^>]*?name="([^"]+)"', html)] \
        + [m.group(1) for m in re.finditer(r'<(?:input|select|textarea)[^>]*?name="([^"]+)"[^>]*?aria-invalid="true"', html)]


# --- through the forms -----------------------------------------------------------------------

def test_completing_a_followup_shows_both_service_errors_beside_their_fields(client, logged_in, make):
    from .scheduling import followup

    case = make.case(make.client("株式会社二つの誤り"), opened_on=dt.date(2024, 4, 1), assignee_id=logged_in.id)
    fu = followup(case, logged_in, dt.date(2024, 7, 1))
    response = client.post(f"/followups/{fu.id}", data={
        "version": fu.version, "completed_on": "2024-03-01",  # before the case opened
        "still_in_business": "no", "jobs_retained": "3"})  # closed down yet jobs retained
    page = text_of(response)
    assert response.status_code in (200, 422)
    assert "実施日が案件の開始日より前です。" in page and "廃業している場合、維持された雇用は0です。" in page
    assert {"completed_on", "jobs_retained"} <= set(invalid_fields(response))
    db.session.rollback()
    assert db.session.get(type(fu), fu.id).completed_on is None  # nothing saved


def test_recording_a_founding_shows_every_error_at_once(client, auth, make):
    im = make.user("im9", role="im", centers=["startup"])
    case = make.case(make.client("山田 二郎", kind="prospective_founder"), center_code="startup",
                     opened_on=dt.date(2024, 4, 10), assignee_id=im.id)
    auth.login(im)
    response = client.post(f"/founders/cases/{case.id}/founding", data={
        "version": case.version, "founded_on": "2024-04-01",  # before the case opened
        "business_name": "山田商店", "incorporated": "y", "corporate_number": "1000012010008"})  # wrong check digit
    page = text_of(response)
    assert "日付が案件の開始日より前です。" in page
    assert "法人番号が正しくありません" in page
    fields = invalid_fields(response)
    assert {"founded_on", "corporate_number"} <= set(fields)


# --- the services: every independent rule in one refusal ---------------------------------------

def test_consultation_refuses_every_problem_at_once(app, make):
    from casework.services.consultations import ConsultationData, log_consultation

    client_ = make.client("株式会社相談二件")
    center = make.center("onestop")
    with pytest.raises(DomainError) as info:
        log_consultation(client_, ConsultationData(held_on=dt.date(2024, 5, 1), channel_code="carrier_pigeon",
                                                   center_id=center.id, next_action_on=dt.date(2024, 4, 1),
                                                   event_id=2**31 - 1, theme_codes=["no_such_theme"]))
    assert set(messages(info)) == {"channel_code", "next_action_on", "event_id", "theme_codes"}


def test_case_refuses_every_problem_at_once(app, make):
    from casework.services.cases import close_case

    case = make.case(make.client("株式会社終了二件"), opened_on=dt.date(2024, 4, 1))
    with pytest.raises(DomainError) as info:
        close_case(case, closed_on=dt.date(2024, 3, 1), outcome_code="no_such_outcome")
    assert set(messages(info)) == {"closed_on", "outcome_code"}


def test_followup_creation_refuses_every_problem_at_once(app, make):
    from casework.services.followups import FollowUpData, create_followup

    case = make.case(make.client("株式会社期日二件"), opened_on=dt.date(2024, 4, 1))
    with pytest.raises(DomainError) as info:
        create_followup(FollowUpData(case_id=case.id, due_on=dt.date(2024, 3, 1), reason=" ", assignee_id=2**31 - 1))
    assert set(messages(info)) == {"reason", "due_on", "assignee_id"}


def test_grant_decision_refuses_every_problem_at_once(app, make):
    from casework.services.founders import GrantData, apply_grant, decide_grant

    case = make.case(make.client("山田 三郎", kind="prospective_founder"), center_code="startup",
                     opened_on=dt.date(2024, 4, 10))
    grant = apply_grant(case, GrantData(applied_on=dt.date(2024, 5, 1)))
    with pytest.raises(DomainError) as info:
        decide_grant(grant, decision="adopted", decided_on=dt.date(2024, 4, 1), amount=None)
    assert set(messages(info)) == {"decided_on", "amount"}
    with pytest.raises(DomainError) as info:
        apply_grant(case, GrantData(applied_on=dt.date(2024, 4, 1), program=" "))
    assert set(messages(info)) == {"program", "applied_on"}


def test_referral_refuses_every_problem_at_once(app, make):
    from casework.services.referrals import ReferralData, refer_client

    client_ = make.client("株式会社紹介二件")
    onestop = make.center("onestop")
    with pytest.raises(DomainError) as info:
        refer_client(client_, ReferralData(from_center_id=onestop.id, to_center_id=onestop.id,
                                           referred_on=dt.date(2024, 5, 1), consent_on=None, consent_method="telepathy"))
    assert set(messages(info)) == {"to_center_id", "consent_on", "consent_method"}


def test_succession_profile_and_diagnosis_refuse_every_problem_at_once(app, make):
    from casework.services.succession import DiagnosisData, ProfileData, record_diagnosis

    with pytest.raises(DomainError) as info:
        ProfileData(side="seller", region="atlantis", employees_band="huge").cleaned()
    assert set(messages(info)) == {"industry_code", "region", "employees_band"}
    client_ = make.client("株式会社承継診断")
    with pytest.raises(DomainError) as info:
        record_diagnosis(client_, DiagnosisData(held_on=dt.date(2024, 5, 1), by_org=" ", result=""),
                         make.center("succession").id)
    assert set(messages(info)) == {"by_org", "result"}


def test_staff_creation_refuses_every_problem_at_once(app, make):
    from casework.services.users import create_user

    make.user("taken1")
    with pytest.raises(DomainError) as info:
        create_user("taken1", "名前", "password1234", role="emperor", center_codes=["nowhere"])
    assert set(messages(info)) == {"login", "role", "password", "centers"}


def test_event_refuses_every_problem_at_once(app, make):
    from casework.services.events import EventData

    with pytest.raises(DomainError) as info:
        EventData(center_id=make.center("yorozu").id, kind_code="party", held_on=dt.date(2024, 6, 2),
                  ends_on=dt.date(2024, 6, 1), participants=-1, companies=-2).cleaned(None)
    assert set(messages(info)) == {"kind_code", "ends_on", "participants", "companies"}


def test_a_stale_record_is_not_collected_as_a_check(app, make):
    from casework.services.errors import Checks, StaleRecord

    case = make.case(make.client("株式会社古い版"))
    checks = Checks()
    with pytest.raises(StaleRecord):
        checks.collect(lambda: (_ for _ in ()).throw(StaleRecord(case)))


def test_the_staff_form_shows_a_taken_login_and_a_common_password_at_once(client, auth, make):
    admin = make.user("boss2", role="admin", centers=["onestop"])
    auth.login(admin)
    response = client.post("/admin/users/new", data={"login": "boss2", "name": "重複 太郎", "role": "coordinator",
                                                     "password": "password1234"})
    page = text_of(response)
    assert "ログイン名「boss2」は既に使われています。" in page
    assert "よく使われる、または推測されやすいパスワードです。" in page
    assert {"login", "password"} <= set(invalid_fields(response))
