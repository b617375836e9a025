"""The reports pages: the annual report on screen, downloads, drill-down, dashboard."""
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from casework.extensions import db
from casework.models import AuditEntry, Diagnosis, Theme

from .conftest import text_of

FY = 2024


@pytest.fixture
def figures(make):
    """FY2024: 3 窓口 + 1 巡回 at onestop; FY2023: 2 窓口; succession: 2 consultations of one company."""
    a = make.client(name="株式会社あおもり技研")
    for day in (dt.date(2024, 4, 10), dt.date(2024, 5, 1), dt.date(2025, 3, 31)):
        make.consultation(a, held_on=day, theme_codes=["marketing"])
    make.consultation(held_on=dt.date(2024, 6, 3), channel="visit", theme_codes=["it", "marketing"])
    make.consultation(held_on=dt.date(2023, 4, 1))
    make.consultation(held_on=dt.date(2024, 3, 31))
    make.consultation(held_on=dt.date(2025, 4, 1))  # FY2025: not counted
    seller = make.client(name="株式会社ひみつ承継")
    make.consultation(seller, center_code="succession", held_on=dt.date(2024, 7, 1))
    make.consultation(seller, center_code="succession", held_on=dt.date(2024, 8, 1))
    return a


def row_cells(page_text, label):
    m = re.search(re.escape(label) + r" ([\d,]+)(\S) ([\d,]+)\2", page_text)
    assert m, f"{label} not in {page_text[:2000]}"
    return int(m[1].replace(",", "")), int(m[3].replace(",", ""))


ROUTES = ["/reports/", "/reports/2024/report.csv", "/reports/2024/report.xlsx", "/reports/2024/onestop/window",
          "/reports/dashboard"]


@pytest.mark.parametrize("url", ROUTES)
def test_logged_out_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_report_shows_the_figures_in_the_report_layout(client, logged_in, figures):
    page = text_of(client.get(f"/reports/?fy={FY}"))
    assert "事業実績 令和6年度" in page
    assert "区分 令和5年度 令和6年度" in page
    assert row_cells(page, "窓口相談") == (2, 3)
    assert row_cells(page, "巡回相談") == (0, 1)
    assert row_cells(page, "計") == (2, 4)
    assert "主な相談テーマ" in page and "マーケティング （4件）" in page and "IT （1件）" in page
    assert "専門家派遣事業" in page and "派遣企業 0社 0社" in page
    # a one-stop coordinator does not see the other centers' sections, least of all succession
    assert "事業承継" not in page and "よろず支援拠点事業" not in page


def test_default_year_is_the_current_fiscal_year(client, logged_in):
    from casework.dates import fiscal_year, fy_label, today_jst

    assert f"事業実績 {fy_label(fiscal_year(today_jst()))}" in text_of(client.get("/reports/"))


def test_succession_section_for_its_members_and_admins(client, auth, make, figures):
    member = make.user("shoukei", role="succession", centers=["succession"])
    auth.login(member)
    page = text_of(client.get(f"/reports/?fy={FY}"))
    assert "事業承継・引継ぎ支援センター事業" in page
    assert row_cells(page, "相談企業数") == (0, 1) and row_cells(page, "相談件数") == (0, 2)
    assert "ワンストップ総合相談事業" not in page
    drill = client.get(f"/reports/{FY}/succession/companies")
    assert drill.status_code == 200 and "株式会社ひみつ承継" in text_of(drill)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "view")).detail["section"] == "succession"
    auth.logout()
    auth.login(make.user("root", role="admin", centers=[]))
    page = text_of(client.get(f"/reports/?fy={FY}"))
    for title in ("ワンストップ総合相談事業", "よろず支援拠点事業", "専門家派遣事業", "創業・起業伴走型支援事業",
                  "事業承継・引継ぎ支援センター事業"):
        assert title in page


def test_succession_drilldown_and_download_are_hidden_from_others(client, logged_in, figures):
    assert client.get(f"/reports/{FY}/succession/companies").status_code == 404
    assert client.get(f"/reports/{FY}/succession/consultations").status_code == 404
    assert client.get(f"/reports/?fy={FY}&center=succession").status_code == 404
    csv_text = client.get(f"/reports/{FY}/report.csv").get_data().decode("utf-8-sig")
    assert "succession" not in csv_text and "事業承継" not in csv_text


