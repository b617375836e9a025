"""The interchange contract's extensions (docs/interchange.md): Japanese column headers, XLSX
workbooks, a re-saved CSV's year-less dates, the program column and the new record kinds."""
import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import (
    Case, CaseMilestone, Client, Consultation, Event, EventAttendance, Grant, Introduction, Program, ProgramTerm,
    Registration,
)
from casework.services.legacy_import import apply_plan, validate_files


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def plan_of(files):
    return validate_files([(name, data if isinstance(data, bytes) else data.encode("utf-8"))
                           for name, data in files.items()])


def imported(files):
    plan = plan_of(files)
    assert plan.errors == [], plan.error_lines()
    return apply_plan(plan)


def program_code(program_id):
    return db.session.scalar(select(Program.code).where(Program.id == program_id))


def term_code(term_id):
    return db.session.scalar(select(ProgramTerm.code).where(ProgramTerm.id == term_id))


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Japanese headers ---------------------------------------------------------------------------

def test_japanese_column_headers_are_aliases_of_the_columns(app):
    counts = imported({
        "相談先.csv": "管理番号,相談先名,フリガナ,区分,法人番号,業種,市町村,従業員数\n"
                    "C1,株式会社青森,アオモリ,法人,2260181590830,製造業,八戸市,12\n",
        "consultations.csv": "管理番号,相談先番号,センター,相談方法,相談日,相談テーマ,相談内容\n"
                             "S1,C1,ワンストップ総合相談,窓口,R6.5.1,資金繰り;IT,試算表を確認\n",
    })
    assert counts == {"clients": (1, 0), "consultations": (1, 0)}
    client = db.session.scalar(select(Client))
    assert (client.name, client.corporate_number, client.industry_code, client.employees) == (
        "株式会社青森", "2260181590830", "E", 12)
    consultation = db.session.scalar(select(Consultation))
    assert consultation.held_on == dt.date(2024, 5, 1) and consultation.notes == "試算表を確認"


def test_problems_name_the_column_as_the_sheet_writes_it(app):
    plan = plan_of({"clients.csv": "管理番号,相談先名\nC1,一\n",
                    "consultations.csv": "管理番号,相談先番号,センター,相談方法,相談日\nS1,C1,onestop,窓口,2024-13-01\n"})
    assert [line.split(": ")[:2] for line in plan.error_lines()] == [["consultations.csv:2", "相談日"]]


def test_a_column_given_twice_under_two_names_is_refused(app):
    plan = plan_of({"clients.csv": "ref,管理番号,name\nC1,C1,一\n"})
    assert plan.error_lines() == ["clients.csv:1: 管理番号: 列が重複しています（ref と同じ列）"]


# --- XLSX ---------------------------------------------------------------------------------------

def test_an_xlsx_workbook_imports_a_sheet_per_kind_with_dates_and_numbers_as_cells(runner, tmp_path):
    (tmp_path / "実績.xlsx").write_bytes(xlsx({
        "相談先": [["管理番号", "相談先名", "従業員数", "法人番号", "市町村"],
                ["C1", "株式会社青森", 12, 2260181590830, 22039]],
        "相談記録": [["管理番号", "相談先番号", "センター", "相談方法", "相談日"],
                 ["S1", "C1", "onestop", "窓口", dt.datetime(2024, 5, 1)],
                 [None, None, None, None, None],
                 ["S2", "C1", "onestop", "巡回", dt.date(2024, 6, 3)]],
    }))
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["clients: 1 created, 0 updated", "consultations: 2 created, 0 updated"]
    client = db.session.scalar(select(Client))
    assert (client.employees, client.corporate_number, client.municipality_code) == (12, "2260181590830", "022039")
    assert sorted(c.held_on for c in db.session.scalars(select(Consultation))) == [dt.date(2024, 5, 1),
                                                                                  dt.date(2024, 6, 3)]
    again = runner.invoke(args=["import", str(tmp_path / "実績.xlsx")])
    assert again.stdout.splitlines() == ["clients: 0 created, 0 updated", "consultations: 0 created, 0 updated"]


