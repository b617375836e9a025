"""The report engine per aggregation, filter and column kind, on factory-made records:
program / activity / category / side / course / milestone / outcome filters; records, distinct
clients and sums; registrations held at the year's end; 千円 rounding; 累計 with opening
balances; list tables; the printed layout (combined cells) and the Word document."""
import datetime as dt
import io

from sqlalchemy import select

from casework.extensions import db
from casework.models import (
    CaseMilestone, Consultation, Event, Grant, Introduction, ProgramTerm, Registration,
)
from casework.reporting import annual_report, filed_tables, monthly_tally, render_docx
from casework.services.programs import program_by_code


def _section(report, key):
    return next(s for s in report["sections"] if s["key"] == key)


def _row(report, section, key):
    return next(r for r in _section(report, section)["rows"] if r["key"] == key)


def _term(program, kind, code):
    return db.session.scalar(select(ProgramTerm).where(ProgramTerm.program_id == program_by_code(program).id,
                                                       ProgramTerm.kind == kind, ProgramTerm.code == code))


def _consult(make, program, day, center="onestop", **kw):
    p = program_by_code(program)
    client = kw.pop("client", None) or make.client()
    case = make.case(client, center_code=p.center.code, opened_on=dt.date(2020, 4, 1))
    c = Consultation(client_id=client.id, case_id=case.id, center_id=p.center_id, channel_code=kw.pop("channel", "window"),
                     held_on=day, program_id=p.id, **kw)
    db.session.add(c)
    db.session.commit()
    return c


def test_consultations_by_activity_and_category_term(app, make):
    for code, n in (("company_visit", 3), ("advice", 2)):
        for i in range(n):
            _consult(make, "rd_coordination", dt.date(2023, 5, 1 + i),
                     activity_id=_term("rd_coordination", "activity", code).id)
    _consult(make, "rd_coordination", dt.date(2022, 6, 1), activity_id=_term("rd_coordination", "activity", "advice").id)
    _consult(make, "subcontracting", dt.date(2023, 7, 1),
             category_id=_term("subcontracting", "category", "subcontract_act").id)
    report = annual_report(2023)
    assert _row(report, "rd_coordination", "company_visit")["current"] == 3
    assert (_row(report, "rd_coordination", "advice")["previous"], _row(report, "rd_coordination", "advice")["current"]) == (1, 2)
    assert _row(report, "rd_coordination", "total")["current"] == 5
    assert _row(report, "subcontracting", "subcontract_act")["current"] == 1
    assert _row(report, "subcontracting", "other")["current"] == 0
    assert _row(report, "subcontracting", "total")["current"] == 1
    assert monthly_tally(2023, 5)["sections"]["rd_coordination"]["company_visit"] == 3


