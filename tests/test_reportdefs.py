"""Admins edit the report definitions in the app, preview a row on real data, and the saved row
reaches the annual report, the monthly tally and the dashboard without code."""
import datetime as dt
import re

from sqlalchemy import func, select

from casework.extensions import db
from casework.models import AuditEntry, ReportRow, ReportSection

from .conftest import text_of


def _admin(auth, make):
    admin = make.user("root", role="admin", centers=[])
    auth.login(admin)
    return admin


def _new_center(client, code="dx", name="DX支援"):
    r = client.post("/admin/centers/new", data={"code": code, "name": name, "report_title": f"{name}事業",
                                                 "sort_order": 50, "active": "y"})
    assert r.status_code == 302, r.get_data(as_text=True)


def _new_section(client, title="地域DX伴走支援事業", center="dx", number="2(9)"):
    r = client.post("/admin/report-definitions/sections/new", data={"title": title, "number": number, "center_code": center,
                                                      "active": "y"})
    assert r.status_code == 302, text_of(r)[:3000]
    return db.session.scalar(select(ReportSection).where(ReportSection.title == title))


ROW = {"label": "支援企業", "kind": "figure", "source": "consultations", "center_code": "dx", "aggregation": "clients",
       "unit": "社", "active": "y", "preview_fy": "2024"}


def test_only_admins_reach_the_definitions(client, auth, make):
    assert client.get("/admin/report-definitions/").status_code == 302  # log in first
    auth.login(make.user("mgr", role="manager", centers=["onestop"]))
    assert client.get("/admin/report-definitions/").status_code == 404
    auth.logout()
    _admin(auth, make)
    page = text_of(client.get("/admin/report-definitions/"))
    assert "報告書の定義" in page and "1(1)① ワンストップ総合相談事業 ワンストップ総合相談 4 有効" in page
    assert "7(3) 事業承継・引継ぎ支援センター事業" in page
    assert "onestop" not in page  # no raw keys on screen


def test_preview_counts_real_records_and_writes_nothing(client, auth, make):
    _admin(auth, make)
    _new_center(client)
    section = _new_section(client)
    company = make.client(name="株式会社デジタル青森")
    for day in (dt.date(2024, 5, 1), dt.date(2024, 6, 1)):
        make.consultation(company, center_code="dx", held_on=day)
    make.consultation(center_code="dx", held_on=dt.date(2023, 9, 1))
    rows_before = db.session.scalar(select(func.count(ReportRow.id)))
    audits_before = db.session.scalar(select(func.count(AuditEntry.id)))
    page = text_of(client.post(f"/admin/report-definitions/sections/{section.id}/rows/new", data={**ROW, "preview": "1"}))
    assert "試算（保存前・令和6年度の記録で計算） 区分 令和5年度 令和6年度" in page
    assert "支援企業 1社 1社" in page  # FY2023: one company; FY2024: one company twice
    assert db.session.scalar(select(func.count(ReportRow.id))) == rows_before
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audits_before
    page = text_of(client.post(f"/admin/report-definitions/sections/{section.id}/rows/new",
                               data={**ROW, "aggregation": "records", "unit": "件", "preview": "1"}))
    assert "支援企業 1件 2件" in page


def test_a_saved_row_reaches_report_tally_and_dashboard(client, auth, make):
    _admin(auth, make)
    _new_center(client)
    section = _new_section(client)
    r = client.post(f"/admin/report-definitions/sections/{section.id}/rows/new", data={**ROW, "save": "1"})
    assert r.status_code == 302, text_of(r)[:3000]
    make.consultation(make.client(), center_code="dx", held_on=dt.date(2024, 7, 3))
    report = text_of(client.get("/reports/?fy=2024"))
    assert "2(9) 地域DX伴走支援事業" in report and "支援企業 0社 1社" in report
    filed = text_of(client.get("/reports/?fy=2024&view=filed"))
    assert "2(9) 地域DX伴走支援事業" in filed and "支援企業 0社 1社" in filed
    key = section.key
    assert client.post("/tallies/2024-07/recompute").status_code == 302
    tally = text_of(client.get("/tallies/2024-07"))
    assert "2(9) 地域DX伴走支援事業 支援企業 1社" in tally and "r1" not in tally
    from casework.reporting import monthly_tally

    assert monthly_tally(2024, 7)["sections"][key] == {"r1": 1}
    dash = text_of(client.get("/reports/dashboard?fy=2024&center=dx"))
    assert "地域DX伴走支援事業" in dash and "令和6年度 1社（令和5年度 0社）" in dash


def test_reorder_and_deactivate(client, auth, make):
    _admin(auth, make)
    sections = list(db.session.scalars(select(ReportSection).order_by(ReportSection.sort_order)))
    second = sections[1]
    assert client.post(f"/admin/report-definitions/sections/{second.id}/move/up").status_code == 302
    db.session.expire_all()
    from casework.reporting import annual_report

    assert [s["key"] for s in annual_report(2024)["sections"]][:2] == ["yorozu", "onestop"]
    assert client.post(f"/admin/report-definitions/sections/{second.id}/active").status_code == 302
    db.session.expire_all()
    assert "yorozu" not in [s["key"] for s in annual_report(2024)["sections"]]
    page = text_of(client.get("/admin/report-definitions/"))
    assert re.search(r"よろず支援拠点事業 よろず支援拠点 \d+ 無効", page)


