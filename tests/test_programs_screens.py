"""Screens of programs and their record kinds: what a user sees, errors beside fields,
confidential records 404 and audited, void through the shared page."""
import datetime as dt

from sqlalchemy import select

from casework.extensions import db
from casework.models import (AuditEntry, CaseMilestone, EventAttendance, Grant, Introduction, Program, ProgramTerm,
                             Registration)
from casework.services.programs import program_by_code

from .conftest import text_of


def _term(program_code, kind, label):
    program = program_by_code(program_code)
    return db.session.scalar(select(ProgramTerm).where(ProgramTerm.program_id == program.id,
                                                       ProgramTerm.kind == kind, ProgramTerm.label == label))


# --- programs admin ---------------------------------------------------------------------------

def test_admin_sees_the_reports_programs_and_adds_one(client, auth, make):
    admin = make.user("adm", role="admin", centers=["onestop"])
    auth.login(admin)
    page = text_of(client.get("/admin/programs/"))
    assert "受発注取引推進" in page and "1(2)①" in page and "中小企業活性化" in page and "秘" in page
    assert "令和5年度で終了" in page  # 産業復興
    trade = text_of(client.get(f"/admin/programs/{program_by_code('trade_matching').id}"))
    assert "相談記録・案件・登録・あっせん紹介" in trade and "発注企業" in trade and "受注企業" in trade
    response = client.post("/admin/programs/new", data={
        "center_id": make.center("startup").id, "code": "uij_startup", "name": "UIJターン創業",
        "report_name": "UIJターン創業相談会", "report_number": "1(3)①イ", "active": "y", "sort_order": "500",
        "default_for": []})
    assert response.status_code == 302
    program = program_by_code("uij_startup")
    assert program.report_name == "UIJターン創業相談会" and program.center.code == "startup"
    detail = text_of(client.get(f"/admin/programs/{program.id}"))
    assert "UIJターン創業相談会" in detail and "創業・起業支援" in detail
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Program",
                                                      AuditEntry.action == "create")) is not None