def test_xlsx_problems_name_the_sheet_row_and_column_and_formulas_are_refused(runner, tmp_path):
    (tmp_path / "book.xlsx").write_bytes(xlsx({
        "clients": [["ref", "name", "employees"], ["C1", "一", "=2*3"], ["C2", "二", 5]],
        "相談記録": [["ref", "client_ref", "center", "channel", "held_on"], ["S1", "C1", "onestop", "window", "2024-02-30"]],
        "メモ": [["自由記述"]],
    }))
    result = runner.invoke(args=["import", str(tmp_path / "book.xlsx")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "book.xlsx[clients]:2: employees: 数式は取り込めません（セルをコピーして「値のみ貼り付け」してください）" in lines
    assert any(line.startswith("book.xlsx[相談記録]:2: held_on: ") for line in lines), lines
    assert any(line.startswith("book.xlsx[メモ]:1: -: シート名から種類が分かりません") for line in lines), lines
    assert count(Client) == count(Consultation) == 0


def test_a_damaged_workbook_is_a_clean_refusal(runner, tmp_path):
    (tmp_path / "clients.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    result = runner.invoke(args=["import", str(tmp_path / "clients.xlsx")])
    assert result.exit_code == 1 and result.stderr.startswith("clients.xlsx:1: -: XLSX として読めません")


def test_the_web_import_reads_xlsx(client, auth, make):
    auth.login(make.user("root", role="admin", centers=[]))
    data = xlsx({"相談先": [["管理番号", "相談先名"], ["C1", "株式会社青森"]]})
    response = client.post("/imports/", data={"files": [(io.BytesIO(data), "実績.xlsx")]},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    token = response.get_data(as_text=True).split('name="token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/imports/apply", data={"token": token})
    assert db.session.scalar(select(Client.name)) == "株式会社青森"


# --- re-saved CSV -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Mar 31", "31-Mar", "3月31日", "Mar-31"])
def test_a_date_without_a_year_says_what_to_do(app, text):
    plan = plan_of({"clients.csv": "ref,name\nC1,一\n",
                    "consultations.csv": f"ref,client_ref,center,channel,held_on\nS1,C1,onestop,window,{text}\n"})
    (line,) = plan.error_lines()
    assert line.startswith(f"consultations.csv:2: held_on: {text}: 年のない日付です")
    assert ".xlsx のまま取り込む" in line and "YYYY-MM-DD" in line


# --- programs and new kinds ---------------------------------------------------------------------

def test_records_without_a_program_get_their_centers_default_so_old_files_mean_the_same(app):
    imported({"clients.csv": "ref,name\nC1,一\n",
              "cases.csv": "ref,client_ref,center,opened_on\nK1,C1,startup,2024-04-01\n",
              "consultations.csv": "ref,client_ref,center,channel,held_on\nS1,C1,onestop,window,2024-05-01\n"
                                   "S2,C1,startup,window,2024-05-02\n",
              "events.csv": "ref,center,kind,held_on\nE1,yorozu,outreach_day,2024-05-01\n",
              "dispatches.csv": "ref,client_ref,center,expert,held_on\nD1,C1,onestop,技術 次郎,2024-05-01\n",
              "diagnoses.csv": "ref,client_ref,held_on\nG1,C1,2024-05-01\n"})
    programs = {c.ref: program_code(c.program_id) for c in db.session.scalars(select(Consultation))}
    assert programs == {"S1": "onestop", "S2": "startup"}
    assert program_code(db.session.scalar(select(Event.program_id))) == "yorozu"
    from casework.models import Diagnosis, DispatchVisit

    assert program_code(db.session.scalar(select(DispatchVisit.program_id))) == "expert_dispatch"
    assert program_code(db.session.scalar(select(Diagnosis.program_id))) == "succession"
    assert all(c.program_id is not None for c in db.session.scalars(select(Case)))


def test_a_program_column_with_its_vocabulary(app):
    imported({"clients.csv": "ref,name\nC1,一\n",
              "consultations.csv": "ref,client_ref,center,channel,held_on,事業,活動区分\n"
                                   "S1,C1,technology,visit,2024-05-01,rd_coordination,企業訪問\n"
                                   "S2,C1,technology,window,2024-05-02,あおり産学官金連携による新ビジネス創発支援事業,advice\n"})
    rows = {c.ref: (program_code(c.program_id), term_code(c.activity_id)) for c in db.session.scalars(select(Consultation))}
    assert rows == {"S1": ("rd_coordination", "company_visit"), "S2": ("rd_coordination", "advice")}
    case = db.session.scalar(select(Case))
    assert program_code(case.program_id) == "rd_coordination"  # the case the consultation opened: its program


def test_a_program_of_another_center_or_a_term_of_another_program_is_refused(app):
    plan = plan_of({"clients.csv": "ref,name\nC1,一\n",
                    "consultations.csv": "ref,client_ref,center,channel,held_on,program,activity\n"
                                         "S1,C1,onestop,visit,2024-05-01,rd_coordination,\n"
                                         "S2,C1,technology,visit,2024-05-01,rd_coordination,下請代金法関連\n"})
    lines = plan.error_lines()
    assert lines[0].startswith("consultations.csv:2: program: ")
    assert lines[1].startswith("consultations.csv:3: activity: 「下請代金法関連」はこの事業")
    assert len(lines) == 2


def test_registrations_introductions_attendances_grants_and_milestones(runner, tmp_path):
    files = {
        "clients.csv": "ref,name\nB1,発注株式会社\nS1,受注株式会社\nR1,再生工業\n",
        "registrations.csv": "ref,client_ref,program,side,registered_on,ended_on\n"
                             "G1,B1,trade_matching,発注企業,2020-04-01,\nG2,S1,trade_matching,supplier,2021-05-01,2024-01-31\n",
        "introductions.csv": "ref,program,buyer_ref,supplier_ref,introduced_on,outcome,outcome_on,amount\n"
                             "I1,trade_matching,B1,S1,2023-06-01,成立,2023-07-01,1200000\n"
                             "I2,trade_matching,B1,S1,2023-08-01,,,\n",
        "events.csv": "ref,center,kind,held_on,title,program,area,ends_on,partners,participants\n"
                      "E1,trade,商談会,2023-07-12,合同商談会,trade_fairs,東京都,,,\n"
                      "E2,technology,研修,2023-05-10,新任管理者研修,hr_development,青森市,2023-06-30,中小企業大学校,40\n",
        "attendances.csv": "ref,event_ref,side,companies,companies_in_prefecture,meetings,meetings_in_prefecture,deals,"
                           "deals_in_prefecture,amount,amount_in_prefecture\n"
                           "A1,E1,発注企業,87,,,,,,,\nA2,E1,受注企業,164,21,914,128,26,3,23022000,4143000\n",
        "grants.csv": "ref,client_ref,program,course,decision,decided_on,amount,round_fy,project_fy\n"
                      "N1,S1,new_business,新事業開発コース,採択,2023-03-20,2643375,令和4年度,令和5年度\n",
        "cases.csv": "ref,client_ref,center,opened_on,program\nK1,R1,revitalization,2023-04-03,revitalization\n",
        "milestones.csv": "ref,case_ref,milestone,achieved_on,number\n"
                          "M1,K1,一次相談,2023-04-10,\nM2,K1,雇用維持効果,2023-09-01,17\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "clients: 3 created, 0 updated", "cases: 1 created, 0 updated", "events: 2 created, 0 updated",
        "registrations: 2 created, 0 updated", "introductions: 2 created, 0 updated",
        "attendances: 2 created, 0 updated", "grants: 1 created, 0 updated", "milestones: 2 created, 0 updated"]
    g2 = db.session.scalar(select(Registration).where(Registration.ref == "G2"))
    assert (term_code(g2.side_id), g2.ended_on, program_code(g2.program_id)) == (
        "supplier", dt.date(2024, 1, 31), "trade_matching")
    i1, i2 = db.session.scalars(select(Introduction).order_by(Introduction.ref)).all()
    assert (i1.outcome, i1.amount, i2.outcome) == ("concluded", 1200000, "ongoing")
    a2 = db.session.scalar(select(EventAttendance).where(EventAttendance.ref == "A2"))
    assert (a2.companies, a2.companies_in_prefecture, a2.amount_in_prefecture, term_code(a2.side_id)) == (
        164, 21, 4143000, "supplier")
    e2 = db.session.scalar(select(Event).where(Event.ref == "E2"))
    assert (e2.ends_on, e2.area, e2.partners, program_code(e2.program_id)) == (
        dt.date(2023, 6, 30), "青森市", "中小企業大学校", "hr_development")
    grant = db.session.scalar(select(Grant))
    assert (grant.round_fiscal_year, grant.project_fiscal_year, term_code(grant.course_id), grant.decision,
            grant.applied_on, grant.program) == (2022, 2023, "new_business", "adopted", dt.date(2023, 3, 20),
                                                 "新事業展開等促進")
    m2 = db.session.scalar(select(CaseMilestone).where(CaseMilestone.ref == "M2"))
    assert (m2.number, term_code(m2.milestone_id), program_code(m2.program_id)) == (17, "jobs_retained",
                                                                                    "revitalization")
    assert m2.client_id == db.session.scalar(select(Client.id).where(Client.ref == "R1"))
    again = runner.invoke(args=["import", str(tmp_path)])
    assert all(line.endswith(": 0 created, 0 updated") for line in again.stdout.splitlines()), again.stdout


def test_opening_balances_set_a_report_rows_total_before_casework(runner, tmp_path):
    from casework.models import ReportOpeningBalance

    (tmp_path / "opening_balances.csv").write_text(
        "表,行,年度,値,注記\n"
        "onestop,窓口相談,令和4年度,12000,平成15年度から\n"
        "1(1)②,outreach_days,2022,3000,\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "opening_balances: 2 created, 0 updated\n"
    rows = {(r.row.section.key, r.row.key, r.as_of_fy): (r.value, r.note)
            for r in db.session.scalars(select(ReportOpeningBalance))}
    assert rows == {("onestop", "window", 2022): (12000, "平成15年度から"), ("yorozu", "outreach_days", 2022): (3000, None)}
    (tmp_path / "opening_balances.csv").write_text("section,row,as_of_fy,value\nonestop,window,2022,12500\n"
                                                   "onestop,nothing,2022,1\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 1 and result.stderr.startswith("opening_balances.csv:3: row: 表の行「nothing」がありません")
    (tmp_path / "opening_balances.csv").write_text("section,row,as_of_fy,value\nonestop,window,2022,12500\n",
                                                   encoding="utf-8")
    assert runner.invoke(args=["import", str(tmp_path)]).stdout == "opening_balances: 0 created, 1 updated\n"
