"""Journeys staff make, in headless Chromium."""
import datetime as dt

from tests import factories

from .conftest import login, shot


def test_coordinator_logs_a_day_of_visits(live_server, page):
    with live_server.data():
        factories.user("visits", role="coordinator", centers=["onestop"])
        factories.client("株式会社津軽りんご園", name_kana="ツガルリンゴエン")
        factories.client("八戸ホタテ水産", name_kana="ハチノヘホタテスイサン")
    login(page, live_server, "visits", factories.PASSWORD)
    shot(page, "home")
    for name, query in (("株式会社津軽りんご園", "りんご園"), ("八戸ホタテ水産", "ﾎﾀﾃ")):
        page.goto(live_server.url + "/consultations/new")
        page.fill("#client-q", query)
        page.press("#client-q", "Enter")
        page.click(f"text={name}")
        page.fill("input[name=held_on]", "2024-05-14")
        page.check("input[name=channel_code][value=visit]")
        page.fill("textarea[name=notes]", f"{name}を訪問")
        if name == "株式会社津軽りんご園":
            shot(page, "consultation-form")
        page.click("button[name=save_next], input[name=save_next]")
        page.wait_for_load_state()
        assert "相談を記録しました" in page.content()
    page.goto(live_server.url + "/consultations/")
    shot(page, "consultations")
    body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
    assert "株式会社津軽りんご園" in body and "八戸ホタテ水産" in body and "2024-05-14" in body
    page.goto(live_server.url + "/cases/")
    shot(page, "cases")
    assert "株式会社津軽りんご園" in page.inner_text("body")


def test_main_pages_render_for_an_admin(live_server, page):
    """Screenshots of the main pages for reviewers; each page answers without an error."""
    with live_server.data():
        factories.user("boss", role="admin", centers=["onestop", "yorozu", "succession", "startup"])
        c = factories.client("青森デザイン合同会社", name_kana="アオモリデザイン")
        factories.consultation(c, held_on=dt.date(2024, 5, 1))
        client_id = c.id
    login(page, live_server, "boss", factories.PASSWORD)
    for path, name in (("/clients/", "clients"), (f"/clients/{client_id}", "client-detail"), ("/reports/", "reports"),
                       ("/dispatch/", "dispatch"), ("/succession/", "succession"), ("/followups/", "followups")):
        response = page.goto(live_server.url + path)
        assert response.status < 400, (path, response.status)
        shot(page, name)


def test_manager_downloads_the_annual_report_and_figures_match_the_page(live_server, page, tmp_path):
    import io
    import re

    import openpyxl

    with live_server.data():
        factories.user("mgr", role="manager", centers=["onestop", "yorozu", "startup"])
        c = factories.client("弘前れんが倉庫商事", name_kana="ヒロサキレンガソウコショウジ")
        for day in (1, 2, 3):
            factories.consultation(c, held_on=dt.date(2024, 5, day))
        factories.consultation(c, held_on=dt.date(2024, 6, 1), channel="visit")
    login(page, live_server, "mgr", factories.PASSWORD)
    page.goto(live_server.url + "/reports/?fy=2024")
    shot(page, "annual-report")
    row = page.locator("tr", has=page.locator("th", has_text="窓口相談")).first
    on_page = int(re.sub(r"\D", "", row.locator("td").last.inner_text()))
    assert on_page == 3
    with page.expect_download() as info:
        page.click("text=Excel（XLSX）をダウンロード")
    path = tmp_path / "report.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), data_only=True)
    cells = [[c for c in r] for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
    window = [r for r in cells if any(isinstance(v, str) and "窓口相談" in v for v in r)]
    assert window and on_page in window[0], window[:2]
    visits = [r for r in cells if any(isinstance(v, str) and "巡回相談" in v for v in r)]
    assert visits and 1 in visits[0]


def test_manager_voids_a_visit_entered_by_mistake(live_server, page):
    from tests import lifecycle_helpers as lh

    with live_server.data():
        factories.user("mgr2", role="manager", centers=["onestop"])
        d = lh.dispatch(factories.case(factories.client("株式会社取消確認")))
        lh.visit(d, held_on=dt.date(2024, 6, 3))
        lh.visit(d, held_on=dt.date(2024, 6, 4))
        dispatch_id = d.id
    login(page, live_server, "mgr2", factories.PASSWORD)
    page.goto(f"{live_server.url}/dispatch/{dispatch_id}")
    assert "訪問（2回）" in page.inner_text("body")
    page.click("tr:has-text('2024-06-04') >> text=取消")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "派遣の訪問記録の取消" in body and "あわせて次の記録も取り消されます" in body
    page.fill("textarea[name=reason]", "二重入力")
    shot(page, "void-visit")
    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks before voiding
    page.click("button:has-text('取り消す')")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "2024-06-04 の訪問記録を取り消しました" in body and "訪問（1回）" in body
    shot(page, "void-visit-done")
