"""Forms: all errors at once, in a real browser — every problem beside its field in one answer
and the focus on the first field in error (casework.js focuses the first aria-invalid="true")."""
import datetime as dt

from tests import factories
from tests.scheduling import followup

from .conftest import login, shot


def test_two_bad_values_are_both_shown_and_the_first_is_focused(live_server, page):
    with live_server.data():
        user = factories.user("coord1", role="coordinator", centers=["onestop"], name="一戸職員")
        case = factories.case(factories.client("株式会社二つの誤り"), opened_on=dt.date(2024, 4, 1),
                              assignee_id=user.id)
        followup_id = followup(case, user, dt.date(2024, 7, 1)).id
    login(page, live_server, "coord1", factories.PASSWORD)
    page.goto(f"{live_server.url}/followups/{followup_id}")
    page.fill("input[name=completed_on]", "R6.3.1")  # before the case opened (2024-04-01)
    page.check("input[name=still_in_business][value=no]")
    page.fill("input[name=jobs_retained]", "3")  # closed down, yet jobs retained
    page.click("form:has(input[name=completed_on]) button[type=submit]")
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert "実施日が案件の開始日より前です。" in body and "廃業している場合、維持された雇用は0です。" in body
    assert page.evaluate("document.activeElement && document.activeElement.name") == "completed_on"
    shot(page, "all-errors-at-once")
