"""Merging duplicate clients (with undo) and restoring voided records (issue 14, "One client once")."""
import datetime as dt

from sqlalchemy import func, select

from casework.extensions import db
from casework.models import AuditEntry, Case, Client, Consultation, DispatchVisit
from casework.reporting import annual_report

from . import lifecycle_helpers as lh
from .conftest import text_of


def figures(fy=2024):
    report = annual_report(fy)
    return {(s["key"], row["key"]): row["current"] for s in report["sections"] for row in s["rows"]}


def two_records_of_one_company(make):
    first = make.client("株式会社八甲田物産", name_kana="ハッコウダブッサン")
    second = make.client("八甲田物産（株）", corporate_number="5010001008846", address="青森市新町1-1")
    expert = lh.expert()
    for c in (first, second):
        make.consultation(c, held_on=dt.date(2024, 5, 10))
        lh.visit(lh.dispatch(make.case(c, center_code="onestop"), expert_=expert), held_on=dt.date(2024, 6, 3))
    return first, second


def test_admin_merges_two_records_counts_stay_and_undo_restores_them(client, auth, make):
    admin = make.user("adm", role="admin", centers=[])
    first, second = two_records_of_one_company(make)
    before = figures()
    assert before[("dispatch", "companies")] == 2 and before[("dispatch", "visits")] == 2
    auth.login(admin)
    page = text_of(client.get(f"/clients/{first.id}"))
    assert "重複を統合" in page
    page = text_of(client.get(f"/corrections/merge?survivor_id={first.id}"))
    assert "似ている相談先（1件）" in page and "八甲田物産（株）" in page
    response = client.get(f"/corrections/merge?survivor_id={first.id}&duplicate_id={second.id}")
    page = text_of(response)
    assert "相談記録 1件" in page and "案件 2件" in page and "専門家派遣 1件" in page and "派遣の訪問 1件" in page
    assert "法人番号: 5010001008846" in page
    response = client.post(f"/corrections/merge?survivor_id={first.id}&duplicate_id={second.id}", data={
        "survivor_id": first.id, "duplicate_id": second.id, "reason": ""})
    assert response.status_code == 422 and "統合の理由を入力してください。" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Consultation).where(Consultation.client_id == second.id)) == 1
    response = client.post(f"/corrections/merge?survivor_id={first.id}&duplicate_id={second.id}", data={
        "survivor_id": first.id, "duplicate_id": second.id, "reason": "二重登録"}, follow_redirects=True)
    assert "八甲田物産（株）（#%d）を株式会社八甲田物産に統合しました" % second.id in text_of(response)
    db.session.expire_all()
    assert db.session.get(Client, second.id).voided_at is not None
    assert db.session.get(Client, first.id).corporate_number == "5010001008846"
    assert {v.client_id for v in db.session.scalars(select(DispatchVisit))} == {first.id}
    after = figures()
    assert after[("dispatch", "companies")] == 1  # one company now
    assert {k: v for k, v in after.items() if k != ("dispatch", "companies")} == \
        {k: v for k, v in before.items() if k != ("dispatch", "companies")}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "merge"))
    assert entry.object_id == first.id and entry.detail["duplicate_id"] == second.id
    audit_page = client.get("/admin/audit/?action=merge").get_data(as_text=True)
    assert f"/corrections/merges/{entry.id}/undo" in audit_page
    response = client.post(f"/corrections/merges/{entry.id}/undo", data={"reason": "別会社だった"},
                           follow_redirects=True)
    assert "統合を元に戻しました" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Client, second.id).voided_at is None
    assert db.session.get(Client, first.id).corporate_number is None
    assert figures() == before
    assert "既に元に戻されています" in text_of(client.get(f"/corrections/merges/{entry.id}/undo"))


def test_a_manager_merges_within_their_centers_only(client, auth, make):
    manager = make.user("mgr", role="manager", centers=["onestop"])
    first = make.client("株式会社岩木商事")
    second = make.client("岩木商事株式会社")
    make.consultation(first)
    make.consultation(second, center_code="yorozu")  # a center the manager does not belong to
    auth.login(manager)
    response = client.get(f"/corrections/merge?survivor_id={first.id}&duplicate_id={second.id}")
    assert "所属外のセンターの記録があります" in text_of(response) and "統合する</button>" not in response.get_data(as_text=True)
    response = client.post(f"/corrections/merge?survivor_id={first.id}&duplicate_id={second.id}",
                           data={"survivor_id": first.id, "duplicate_id": second.id, "reason": "二重登録"})
    assert response.status_code == 422
    assert db.session.get(Client, second.id).voided_at is None


def test_coordinators_cannot_merge(client, logged_in, make):
    first, second = make.client("株式会社一"), make.client("株式会社一（重複）")
    assert client.get(f"/corrections/merge?survivor_id={first.id}&duplicate_id={second.id}").status_code == 403
    assert "重複を統合" not in text_of(client.get(f"/clients/{first.id}"))


def test_admin_restores_a_voided_dispatch_with_its_visits(client, auth, make):
    admin = make.user("adm", role="admin", centers=[])
    d = lh.dispatch()
    lh.visit(d)
    auth.login(admin)
    version = d.version
    client.post(f"/dispatch/{d.id}/void", data={"reason": "誤登録", "version": version})
    db.session.expire_all()
    assert d.voided_at is not None and figures()[("dispatch", "visits")] == 0
    page = text_of(client.get("/corrections/voided/"))
    assert "専門家派遣" in page and "誤登録" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "void", AuditEntry.object_type == "Dispatch"))
    response = client.post(f"/corrections/voided/{entry.id}/restore", data={"reason": "", "version": d.version})
    assert response.status_code == 422 and "復元の理由を入力してください。" in text_of(response)
    response = client.post(f"/corrections/voided/{entry.id}/restore", data={"reason": "取消は誤り", "version": d.version},
                           follow_redirects=True)
    assert "専門家派遣を復元しました" in text_of(response) and "あわせて訪問" in text_of(response)
    db.session.expire_all()
    assert d.voided_at is None and figures()[("dispatch", "visits")] == 1
    restored = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "restore")).all()
    assert {e.object_type for e in restored} == {"Dispatch", "DispatchVisit", "FollowUp"}  # the report follow-up too
    assert client.get(f"/corrections/voided/{entry.id}/restore").status_code == 404  # nothing to restore now


def test_only_admins_restore(client, auth, make):
    manager = make.user("mgr", role="manager", centers=["onestop"])
    auth.login(manager)
    assert client.get("/corrections/voided/").status_code == 404
