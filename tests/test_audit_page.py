"""Admin audit search and the client data export for disclosure requests."""
import io
import json
import zipfile

from sqlalchemy import select

from casework.extensions import db
from casework.models import AuditEntry

from .conftest import text_of


def test_audit_page_is_for_admins_only(client, auth, make):
    coord = make.user("coordx", role="coordinator")
    auth.login(coord)
    assert client.get("/admin/audit/").status_code == 403
    assert client.get("/admin/privacy/").status_code == 403


def test_audit_page_redirects_to_login_when_logged_out(client):
    response = client.get("/admin/audit/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admin_filters_the_audit_log_by_user_action_object_and_date(client, auth, make):
    admin = make.user("boss", role="admin", centers=[])
    coord = make.user("coordy", role="coordinator")
    c = make.client(name="監査対象株式会社")
    client.post("/auth/login", data={"login": "coordy", "password": "wrong-password-xx"})
    auth.login(admin)
    page = text_of(client.get(f"/admin/audit/?action=login_failed&user_id={coord.id}"))
    assert "ログイン失敗" in page and "coordy" in page and "全1件" in page
    page = text_of(client.get(f"/admin/audit/?object_type=Client&object_id={c.id}"))
    assert f"相談先 #{c.id}" in page and "登録" in page
    assert "該当する記録はありません" in text_of(client.get("/admin/audit/?date_from=2001-01-01&date_to=2001-01-31"))


def test_audit_page_speaks_japanese(client, auth, make):
    """Actions, record kinds and centers by name; the detail's Japanese is readable, not \\u escapes."""
    import re

    from casework.services import audit

    auth.login(make.user("boss4", role="admin", centers=["onestop", "startup"]))
    case = make.case(make.client("監査表示株式会社"))
    audit.record("stage", case, detail={"to": "事業計画"})
    audit.record("report_received", None, object_type="DispatchVisit", object_id=7)
    db.session.commit()
    response = client.get("/admin/audit/")
    page = text_of(response)
    assert f"段階の変更 案件 #{case.id} ワンストップ総合相談" in page
    assert "変更後: 事業計画" in page  # the detail reads as labels and values, not JSON
    assert "報告書の受領 派遣の訪問 #7" in page
    assert not re.search(r"\\u[0-9a-f]{4}", response.get_data(as_text=True))
    used = {a for (a,) in db.session.execute(select(AuditEntry.action).distinct())}
    assert used <= set(audit.ACTIONS)
    # the record kind is chosen from a list in Japanese
    html = response.get_data(as_text=True)
    assert '<option value="Case">案件</option>' in html
    assert f"案件 #{case.id}" in text_of(client.get(f"/admin/audit/?object_type=Case&object_id={case.id}"))


def test_every_recorded_action_and_record_kind_has_a_japanese_label():
    import re
    from pathlib import Path

    from casework import models
    from casework.services import audit

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(models.__file__).parent.rglob("*.py"))
    actions = set(re.findall(r'record\(\s*"([a-z_]+)"', source))
    assert actions and actions <= set(audit.ACTIONS), actions - set(audit.ACTIONS)
    kinds = {m.__name__ for m in vars(models).values() if isinstance(m, type) and hasattr(m, "__tablename__")
             and hasattr(m, "id") and m.__name__ not in ("AuditEntry", "Notification", "JobRun", "CaseStageChange",
                                                          "DealStep", "Channel", "Theme", "Industry", "Municipality",
                                                          "EventKind", "Outcome", "DispatchProgram")}
    assert kinds <= set(audit.OBJECT_TYPES), kinds - set(audit.OBJECT_TYPES)


def test_audit_page_shows_date_errors_beside_the_field(client, auth, make):
    auth.login(make.user("boss2", role="admin", centers=[]))
    response = client.get("/admin/audit/?date_from=昨日")
    assert "日付を 2024-05-10" in text_of(response)


def test_audit_page_paginates(client, auth, make):
    from casework.services import audit

    auth.login(make.user("boss3", role="admin", centers=[]))
    for i in range(60):
        audit.record("export", None, detail={"n": i})
    db.session.commit()
    page = text_of(client.get("/admin/audit/?action=export"))
    assert "全60件" in page and "次へ" in page


def test_client_export_has_everything_about_the_client_and_is_audited(client, auth, make):
    from . import world as W

    w = W.build()
    admin = w.users["admin"]
    auth.login(admin)
    cid = w.ids["succession"]["client_id"]
    assert "JSON" in text_of(client.get("/admin/privacy/?q=極秘承継"))
    response = client.get(f"/admin/privacy/clients/{cid}/export.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data())["data"]
    assert data["client"]["name"] == w.names["succession"]
    for section in ("cases", "consultations", "dispatches", "dispatch_visits", "diagnoses", "match_profiles",
                    "deals", "deal_steps", "grants", "follow_ups", "referrals", "audit_log"):
        assert data[section], section
    assert "search_text" not in data["client"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert (entry.object_type, entry.object_id, entry.user_id) == ("Client", cid, admin.id)

    response = client.get(f"/admin/privacy/clients/{cid}/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert {"client.csv", "consultations.csv", "deals.csv", "export.json"} <= set(archive.namelist())
    assert w.names["succession"] in archive.read("client.csv").decode("utf-8-sig")
    header = archive.read("consultations.csv").decode("utf-8-sig").splitlines()[0].split(",")
    assert {"番号", "相談先", "案件", "センター", "相談日", "相談方法"} <= set(header), header
    assert not [h for h in header if h.isascii()], header  # every column says what it is in Japanese


def test_client_export_is_refused_to_non_admins(client, auth, make):
    c = make.client()
    auth.login(make.user("mgr", role="manager", centers=["onestop"]))
    assert client.get(f"/admin/privacy/clients/{c.id}/export.json").status_code == 403
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export")) is None


def test_audit_detail_reads_as_japanese_with_before_after_and_links(client, auth, make):
    from casework.extensions import db
    from casework.services import audit

    admin = make.user("adm", role="admin", centers=[])
    coord = make.user("coord2", centers=["onestop"], name="相談 花子")
    c = make.client("株式会社旧商号")
    case = make.case(c)
    audit.record("change", c, user=admin, detail={"name": ["株式会社旧商号", "株式会社新商号"], "employees": [None, 12]})
    audit.record("change", case, user=admin, detail={"assignee_id": [None, coord.id]})
    audit.record("change", c, user=admin, detail={"kind": ["prospective_founder", "corporation"]})
    audit.record("stage", case, user=admin, detail={"from": "consultation", "to": "business_plan"})
    audit.record("create", None, object_type="Consultation", object_id=99, user=admin,
                 detail={"client_id": c.id, "case_id": case.id})
    db.session.commit()
    auth.login(admin)
    response = client.get("/admin/audit/")
    html, page = response.get_data(as_text=True), text_of(response)
    assert "株式会社旧商号 → 株式会社新商号" in page and "（なし） → 12" in page
    assert f"（なし） → 相談 花子（#{coord.id}）" in page
    assert f'<a href="/clients/{c.id}">相談先 #{c.id}</a>' in html
    assert f'<a href="/cases/{case.id}">案件 #{case.id}</a>' in html
    assert f'<a href="/clients/{c.id}">株式会社旧商号（#{c.id}）</a>' in html
    assert "創業予定者 → 法人" in page and "変更前: 相談" in page and "変更後: 事業計画" in page
    assert "prospective_founder" not in page and "business_plan" not in page
    assert '{"' not in page and "name:" not in page and "assignee_id" not in page and "client_id" not in page
