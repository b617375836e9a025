"""The report page after a closed month was restated: the note above the tables reads at a
desk and on a phone, and nothing on the page is wider than the window."""
import datetime as dt

import pytest

from casework.dates import fiscal_year, today_jst

from .. import factories
from .conftest import assert_pages_fit, signed_in

pytestmark = pytest.mark.browser

FY = fiscal_year(today_jst()) - 1


def _restated_month(app):
    from casework.extensions import db
    from casework.reporting import rollup

    with app.app_context():
        factories.user("report-admin", role="admin")
        made = factories.consultation(held_on=dt.date(FY, 5, 12), theme_codes=["cash_flow"])
        rollup.refresh()
        db.session.commit()
        made = db.session.merge(made)
        made.channel_code = "visit"  # corrected after May was stored
        db.session.commit()
        assert rollup.refresh()["restated"] == [f"{FY}-05"]
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_restated_note_reads_at_both_widths(browser, live_server, width):
    _restated_month(live_server.app)
    with signed_in(browser, live_server, "report-admin", factories.PASSWORD, width=width) as page:
        page.goto(f"{live_server.url}/reports/?fy={FY}")
        note = page.get_by_role("note")
        assert note.is_visible()
        assert f"{FY}年5月" in note.inner_text() and "集計し直し" in note.inner_text()
        assert_pages_fit(page, live_server, [f"/reports/?fy={FY}"], width=width)