def test_drilldown_lists_exactly_the_counted_records(client, logged_in, figures):
    page = text_of(client.get(f"/reports/{FY}/onestop/window"))
    assert "窓口相談 令和6年度" in page
    assert "報告書の数値: 3件" in page and "全3件" in page
    assert page.count("株式会社あおもり技研") == 3
    assert "2025-03-31" in page and "2024-03-31" not in page and "2025-04-01" not in page
    previous = text_of(client.get(f"/reports/{FY - 1}/onestop/window"))
    assert "報告書の数値: 2件" in previous and "全2件" in previous
    month = text_of(client.get(f"/reports/{FY}/onestop/window?month=2024-05"))
    assert "2024年5月" in month and "全1件" in month


def test_drilldown_of_a_distinct_count_lists_each_company_once(client, auth, make):
    member = make.user("shoukei", role="succession", centers=["succession"])
    seller = make.client(name="株式会社ひみつ承継")
    for day in (dt.date(2024, 7, 1), dt.date(2024, 8, 1), dt.date(2024, 9, 1)):
        make.consultation(seller, center_code="succession", held_on=day)
    make.consultation(center_code="succession", held_on=dt.date(2024, 9, 2))
    auth.login(member)
    page = text_of(client.get(f"/reports/{FY}/succession/companies"))
    assert "報告書の数値: 2社" in page and "全2件" in page
    assert page.count("株式会社ひみつ承継") == 1


def test_drilldown_links_only_to_clients_the_viewer_may_open(client, logged_in, figures):
    html = client.get(f"/reports/{FY}/onestop/window").get_data(as_text=True)
    assert f'/clients/{figures.id}"' in html


@pytest.mark.parametrize("url", [
    "/reports/?fy=abc", "/reports/?fy=1999", "/reports/2024/onestop/nothing", "/reports/2024/nothing/window",
    "/reports/2024/onestop/window?month=2023-05", "/reports/2024/onestop/window?month=2024-13",
    "/reports/2024/report.pdf", "/reports/?center=yorozu", "/reports/dashboard?center=succession",
])
def test_bad_arguments_answer_404(client, logged_in, figures, url):
    assert client.get(url).status_code == 404


def test_csv_download_holds_the_same_figures_and_is_audited(client, logged_in, figures):
    response = client.get(f"/reports/{FY}/report.csv")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=UTF-8''" in disposition
    assert "%E4%BB%A4%E5%92%8C6%E5%B9%B4%E5%BA%A6" in disposition  # 令和6年度, percent-encoded
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert "onestop,window,ワンストップ総合相談事業,窓口相談,2,3" in lines
    assert "onestop,total,ワンストップ総合相談事業,計,2,4" in lines
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.detail["fiscal_year"] == FY and entry.detail["format"] == "csv"