def test_registrations_count_at_the_year_end_and_introductions_by_outcome(app, make):
    p = program_by_code("trade_matching")
    buyer, supplier = _term("trade_matching", "side", "buyer"), _term("trade_matching", "side", "supplier")
    a, b, c = make.client(), make.client(), make.client()
    db.session.add_all([
        Registration(client_id=a.id, center_id=p.center_id, program_id=p.id, side_id=buyer.id,
                     registered_on=dt.date(2020, 1, 1)),
        Registration(client_id=b.id, center_id=p.center_id, program_id=p.id, side_id=buyer.id,
                     registered_on=dt.date(2021, 1, 1), ended_on=dt.date(2023, 10, 1)),  # gone before FY2023's end
        Registration(client_id=c.id, center_id=p.center_id, program_id=p.id, side_id=supplier.id,
                     registered_on=dt.date(2023, 6, 1)),
        Introduction(center_id=p.center_id, program_id=p.id, buyer_client_id=a.id, supplier_client_id=c.id,
                     introduced_on=dt.date(2023, 6, 2), outcome="concluded", outcome_on=dt.date(2023, 9, 1),
                     amount=1_234_500),
        Introduction(center_id=p.center_id, program_id=p.id, buyer_client_id=a.id, supplier_client_id=b.id,
                     introduced_on=dt.date(2023, 6, 3), outcome="concluded", outcome_on=dt.date(2023, 9, 2),
                     amount=499),
        Introduction(center_id=p.center_id, program_id=p.id, buyer_client_id=b.id, supplier_client_id=c.id,
                     introduced_on=dt.date(2023, 7, 1), outcome="not_concluded", outcome_on=dt.date(2023, 8, 1)),
    ])
    db.session.commit()
    report = annual_report(2023)
    assert (_row(report, "trade_matching", "buyers")["previous"], _row(report, "trade_matching", "buyers")["current"]) == (2, 1)
    assert _row(report, "trade_matching", "suppliers")["current"] == 1
    assert _row(report, "trade_matching", "introductions")["current"] == 3
    assert _row(report, "trade_matching", "concluded")["current"] == 2
    amount = _row(report, "trade_matching", "concluded_amount")
    assert amount["current"] == 1_234_999 and amount["printed"]["current"] == 1_235  # 千円未満四捨五入
    assert _section(report, "trade_matching")["units"]["concluded_amount"] == "千円"
    table = next(t for t in filed_tables(report) if t["key"] == "trade_matching")
    assert ["あっせん成立金額", "0千円", "1,235千円"] in table["rows"] and "※ 金額は千円未満四捨五入" in table["notes"]
    # the month's tally counts registrations held at the month's end
    assert monthly_tally(2023, 9)["sections"]["trade_matching"]["buyers"] == 2
    assert monthly_tally(2023, 10)["sections"]["trade_matching"]["buyers"] == 1


def test_grants_by_course_and_granted_amount(app, make):
    p = program_by_code("price_hike")
    course = _term("price_hike", "course", "value_added")
    for amount in (600_000, 400_400):
        g = make.client()
        db.session.add(Grant(client_id=g.id, center_id=p.center_id, program="物価高騰", program_id=p.id,
                             course_id=course.id, applied_on=dt.date(2023, 5, 1), decided_on=dt.date(2023, 6, 1),
                             decision="adopted", amount=amount, granted_on=dt.date(2023, 7, 1), granted_amount=amount))
    db.session.commit()
    report = annual_report(2023)
    assert _row(report, "price_hike", "value_added_count")["current"] == 2
    assert _row(report, "price_hike", "value_added_amount")["printed"]["current"] == 1_000
    assert _row(report, "price_hike", "logistics_count")["current"] == 0


def _opening(section, key, as_of, value):
    from casework.models import ReportOpeningBalance, ReportRow, ReportSection
    from casework.reporting.metrics import forget_definitions

    row = db.session.scalar(select(ReportRow).join(ReportSection).where(ReportSection.key == section,
                                                                         ReportRow.key == key))
    db.session.add(ReportOpeningBalance(row_id=row.id, as_of_fy=as_of, value=value))
    db.session.commit()
    forget_definitions()


def test_milestones_with_cumulative_and_opening_balance(app, make):
    _opening("revitalization", "first_consultation", 2022, 1073 - 80 - 60)
    _opening("revitalization", "jobs_retained", 2022, 15591 - 1560 - 836)
    _opening("reconstruction", "consultations", 2024, 2768)
    p = program_by_code("revitalization")
    first = _term("revitalization", "milestone", "first_consultation")
    jobs = _term("revitalization", "milestone", "jobs_retained")
    for day, number in ((dt.date(2022, 5, 1), 10), (dt.date(2023, 5, 1), 7), (dt.date(2023, 6, 1), 5)):
        case = make.case(center_code="revitalization", opened_on=dt.date(2022, 4, 1))
        db.session.add(CaseMilestone(case_id=case.id, client_id=case.client_id, center_id=p.center_id, program_id=p.id,
                                     milestone_id=first.id, achieved_on=day))
        db.session.add(CaseMilestone(case_id=case.id, client_id=case.client_id, center_id=p.center_id, program_id=p.id,
                                     milestone_id=jobs.id, achieved_on=day, number=number))
    db.session.commit()
    report = annual_report(2023)
    row = _row(report, "revitalization", "first_consultation")
    assert (row["previous"], row["current"]) == (1, 2)
    assert row["cumulative"] == (1073 - 80 - 60) + 1 + 2 and row["cumulative_from"] == 2003
    jobs_row = _row(report, "revitalization", "jobs_retained")
    assert (jobs_row["previous"], jobs_row["current"]) == (10, 12)
    assert jobs_row["cumulative"] == (15591 - 1560 - 836) + 22
    table = next(t for t in filed_tables(report) if t["key"] == "revitalization")
    assert table["header"][-1] == "累計" and any("平成15年度" in n for n in table["notes"])
    # a 累計 of the years before casework only (8(1), ended FY2023)
    assert _row(report, "reconstruction", "consultations")["cumulative"] == 2768