def test_program_form_shows_errors_beside_the_fields(client, auth, make):
    auth.login(make.user("adm", role="admin"))
    response = client.post("/admin/programs/new", data={
        "center_id": make.center("onestop").id, "code": "ワンストップ", "name": "x", "report_name": "x"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "コードは半角英小文字で始まる英数字" in html
    response = client.post("/admin/programs/new", data={
        "center_id": make.center("onestop").id, "code": "onestop", "name": "x", "report_name": "x"})
    assert "このコードは既に使われています。" in response.get_data(as_text=True)
    response = client.post("/admin/programs/new", data={"center_id": make.center("onestop").id, "code": "abc"})
    text = response.get_data(as_text=True)
    assert "名称を入力してください。" in text and "報告書での名称を入力してください。" in text


def test_admin_deactivates_a_program_and_adds_a_term(client, auth, make):
    auth.login(make.user("adm", role="admin"))
    program = program_by_code("subcontracting")
    response = client.post(f"/admin/programs/{program.id}/active", data={"version": program.version, "active": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Program, program.id).active is False
    assert "使用停止" in text_of(client.get(f"/admin/programs/{program.id}"))
    response = client.post(f"/admin/programs/{program.id}/terms/new", data={
        "kind": "category", "code": "antimonopoly", "label": "独占禁止法関連", "sort_order": "40", "active": "y"})
    assert response.status_code == 302
    assert "独占禁止法関連" in text_of(client.get(f"/admin/programs/{program.id}"))
    response = client.post(f"/admin/programs/{program.id}/terms/new", data={
        "kind": "category", "code": "other", "label": "その他2"})
    assert "このコードは既に使われています。" in response.get_data(as_text=True)
    term = _term("subcontracting", "category", "その他")
    response = client.post(f"/admin/programs/terms/{term.id}/edit", data={
        "kind": "category", "code": "other", "label": "その他の相談", "version": term.version, "sort_order": "30"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgramTerm, term.id).label == "その他の相談"
    assert db.session.get(ProgramTerm, term.id).active is False  # the box was not ticked


def test_programs_admin_is_hidden_from_staff(client, logged_in):
    assert client.get("/admin/programs/").status_code == 404
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied")) is not None


# --- registrations ----------------------------------------------------------------------------

def _trade_user(make, login="trade1"):
    return make.user(login, centers=["trade"])


def test_registration_happy_path_list_and_search(client, auth, make):
    auth.login(_trade_user(make))
    make.client("株式会社八戸精密", name_kana="ハチノヘセイミツ")
    form = text_of(client.get("/registrations/new"))
    assert "受発注取引推進：受注企業" in form and "登録日" in form
    side = _term("trade_matching", "side", "受注企業")
    response = client.post("/registrations/new", data={
        "client": "八戸精密", "program_id": program_by_code("trade_matching").id, "side_id": side.id,
        "registered_on": "R5.4.1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    registration = db.session.scalar(select(Registration))
    assert registration.registered_on == dt.date(2023, 4, 1) and registration.center.code == "trade"
    detail = text_of(client.get(f"/registrations/{registration.id}"))
    assert "受注企業登録" in detail and "株式会社八戸精密" in detail and "（登録中）" in detail
    assert "株式会社八戸精密" in text_of(client.get("/registrations/?q=ハチノヘ"))
    assert "条件に合う登録企業はありません" in text_of(client.get("/registrations/?q=存在しない会社"))
    assert "株式会社八戸精密" in text_of(client.get("/registrations/?active_on=2024-03-31"))
    assert "条件に合う登録企業はありません" in text_of(client.get("/registrations/?active_on=2023-03-31"))


def test_registration_errors_show_beside_fields(client, auth, make):
    auth.login(_trade_user(make))
    make.client("株式会社青森工業")
    side = _term("trade_matching", "side", "発注企業")
    response = client.post("/registrations/new", data={
        "client": "存在しない会社", "program_id": program_by_code("trade_matching").id, "side_id": side.id,
        "registered_on": "2024-04-01"})
    assert response.status_code == 422
    assert "該当する相談先がありません" in response.get_data(as_text=True)
    response = client.post("/registrations/new", data={
        "client": "青森工業", "program_id": program_by_code("trade_matching").id, "side_id": side.id,
        "registered_on": "2024-04-01", "ended_on": "2024-03-01"})
    assert "登録終了日が登録日より前です。" in response.get_data(as_text=True)
    assert db.session.scalar(select(Registration)) is None


def test_registration_of_another_center_is_404_and_audited(client, auth, make):
    auth.login(_trade_user(make))
    make.client("株式会社弘前")
    side = _term("trade_matching", "side", "発注企業")
    client.post("/registrations/new", data={"client": "弘前", "program_id": program_by_code("trade_matching").id,
                                            "side_id": side.id, "registered_on": "2024-04-01"})
    registration = db.session.scalar(select(Registration))
    auth.logout()
    auth.login(make.user("other", centers=["onestop"]))
    assert client.get(f"/registrations/{registration.id}").status_code == 404
    assert "株式会社弘前" not in text_of(client.get("/registrations/"))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied"))
    assert entry.object_type == "Registration" and entry.object_id == registration.id


def test_registration_void(client, auth, make):
    auth.login(make.user("mgr", role="manager", centers=["trade"]))
    make.client("株式会社十和田")
    side = _term("trade_matching", "side", "発注企業")
    client.post("/registrations/new", data={"client": "十和田", "program_id": program_by_code("trade_matching").id,
                                            "side_id": side.id, "registered_on": "2024-04-01"})
    registration = db.session.scalar(select(Registration))
    assert "取消の理由" in text_of(client.get(f"/registrations/{registration.id}/void"))
    missing = client.post(f"/registrations/{registration.id}/void", data={"version": registration.version})
    assert missing.status_code == 422 and "取消の理由を入力してください。" in missing.get_data(as_text=True)
    response = client.post(f"/registrations/{registration.id}/void",
                           data={"version": registration.version, "reason": "重複登録"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).void_reason == "重複登録"
    assert client.get(f"/registrations/{registration.id}").status_code == 404
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "void",
                                                      AuditEntry.object_type == "Registration")) is not None


# --- introductions ----------------------------------------------------------------------------

def test_introduction_happy_path_and_errors(client, auth, make):
    auth.login(_trade_user(make))
    make.client("株式会社発注元")
    make.client("有限会社受注先")
    program_id = program_by_code("trade_matching").id
    response = client.post("/introductions/new", data={
        "program_id": program_id, "introduced_on": "2024-05-01", "buyer": "発注元", "supplier": "発注元",
        "outcome": "ongoing"})
    assert "発注側と受注側に同じ相談先は指定できません。" in response.get_data(as_text=True)
    response = client.post("/introductions/new", data={
        "program_id": program_id, "introduced_on": "2024-05-01", "buyer": "発注元", "supplier": "受注先",
        "outcome": "concluded", "amount": "1500000"})
    assert "成立・不成立の日付を入力してください。" in response.get_data(as_text=True)
    response = client.post("/introductions/new", data={
        "program_id": program_id, "introduced_on": "2024-05-01", "buyer": "発注元", "supplier": "受注先",
        "outcome": "concluded", "outcome_on": "2024-06-10", "amount": "1500000", "subject": "板金加工"})
    assert response.status_code == 302
    introduction = db.session.scalar(select(Introduction))
    page = text_of(client.get(f"/introductions/{introduction.id}"))
    assert "成立" in page and "1,500,000円" in page and "板金加工" in page and "有限会社受注先" in page
    listing = text_of(client.get("/introductions/?outcome=concluded&q=受注先"))
    assert "株式会社発注元" in listing and "1,500,000円" in listing


# --- grants ----------------------------------------------------------------------------------

def test_grant_of_a_program_with_course_and_next_years_project(client, auth, make):
    auth.login(make.user("tech", centers=["technology"]))
    make.client("株式会社新事業")
    course = _term("new_business", "course", "新事業開発コース")
    form = text_of(client.get("/grants/new"))
    assert "新事業展開等促進：新事業開発コース" in form and "採択の年度" in form
    response = client.post("/grants/new", data={
        "client": "新事業", "program_id": program_by_code("new_business").id, "course_id": course.id,
        "applied_on": "2023-01-10", "round_fiscal_year": "2022", "project_fiscal_year": "2023",
        "decision": "adopted", "decided_on": "2023-03-01", "amount": "2500000"})
    assert response.status_code == 302, response.get_data(as_text=True)
    grant = db.session.scalar(select(Grant))
    assert grant.business_program.code == "new_business" and grant.program == "新事業展開等促進事業"
    page = text_of(client.get(f"/grants/{grant.id}"))
    assert "令和4年度採択（令和5年度事業）" in page and "2,500,000円" in page and "新事業開発コース" in page
    assert "株式会社新事業" in text_of(client.get(f"/grants/?course_id={course.id}&round_fiscal_year=2022"))


def test_grant_errors_beside_fields(client, auth, make):
    auth.login(make.user("tech", centers=["technology"]))
    make.client("株式会社物価")
    base = {"client": "物価", "program_id": program_by_code("price_hike").id, "applied_on": "2023-06-01"}
    response = client.post("/grants/new", data={**base, "decision": "adopted"})
    assert response.status_code == 422 and "決定日を入力してください。" in response.get_data(as_text=True)
    response = client.post("/grants/new", data={**base, "granted_amount": "1000", "granted_on": "2023-07-01"})
    assert "交付は採択された申請にだけ記録できます。" in response.get_data(as_text=True)
    response = client.post("/grants/new", data={**base, "course_id": _term("new_business", "course", "販路開拓コース").id})
    assert "この事業のコース・枠から選んでください。" in response.get_data(as_text=True)
    assert db.session.scalar(select(Grant)) is None


# --- case milestones (confidential program) --------------------------------------------------

def test_milestones_on_the_case_page_confidential(client, auth, make):
    staff = make.user("kassei", centers=["revitalization"])
    case = make.case(center_code="revitalization")
    auth.login(staff)
    page = text_of(client.get(f"/cases/{case.id}"))
    assert "到達段階" in page and "＋ 到達段階を記録" in page
    jobs = _term("revitalization", "milestone", "雇用維持効果")
    program_id = program_by_code("revitalization").id
    response = client.post(f"/milestones/case/{case.id}/new", data={
        "program_id": program_id, "milestone_id": jobs.id, "achieved_on": "2024-06-01"})
    assert response.status_code == 422 and "雇用維持効果の数（名）を入力してください。" in response.get_data(as_text=True)
    response = client.post(f"/milestones/case/{case.id}/new", data={
        "program_id": program_id, "milestone_id": jobs.id, "achieved_on": "2024-06-01", "number": "25"})
    assert response.status_code == 302
    assert "25名" in text_of(client.get(f"/cases/{case.id}"))
    milestone = db.session.scalar(select(CaseMilestone))
    assert milestone.number == 25 and milestone.client_id == case.client_id
    views = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "view",
                                                        AuditEntry.object_type == "Case")).all()
    assert views  # a confidential center's case: opening it is on the record
    auth.logout()
    auth.login(make.user("outsider", centers=["onestop"]))
    assert client.get(f"/milestones/{milestone.id}/edit").status_code == 404
    assert client.get(f"/milestones/case/{case.id}/new").status_code == 404
    assert "雇用維持効果" not in text_of(client.get("/milestones/"))
    denied = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied",
                                                        AuditEntry.object_type == "CaseMilestone"))
    assert denied is not None and denied.object_id == milestone.id


def test_milestone_void(client, auth, make):
    case = make.case(center_code="revitalization")
    auth.login(make.user("kmgr", role="manager", centers=["revitalization"]))
    first = _term("revitalization", "milestone", "一次相談")
    client.post(f"/milestones/case/{case.id}/new", data={
        "program_id": program_by_code("revitalization").id, "milestone_id": first.id, "achieved_on": "2024-06-01"})
    milestone = db.session.scalar(select(CaseMilestone))
    response = client.post(f"/milestones/{milestone.id}/void", data={"version": milestone.version, "reason": "誤入力"})
    assert response.status_code == 302
    assert "到達段階はまだ記録されていません" in text_of(client.get(f"/cases/{case.id}"))
    void = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "void",
                                                      AuditEntry.object_type == "CaseMilestone"))
    assert void.detail.get("confidential") is True


