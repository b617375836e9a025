"""An admin adds a program and a report table with a row, previews it, records one consultation
in the program, and sees it counted on the annual report, in the monthly tally and on the dashboard —
without code. Desk width."""
from tests import factories

from .conftest import login, shot


def test_admin_adds_a_report_row_and_sees_a_consultation_counted(live_server, page):
    with live_server.data():
        factories.user("boss", role="admin", centers=[])
        factories.client("株式会社デジタル津軽", name_kana="デジタルツガル")
    login(page, live_server, "boss", factories.PASSWORD)

    # a new program at the 地域技術事業化支援 desk
    page.goto(live_server.url + "/admin/programs/new")
    page.select_option("select[name=center_id]", label="地域技術事業化支援")
    page.fill("input[name=code]", "dx_local")
    page.fill("input[name=name]", "地域DX伴走")
    page.fill("input[name=report_name]", "地域DX伴走支援事業")
    page.fill("input[name=report_number]", "2(12)")
    page.click("form.card button.primary, main form button.primary")
    page.wait_for_load_state()
    assert "地域DX伴走" in page.inner_text("body")

    # its table in the report, and a row: distinct companies consulted
    page.goto(live_server.url + "/admin")
    page.click("main a.button:has-text('報告書の定義')")
    page.click("text=＋ 事業（表）を追加")
    page.fill("input[name=number]", "2(12)")
    page.fill("input[name=title]", "地域DX伴走支援事業")
    page.select_option("select[name=center_code]", label="地域技術事業化支援")
    page.click("form.card button.primary")
    page.wait_for_load_state()
    assert "事業「地域DX伴走支援事業」を追加しました" in page.inner_text("body")
    page.click("text=＋ 行を追加")
    page.fill("input[name=label]", "支援企業")
    page.select_option("select[name=source]", label="相談")
    page.select_option("select[name=program_code]", label="地域DX伴走")
    page.select_option("select[name=aggregation]", label="企業数（実数）")
    page.select_option("select[name=unit]", "社")
    page.select_option("select[name=preview_fy]", "2024")
    page.click("button[name=preview]")
    page.wait_for_load_state()
    preview = page.inner_text("#preview")
    assert "支援企業" in preview and "0社" in preview
    shot(page, "reportdefs-preview")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "行「支援企業」を保存しました" in page.inner_text("body")

    # one consultation at the desk
    page.goto(live_server.url + "/consultations/new")
    page.fill("#client-q", "デジタル津軽")
    page.press("#client-q", "Enter")
    page.click("text=株式会社デジタル津軽")
    page.fill("input[name=held_on]", "2024-07-03")
    page.check("input[name=channel_code][value=window]")
    page.select_option("select[name=center_id]", label="地域技術事業化支援")
    page.select_option("select[name=program_id]", label="地域DX伴走（地域技術事業化支援）")
    page.click("button[name=save], input[name=save]")
    page.wait_for_load_state()
    assert "相談を記録しました" in page.content()

    # counted on the report (page and printed layout)
    page.goto(live_server.url + "/reports/?fy=2024")
    body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
    assert "2(12) 地域DX伴走支援事業" in body
    section = page.locator("section", has_text="地域DX伴走支援事業")
    assert "支援企業" in section.inner_text() and "1社" in section.inner_text()
    shot(page, "report-with-admin-row")
    page.goto(live_server.url + "/reports/?fy=2024&view=filed")
    assert "1社" in page.locator("section", has_text="地域DX伴走支援事業").inner_text()

    # in the monthly tally (stored, then shown with labels)
    page.goto(live_server.url + "/tallies/2024-07")
    page.click("button:has-text('集計して保存')")
    page.wait_for_load_state()
    page.goto(live_server.url + "/tallies/2024-07")
    tally = page.locator("section", has_text="地域DX伴走支援事業").inner_text()
    assert "支援企業" in tally and "1社" in tally

    # on the dashboard of the desk
    page.goto(live_server.url + "/reports/dashboard?fy=2024&center=technology")
    dash = page.inner_text("body")
    assert "地域DX伴走支援事業" in dash and "令和6年度 1社" in dash
    shot(page, "dashboard-with-admin-row")
