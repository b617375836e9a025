"""Issue 14's journeys in Chromium at a desk and on a phone: an admin merges two records of one
company and undoes it from the audit log, restores a voided record; succession staff meet the
ノンネームシート check; a manager's home lists what waits for them."""
import datetime as dt
from contextlib import contextmanager

import pytest

from .conftest import shot, signed_in

WIDTHS = {"desk": (1280, 800), "phone": (390, 844)}


@pytest.fixture
def records(live_server):
    from casework.dates import today_jst
    from casework.extensions import db
    from casework.models import Dispatch
    from casework.services import voiding
    from tests import factories, lifecycle_helpers as lh

    with live_server.data():
        admin = factories.user("adm", role="admin", centers=[])
        factories.user("mgr", role="manager", centers=["onestop"])
        factories.user("sk", role="succession", centers=["succession"])
        first = factories.client("株式会社八甲田物産", name_kana="ハッコウダブッサン")
        second = factories.client("八甲田物産（株）")
        factories.consultation(first)
        factories.consultation(second)
        waiting = lh.dispatch(factories.case(factories.client("有限会社承認待ち")), approve=False,
                              requested_on=today_jst() - dt.timedelta(days=2))
        voided = factories.consultation(factories.client("株式会社取消確認"), notes="誤って取り消した相談")
        voiding.void_record(voided, "誤登録", admin)
        secret = factories.client("有限会社奥入瀬渓流ホテル", name_kana="オイラセケイリュウホテル")
        profile = lh.profile(factories.case(secret, center_code="succession"),
                             summary="奥入瀬渓流ホテルは客室30室。後継者不在。")
        db.session.commit()
        return {"first": first.id, "second": second.id, "profile": profile.id,
                "waiting": db.session.get(Dispatch, waiting.id).id}


@contextmanager
def _window(browser, live_server, width, login_name):
    """A desk or phone window logged in as `login_name`, accepting data-confirm's questions (a merge asks)."""
    from tests.factories import PASSWORD

    with signed_in(browser, live_server, login_name, PASSWORD, *WIDTHS[width]) as page:
        page.on("dialog", lambda dialog: dialog.accept())
        yield page


@pytest.mark.parametrize("width", list(WIDTHS))
def test_admin_merges_undoes_and_restores(browser, live_server, records, width):
    with _window(browser, live_server, width, "adm") as page:
        page.goto(f"{live_server.url}/clients/{records['first']}")
        page.click("text=重複を統合")
        page.click("text=八甲田物産（株）")
        assert "相談記録 1件" in " ".join(page.inner_text("main").split())
        shot(page, f"merge-confirm-{width}")
        page.fill("textarea[name=reason]", "二重登録")
        page.click("button:has-text('統合する')")
        assert "に統合しました" in page.inner_text("main")
        page.goto(f"{live_server.url}/admin/audit/?action=merge")
        page.click("text=元に戻す")
        page.fill("textarea[name=reason]", "別会社だった")
        page.click("button:has-text('元に戻す')")
        assert "統合を元に戻しました" in page.inner_text("main")
        page.goto(f"{live_server.url}/corrections/voided/")
        assert "誤登録" in page.inner_text("main")
        shot(page, f"voided-{width}")
        page.click("a:has-text('復元')")
        page.fill("textarea[name=reason]", "取消は誤り")
        page.click("button:has-text('復元する')")
        assert "相談記録を復元しました" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_sheet_check_and_the_managers_home(browser, live_server, records, width):
    with _window(browser, live_server, width, "sk") as page:
        page.goto(f"{live_server.url}/succession/profiles/{records['profile']}/sheet")
        assert "会社を特定できる情報が含まれています" in page.inner_text("main")
        assert page.locator("mark", has_text="奥入瀬渓流ホテル").count() >= 1
        shot(page, f"sheet-check-{width}")
        page.check("input[name=confirmed]")
        page.click("button:has-text('確認してシートを表示')")
        assert "ノンネームシート" in page.inner_text("body") and "取扱注意" in page.inner_text("body")
    with _window(browser, live_server, width, "mgr") as page:
        main = page.inner_text("main")
        assert "あなたの確認待ち" in main and "有限会社承認待ち" in main
        shot(page, f"manager-waiting-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