def test_bad_rows_are_refused_in_japanese(client, auth, make):
    _admin(auth, make)
    section = db.session.scalar(select(ReportSection).where(ReportSection.key == "onestop"))
    page = text_of(client.post(f"/admin/report-definitions/sections/{section.id}/rows/new",
                               data={**ROW, "center_code": "", "aggregation": "sum", "save": "1"}))
    assert "合計する項目を選んでください" in page
    page = text_of(client.post(f"/admin/report-definitions/sections/{section.id}/rows/new",
                               data={**ROW, "center_code": "", "label": "", "save": "1"}))
    assert "区分（表示名）を入力してください。" in page


def test_editing_a_row_keeps_its_key_and_shows_the_new_figure(client, auth, make):
    _admin(auth, make)
    row = db.session.scalar(select(ReportRow).join(ReportSection).where(ReportSection.key == "onestop",
                                                                         ReportRow.key == "visit"))
    make.consultation(held_on=dt.date(2024, 5, 1), channel="phone")
    page = text_of(client.get(f"/admin/report-definitions/rows/{row.id}/edit"))
    assert "巡回相談" in page
    r = client.post(f"/admin/report-definitions/rows/{row.id}/edit", data={
        "label": "巡回・電話相談", "kind": "figure", "source": "consultations", "center_code": "onestop",
        "channels": ["visit", "phone"], "aggregation": "records", "unit": "件", "active": "y", "preview_fy": "2024",
        "version": row.version, "save": "1"})
    assert r.status_code == 302, text_of(r)[:2000]
    from casework.reporting import annual_report

    rows = annual_report(2024)["sections"][0]["rows"]
    assert rows[1] == {"key": "visit", "label": "巡回・電話相談", "current": 1, "previous": 0}


def test_an_admin_section_split_by_event_prints_one_table_per_event_with_the_in_prefecture_column(client, auth, make):
    """The shape of 1(2)② (one table per 商談会, 全体 / うち県内) is open to an admin's own section,
    and a list row's printed headers can be the admin's."""
    from casework.models import EventAttendance

    _admin(auth, make)
    r = client.post("/admin/report-definitions/sections/new", data={
        "title": "地域商談会", "number": "9(1)", "center_code": "onestop", "split_by": "event",
        "column_labels": "全体;うち県内企業", "active": "y"})
    assert r.status_code == 302, text_of(r)[:2000]
    section = db.session.scalar(select(ReportSection).where(ReportSection.title == "地域商談会"))
    assert (section.split_by, section.column_labels) == ("event", "全体;うち県内企業")
    for label, sum_of, unit in (("出席企業", "companies", "社"), ("商談件数", "meetings", "件")):
        r = client.post(f"/admin/report-definitions/sections/{section.id}/rows/new", data={
            "label": label, "kind": "figure", "source": "event_attendances", "center_code": "onestop",
            "aggregation": "sum", "sum_of": sum_of, "unit": unit, "active": "y", "preview_fy": "2024"})
        assert r.status_code == 302, text_of(r)[:2000]
    r = client.post(f"/admin/report-definitions/sections/{section.id}/rows/new", data={
        "label": "開催状況", "kind": "list", "source": "events", "center_code": "onestop", "event_kinds": ["trade_fair"],
        "list_columns": ["title", "dates", "companies"], "list_headers": "title=商談会名;companies=参加企業",
        "aggregation": "records", "unit": "件", "active": "y", "preview_fy": "2024"})
    assert r.status_code == 302, text_of(r)[:2000]
    spring = make.event("onestop", kind="trade_fair", held_on=dt.date(2024, 6, 5), title="春の商談会")
    autumn = make.event("onestop", kind="trade_fair", held_on=dt.date(2024, 10, 9), title="秋の商談会")
    spring.companies = 30
    for event, companies, local, meetings, local_meetings in ((spring, 20, 8, 50, None), (autumn, 12, 12, 30, 30)):
        db.session.add(EventAttendance(event_id=event.id, center_id=event.center_id, companies=companies,
                                       companies_in_prefecture=local, meetings=meetings,
                                       meetings_in_prefecture=local_meetings))
    db.session.commit()
    page = text_of(client.get("/reports/?fy=2024"))
    assert "9(1) 地域商談会" in page and "出席企業 0社 32社" in page  # the section's own rows: both events
    assert "ア 春の商談会" in page and "区分 全体 うち県内企業 出席企業 20社 8社 商談件数 50件 -" in page
    assert "イ 秋の商談会" in page and "出席企業 12社 12社 商談件数 30件 30件" in page
    assert "商談会名 日程 参加企業 春の商談会 令和6年6月 30社" in page
    filed = text_of(client.get("/reports/?fy=2024&view=filed"))
    assert "【ア 春の商談会】 区分 全体 うち県内企業 出席企業 20社 8社" in filed
    edit = client.get(f"/admin/report-definitions/rows/{section.rows[-1].id}/edit").get_data(as_text=True)
    assert 'value="title=商談会名;companies=参加企業"' in edit  # the headers come back to the form
    r = client.post("/admin/report-definitions/sections/new", data={
        "title": "見出しだけ", "column_labels": "全体;うち県内;ほか", "split_by": "event", "active": "y"})
    assert r.status_code == 200 and "2つまで" in text_of(r)
