"""Every role's main pages in Chromium at a desk (1280×800) and on a phone (390×844), on the demo
data: nothing wider than the screen, the header folds behind メニュー on the phone, lists read as
cards whose text columns are never a character or two wide, touch targets at least 44 px, and
the day's loop keeps Ctrl+Enter on 保存して次を記録. Screenshots of every page at both widths go to
tests/artifacts/screenshots/ (issue 14)."""
import re

import pytest

from .conftest import shot, signed_in

DESK, PHONE = (1280, 800), (390, 844)
PAGES = {
    "coordinator": ["/", "/consultations/", "/consultations/new", "/consultations/new?client_id=1", "/clients/",
                    "/cases/", "/followups/",
                    "/events/", "/dispatch/", "/referrals/", "/notifications/"],
    "manager": ["/", "/reports/", "/reports/dashboard", "/tallies/", "/dispatch/", "/cases/"],
    "admin": ["/", "/admin/", "/admin/audit/", "/corrections/voided/", "/admin/users", "/admin/programs/"],
    "succession": ["/", "/succession/", "/succession/deals/"],
    "im": ["/", "/founders/"],
}
LOGIN_OF = {"coordinator": "coord", "manager": "manager", "admin": "admin", "succession": "shokei", "im": "im"}

OVERFLOW = """() => Array.from(document.querySelectorAll('body *')).filter(e => {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.right <= innerWidth + 1) return false;
  for (let p = e.parentElement; p; p = p.parentElement) {  // inside a sideways-scrolling box is fine
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return false; }
  return true; }).map(e => e.tagName + '.' + e.className).slice(0, 5)"""
NARROW_CELLS = """() => Array.from(document.querySelectorAll('table.list td')).filter(td => {
  if (!td.textContent.trim()) return false;
  const style = getComputedStyle(td), pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  return td.getBoundingClientRect().width - pad < 3 * parseFloat(style.fontSize); }).length"""
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
  'main button, main a.button, main input:not([type=hidden]):not([type=radio]):not([type=checkbox]), main select, ' +
  'main label.check, .topbar button, .topbar a'))  /* a radio or checkbox is tapped by its label */
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 43.5; })
  .map(e => e.tagName + ':' + (e.textContent || e.name || '').trim().slice(0, 20)).slice(0, 5)"""


@pytest.fixture
def demo(live_server):
    from casework.extensions import db
    from casework.services.demo import load_demo

    with live_server.data():
        logins = {login: password for login, password, _role in load_demo()}
        db.session.commit()
    return logins


@pytest.mark.parametrize("role", list(PAGES))
def test_main_pages_fit_a_desk_and_a_phone(browser, live_server, demo, role):
    for width, height in (DESK, PHONE):
        with signed_in(browser, live_server, LOGIN_OF[role], demo[LOGIN_OF[role]], width, height) as page:
            for path in PAGES[role]:
                page.goto(live_server.url + path)
                where = f"{path} at {width}px as {role}"
                assert "エラー" not in page.title(), where
                assert page.evaluate(OVERFLOW) == [], where
                assert page.evaluate("document.documentElement.scrollWidth") <= width, where
                if width == PHONE[0]:
                    header = page.locator(".topbar").bounding_box()["height"]
                    assert header <= 60, (where, header)  # one row: brand, bell, メニュー
                    assert page.evaluate(NARROW_CELLS) == 0, where
                    assert page.evaluate(SMALL_TARGETS) == [], where
                name = re.sub(r"[^a-z0-9]+", "-", path.replace("?client_id=1", "-form")).strip("-") or "home"
                shot(page, f"{role}-{name}-{width}")


def test_the_phone_menu_opens_and_its_entries_are_thumb_sized(browser, live_server, demo):
    with signed_in(browser, live_server, "coord", demo["coord"], *PHONE) as page:
        nav = page.locator(".mainnav")
        assert not nav.is_visible()
        page.click("button.menu-toggle")
        assert nav.is_visible() and page.get_attribute("button.menu-toggle", "aria-expanded") == "true"
        heights = page.evaluate("Array.from(document.querySelectorAll('.mainnav a')).map(a => a.getBoundingClientRect().height)")
        assert heights and min(heights) >= 44
        assert page.locator(".account").is_visible()  # ログアウト is in the menu too
        page.click(".mainnav a:has-text('相談記録')")
        assert page.url.endswith("/consultations/")
        shot(page, "coordinator-menu-390")


def test_ctrl_enter_keeps_the_days_loop_going(browser, live_server, demo):
    from casework.extensions import db
    from casework.models import Client

    with live_server.data():
        first, second = [c.id for c in db.session.query(Client).order_by(Client.id).limit(2)]
    with signed_in(browser, live_server, "coord", demo["coord"], *PHONE) as page:
        page.goto(f"{live_server.url}/consultations/new?client_id={first}")
        page.check("input[name=channel_code][value=visit]")
        page.click("button[name=save_next], input[name=save_next]")
        assert "続けて次の相談先を選んでください" in page.inner_text("main")
        kept = page.url.split("?", 1)[1]
        page.goto(f"{live_server.url}/consultations/new?client_id={second}&{kept}")
        assert "Ctrl+Enter で保存して次を記録" in page.inner_text("main")
        page.fill("textarea[name=notes]", "二件目はキーボードで")
        page.press("textarea[name=notes]", "Control+Enter")
        page.wait_for_load_state()
        assert "続けて次の相談先を選んでください" in page.inner_text("main")  # still in the loop


def test_the_suggestions_open_below_the_search_box(browser, live_server, demo):
    with signed_in(browser, live_server, "coord", demo["coord"], *PHONE) as page:
        page.goto(live_server.url + "/consultations/new")
        page.fill("#client-q", "株式会社")
        page.wait_for_selector(".autocomplete ul li a")
        box = page.locator("#client-q").bounding_box()
        suggestions = page.locator(".autocomplete ul").bounding_box()
        assert suggestions["y"] >= box["y"] + box["height"] - 1  # never drawn over the typed text