# --- events: kinds, dates, attendance --------------------------------------------------------

def test_training_over_months_with_partners_and_area(client, auth, make):
    auth.login(make.user("tech", centers=["technology"]))
    response = client.post("/events/new", data={
        "kind_code": "training", "held_on": "2023-05-10", "ends_on": "2024-03-15",
        "center_id": make.center("technology").id, "program_id": program_by_code("hr_development").id,
        "title": "問屋町ビジネススクール", "partners": "青森総合卸センター", "area": "青森市", "participants": "299"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = text_of(client.get(response.headers["Location"]))
    assert "2023-05-10〜2024-03-15" in page and "青森総合卸センター" in page and "青森市" in page
    assert "産学官金連携人材育成支援事業" in page
    listing = text_of(client.get(f"/events/?program_id={program_by_code('hr_development').id}&held_from=2024-01-01"))
    assert "問屋町ビジネススクール" in listing  # still running in January
    response = client.post("/events/new", data={
        "kind_code": "training", "held_on": "2023-05-10", "ends_on": "2023-05-01",
        "center_id": make.center("technology").id})
    assert "終了日が開始日より前です。" in response.get_data(as_text=True)


def test_trade_fair_attendance_by_side_with_in_prefecture(client, auth, make):
    auth.login(make.user("trade", centers=["trade"]))
    event = make.event(center_code="trade", kind="trade_fair", held_on=dt.date(2023, 7, 12),
                       title="4道県合同商談会", program_id=program_by_code("trade_fairs").id)
    supplier = _term("trade_fairs", "side", "受注企業")
    buyer = _term("trade_fairs", "side", "発注企業")
    response = client.post(f"/events/{event.id}/attendances/new", data={
        "side_id": supplier.id, "companies": "164", "companies_in_prefecture": "21", "meetings": "914",
        "meetings_in_prefecture": "128", "deals": "26", "deals_in_prefecture": "3", "amount": "23022000",
        "amount_in_prefecture": "4143000"})
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post(f"/events/{event.id}/attendances/new", data={"side_id": buyer.id, "companies": "87"})
    page = text_of(client.get(f"/events/{event.id}"))
    assert "164社" in page and "うち県内 21社" in page and "23,022,000円" in page and "87社" in page
    response = client.post(f"/events/{event.id}/attendances/new", data={
        "side_id": supplier.id, "companies": "10", "companies_in_prefecture": "12"})
    assert response.status_code == 422 and "うち県内の社数が全体より多くなっています。" in response.get_data(as_text=True)
    response = client.post(f"/events/{event.id}/attendances/new", data={"side_id": supplier.id})
    assert "相談先か企業名を入力してください" in response.get_data(as_text=True)
    row = db.session.scalar(select(EventAttendance).where(EventAttendance.side_id == buyer.id))
    auth.logout()
    auth.login(make.user("tmgr", role="manager", centers=["trade"]))
    response = client.post(f"/events/attendances/{row.id}/void", data={"version": row.version, "reason": "二重登録"})
    assert response.status_code == 302
    page = text_of(client.get(f"/events/{event.id}"))
    assert "参加企業（87社（合計））の記録を取り消しました。" in page and "発注企業" not in page


# --- consultations and cases carry their program ------------------------------------------

def test_consultation_form_offers_programs_and_categories(client, auth, make):
    staff = make.user("kakekomi", centers=["trade"])
    auth.login(staff)
    company = make.client("株式会社下請")
    form = text_of(client.get(f"/consultations/new?client_id={company.id}"))
    assert "事業" in form and "下請かけこみ寺：下請代金法関連" in form
    program = program_by_code("subcontracting")
    category = _term("subcontracting", "category", "下請代金法関連")
    response = client.post(f"/consultations/new?client_id={company.id}", data={
        "client_id": company.id, "held_on": "2024-05-01", "channel_code": "phone",
        "center_id": make.center("trade").id, "staff_id": staff.id, "program_id": program.id,
        "category_id": category.id, "save": "保存"})
    assert response.status_code == 302, response.get_data(as_text=True)
    from casework.models import Consultation

    consultation = db.session.scalar(select(Consultation))
    assert consultation.program.code == "subcontracting" and consultation.category.label == "下請代金法関連"
    response = client.post(f"/consultations/new?client_id={company.id}", data={
        "client_id": company.id, "held_on": "2024-05-02", "channel_code": "phone",
        "center_id": make.center("trade").id, "staff_id": staff.id, "program_id": program_by_code("onestop").id,
        "save": "保存"})
    assert "選択肢から選んでください。" in response.get_data(as_text=True)  # another center's program is not offered


def test_case_form_defaults_to_my_centers_program(client, auth, make):
    auth.login(make.user("trade2", centers=["trade"]))
    company = make.client("株式会社案件")
    html = client.get(f"/cases/new?client_id={company.id}").get_data(as_text=True)
    trade_matching = program_by_code("trade_matching")
    assert f'<option selected value="{trade_matching.id}">' in html or \
        f'value="{trade_matching.id}" selected' in html


def test_client_disclosure_holds_the_program_records(client, auth, make):
    from casework.services.privacy import client_export
    from casework.services.registrations import RegistrationData, register

    company = make.client("株式会社開示")
    side = _term("trade_matching", "side", "受注企業")
    register(RegistrationData(program_id=program_by_code("trade_matching").id, side_id=side.id, client_id=company.id,
                              registered_on=dt.date(2024, 4, 1)))
    db.session.commit()
    export = client_export(company)
    assert [r["registered_on"] for r in export["data"]["registrations"]] == ["2024-04-01"] or \
        len(export["data"]["registrations"]) == 1
    assert export["data"]["introductions"] == [] and export["data"]["case_milestones"] == []