def test_event_lists_and_the_printed_layout(app, make):
    p = program_by_code("hr_development")
    db.session.add_all([
        Event(center_id=p.center_id, program_id=p.id, kind_code="training", held_on=dt.date(2023, 5, 10),
              ends_on=dt.date(2024, 3, 15), title="「問屋町ビジネススクール」", partners="青森総合卸センター",
              area="青森市", participants=299),
        Event(center_id=p.center_id, program_id=p.id, kind_code="training", held_on=dt.date(2023, 11, 2),
              title="「新任管理者研修」", partners="中小企業大学校仙台校", area="八戸市", participants=27),
    ])
    db.session.commit()
    report = annual_report(2023)
    listed = _section(report, "hr_development")["lists"][0]
    assert [c["label"] for c in listed["columns"]] == ["研修名", "連携機関", "日程", "開催地区", "参加人数"]
    assert listed["rows"][0] == {"title": "「問屋町ビジネススクール」", "partners": "青森総合卸センター",
                                 "dates": "令和5年5月～令和6年3月", "area": "青森市", "participants": 299}
    assert listed["rows"][1]["dates"] == "令和5年11月"
    data = render_docx(report)
    from docx import Document

    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs]
    assert "2(3) 産学官金連携人材育成支援事業" in headings
    cells = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert ["「問屋町ビジネススクール」", "青森総合卸センター", "令和5年5月～令和6年3月", "青森市", "299名"] in cells


def test_combined_cells_and_numbering_order(app, make):
    from casework.models import DispatchVisit, Expert

    expert = Expert(name="専門家A")
    db.session.add(expert)
    db.session.flush()
    client = make.client(industry_code="E")
    case = make.case(client, opened_on=dt.date(2023, 4, 1))
    for day in (1, 2, 3):
        db.session.add(DispatchVisit(client_id=client.id, case_id=case.id, center_id=case.center_id,
                                     expert_id=expert.id, held_on=dt.date(2023, 6, day)))
    db.session.commit()
    report = annual_report(2023)
    tables = filed_tables(report)
    numbers = [t["heading"].split(" ")[0] for t in tables]
    assert numbers[:3] == ["1(1)①", "1(1)②", "1(1)③"]
    dispatch = next(t for t in tables if t["key"] == "dispatch")
    assert dispatch["rows"][0] == ["派遣企業", "0社（派遣延べ回数 0回）", "1社（派遣延べ回数 3回）"]
    assert dispatch["rows"][1] == ["業種内訳", "なし", "（製造業）1社"]
    assert len(dispatch["rows"]) == 2  # 派遣延べ回数 is not repeated


def test_docx_through_the_command_line(app, runner, tmp_path):
    out = tmp_path / "report.docx"
    result = runner.invoke(args=["report", "annual", "--fy", "2023", "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    from docx import Document

    doc = Document(str(out))
    assert doc.paragraphs[0].text == "【事業実績】令和5年度"
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == ["区分", "令和4年度", "令和5年度"]