def test_xlsx_download_holds_the_same_figures(client, logged_in, figures):
    response = client.get(f"/reports/{FY}/report.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = {(r[0], r[1]): r[4:6] for r in sheet.iter_rows(values_only=True)}
    assert rows[("onestop", "window")] == (2, 3)
    assert rows[("onestop", "visit")] == (0, 1)


def test_exports_never_turn_text_into_formulas(client, logged_in, make):
    db.session.add(Theme(code="evil", label="=HYPERLINK(\"http://x\",\"y\")", sort_order=1))
    db.session.commit()
    make.consultation(held_on=dt.date(2024, 5, 1), theme_codes=["evil"])
    csv_text = client.get(f"/reports/{FY}/report.csv").get_data().decode("utf-8-sig")
    assert "=HYPERLINK" in csv_text
    assert not any(cell.startswith("=") for line in csv_text.splitlines() for cell in line.split(","))
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/{FY}/report.xlsx").get_data())).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_dashboard_charts_this_year_against_the_last(client, logged_in, figures):
    response = client.get(f"/reports/dashboard?fy={FY}")
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "ダッシュボード：ワンストップ総合相談" in page
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-monthly"') >= 3
    # 窓口相談 chart: April 2023 and April 2024 one each; May only in FY2024
    assert "窓口相談 月別" in html
    assert "4月: 令和5年度 1件、令和6年度 1件。5月: 令和5年度 0件、令和6年度 1件" in html
    assert "マーケティング 4件" in html  # main themes bar chart description
    assert "style=" not in html.split("<main", 1)[1]


def test_dashboard_of_a_center_not_mine_is_404(client, logged_in):
    assert client.get("/reports/dashboard?center=yorozu").status_code == 404


def test_imported_sample_figures_on_page_drilldown_and_downloads(client, auth, make):
    from pathlib import Path

    from casework.services.legacy_import import apply_plan, validate_files

    folder = Path(__file__).parent / "data" / "legacy-import"
    plan = validate_files(sorted(folder.glob("*.csv")))
    assert not plan.errors
    apply_plan(plan)
    auth.login(make.user("boss", role="manager", centers=["onestop", "yorozu", "startup"]))
    page = text_of(client.get("/reports/?fy=2025"))
    assert row_cells(page, "窓口相談") == (61, 74)
    assert "事業承継・引継ぎ支援センター事業" not in page  # a manager sees their own centers only
    drill = text_of(client.get("/reports/2025/onestop/window"))
    assert "報告書の数値: 74件" in drill and "全74件" in drill
    assert "全61件" in text_of(client.get("/reports/2024/onestop/window"))
    companies = text_of(client.get("/reports/2025/dispatch/companies"))
    assert "報告書の数値: 4社" in companies and "全4件" in companies
    lines = client.get("/reports/2025/report.csv").get_data().decode("utf-8-sig").splitlines()
    assert "onestop,window,ワンストップ総合相談事業,窓口相談,61,74" in lines
    sheet = load_workbook(io.BytesIO(client.get("/reports/2025/report.xlsx").get_data())).active
    assert {(r[0], r[1]): r[4:6] for r in sheet.iter_rows(values_only=True)}[("onestop", "window")] == (61, 74)
    dash = client.get("/reports/dashboard?fy=2025&center=onestop").get_data(as_text=True)
    assert "令和7年度 74件（令和6年度 61件）" in text_of_html(dash)


def text_of_html(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_dashboard_series_agree_with_the_monthly_tally(app, make, figures):
    from casework.reporting import monthly_tally
    from casework.services.reports import dashboard_series, fy_months

    admin = make.user("root", role="admin", centers=[])
    data = dashboard_series(admin, "onestop", FY)
    rows = {(s["key"], r["key"]): r for s in data["sections"] for r in s["rows"]}
    for i, (year, month) in enumerate(fy_months(FY)):
        tally = monthly_tally(year, month, center_codes={"onestop"})["sections"]
        assert rows[("onestop", "window")]["current"][i] == tally["onestop"]["window"]
        assert rows[("onestop", "total")]["current"][i] == tally["onestop"]["total"]
    assert sum(rows[("onestop", "total")]["current"]) == rows[("onestop", "total")]["current_total"] == 4


def test_sections_beyond_the_contract_appear_when_they_count_something(client, auth, make, logged_in):
    from casework.models import Grant

    page = text_of(client.get(f"/reports/?fy={FY}"))
    assert "研修・セミナー" not in page and "商談会" not in page
    make.event("onestop", kind="seminar", held_on=dt.date(2024, 7, 1), participants=34)
    make.event("onestop", kind="training", held_on=dt.date(2025, 1, 20), participants=47)
    make.event("yorozu", kind="seminar", held_on=dt.date(2024, 7, 2), participants=500)  # not the viewer's center
    make.event("onestop", kind="trade_fair", held_on=dt.date(2023, 11, 1), participants=48)
    page = text_of(client.get(f"/reports/?fy={FY}"))
    assert "研修・セミナー" in page and "参加人数 0名 81名" in page and "開催回数 0回 2回" in page
    assert "商談会" in page and "参加者数 48名 0名" in page
    drill = text_of(client.get(f"/reports/{FY}/seminars/participants"))
    assert "報告書の数値: 81名" in drill and "全2件" in drill
    assert "移住起業支援金" not in page
    auth.logout()
    auth.login(make.user("im1", role="im", centers=["startup"]))
    applicant = make.client(name="移住起業テスト")
    db.session.add(Grant(client_id=applicant.id, center_id=make.center("startup").id, program="移住起業支援金",
                         applied_on=dt.date(2024, 5, 1), decided_on=dt.date(2024, 6, 1), decision="adopted",
                         amount=2_000_000))
    db.session.commit()
    page = text_of(client.get(f"/reports/?fy={FY}"))
    assert "採択件数 0件 1件" in page and "交付金額 0円 2,000,000円" in page
    csv_lines = client.get(f"/reports/{FY}/report.csv").get_data().decode("utf-8-sig").splitlines()
    assert "grants,amount,移住起業支援金等（助成）,交付金額,0,2000000" in csv_lines


def test_dashboard_of_every_center_one_after_another(client, auth, make, figures):
    auth.login(make.user("boss2", role="manager", centers=["onestop", "yorozu"]))
    response = client.get(f"/reports/dashboard?fy={FY}&center=all")
    html, page = response.get_data(as_text=True), text_of(response)
    assert response.status_code == 200 and "ダッシュボード：すべてのセンター" in page
    assert "ワンストップ総合相談事業" in page and "よろず支援拠点事業" in page
    assert 'viewBox="0 0 420 260"' in html  # small multiples drawn narrow: their text stays readable
    assert 'value="all" selected' in html
