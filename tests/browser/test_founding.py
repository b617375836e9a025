"""An incubation manager takes a would-be founder from first talk to founding, in headless Chromium."""
from casework.textnorm import valid_corporate_number
from tests import factories

from .conftest import login, shot


def corporate_number(base12: str) -> str:
    """A 法人番号 with its check digit (国税庁: 9 − Σ(digit × 1 or 2 from the right) mod 9)."""
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(base12)))
    return f"{9 - total % 9}{base12}"


def text(page) -> str:
    return page.inner_text("main")


def test_im_records_a_founding_and_sees_the_follow_ups(live_server, page):
    with live_server.data():
        factories.user("im1", role="im", centers=["startup"], name="三上IM")
    number = corporate_number("401000012345")
    assert valid_corporate_number(number)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not valid_corporate_number(wrong)

    login(page, live_server, "im1", factories.PASSWORD)

    # First talk: register the would-be founder and open a startup case.
    page.click("nav.mainnav >> text=相談先")
    page.click("text=＋ 相談先を登録")
    page.select_option("select[name=kind]", "prospective_founder")
    page.fill("input[name=name]", "佐井村 さくら")
    page.fill("input[name=name_kana]", "サイムラ サクラ")
    page.click("button:has-text('登録')")
    assert "佐井村 さくら" in page.inner_text("h1")
    assert "創業予定者" in text(page)
    page.click("text=＋ 案件を開始")
    assert page.input_value("select[name=center_id]") != ""
    assert "創業・起業支援" in page.locator("select[name=center_id] option:checked").inner_text()
    page.fill("input[name=opened_on]", "2024-09-02")
    page.fill("input[name=title]", "カフェ開業")
    page.check("input[name=theme_codes][value=startup]")
    page.click("button:has-text('案件を開始')")
    assert "案件を創業・起業支援で開始しました" in text(page)

    # The first talk itself is a consultation on that case.
    page.click("text=＋ 相談を記録")
    page.fill("input[name=held_on]", "2024-09-02")
    page.check("input[name=channel_code][value=window]")
    page.check("input[name=theme_codes][value=business_plan]")
    page.fill("textarea[name=notes]", "古民家カフェの開業を相談。事業計画書の作成から始める。")
    page.fill("input[name=next_action]", "事業計画書の下書きを持参")
    shot(page, "founder-consultation-form")
    page.click("input[name=save]")
    body = text(page)
    assert "相談を記録しました" in body and "古民家カフェの開業を相談" in body and "2024-09-02" in body

    # The founder's page: 相談 → 事業計画 → 資金計画.
    page.click("nav.mainnav >> text=創業支援")
    shot(page, "founders")
    page.click("table.list >> text=佐井村 さくら")
    assert "相談" in page.locator("ol.stages li.current").inner_text()
    for stage, label, on in (("business_plan", "事業計画", "2024-10-01"), ("funding_plan", "資金計画", "2024-11-01")):
        page.select_option("select[name=stage]", stage)
        page.fill("input[name=changed_on]", on)
        page.fill("textarea[name=note]", f"{label}を作成")
        page.click("button:has-text('進める')")
        assert f"段階を「{label}」に進めました" in text(page)
        assert page.locator("ol.stages li.current").inner_text() == label
        assert on in page.locator("section:has(h2:has-text('段階の履歴'))").inner_text()

    # Founding with a mistyped 法人番号 is refused beside the field, then recorded.
    page.fill("input[name=founded_on]", "2024-11-30")
    page.fill("input[name=business_name]", "合同会社さいむらカフェ")
    page.check("input[name=incorporated]")
    page.fill("input[name=corporate_number]", wrong)
    page.select_option("select[name=industry_code]", "M")
    page.click("button:has-text('創業を記録して案件を終了')")
    assert "法人番号が正しくありません" in page.locator("#corporate_number-err").inner_text()
    shot(page, "founder-founding-error")
    page.fill("input[name=corporate_number]", number)
    page.click("button:has-text('創業を記録して案件を終了')")
    body = text(page)
    assert "創業を記録し、案件を終了しました" in body
    shot(page, "founder-founded")
    founded = page.locator("section:has(h2:text-is('創業'))").inner_text()
    assert "2024-11-30" in founded and "令和6年11月30日" in founded
    assert "合同会社さいむらカフェ" in founded and number in founded and "宿泊業、飲食サービス業" in founded
    assert page.locator("ol.stages li.current").inner_text() == "創業"
    assert "終了（創業 2024-11-30）" in page.locator("dl.props.card").inner_text()

    # The follow-ups: 3 months after 11/30 is the end of February, 12 months is 11/30 again.
    followups = page.locator("section:has(h2:text-is('フォローアップ'))").inner_text()
    assert "2025-02-28 創業後3か月フォローアップ" in followups
    assert "2025-11-30 創業後12か月フォローアップ" in followups

    # ... and on the IM's own follow-up list, with the founder's name.
    page.click("nav.mainnav >> text=フォローアップ")
    shot(page, "founder-followups")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 2
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "2025-02-28" in first and "佐井村 さくら" in first and "創業後3か月フォローアップ" in first
    assert "2025-11-30" in second and "佐井村 さくら" in second and "創業後12か月フォローアップ" in second
    assert "三上IM" in first and "創業・起業支援" in first

    # The founders list now shows the founder as founded.
    page.goto(live_server.url + "/founders/?status=")
    row = page.locator("table.list tbody tr", has_text="佐井村 さくら").inner_text()
    assert "創業" in row and "2024-11-30" in row
