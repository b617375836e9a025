"""Documents, outreach days and the calendar page at 390 px (a coordinator's phone): nothing
wider than the screen."""
import datetime as dt

from .conftest import assert_pages_fit, shot, signed_in

WIDTH = 390


def test_documents_outreach_and_calendar_pages_fit_a_phone(browser, live_server):
    from tests import factories
    from tests import lifecycle_helpers as lh

    from casework.extensions import db
    from casework.services import outreach
    from casework.services.attachments import attach_file

    with live_server.data():
        staff = factories.user("phone390", centers=["onestop", "yorozu"])
        company = factories.client("株式会社八戸精密機械製作所ホールディングス")
        case = factories.case(company, title="資金繰りと事業承継の相談")
        dispatch = lh.dispatch(case)
        lh.visit(dispatch)
        attach_file(case, "令和5年度決算書（貸借対照表・損益計算書・個別注記表）株式会社八戸精密機械製作所.pdf",
                    b"%PDF-1.4\n%%EOF\n", by=staff, label="決算書 3期分（令和3〜5年度）")
        day = outreach.plan_day(outreach.DayData(center_id=factories.center("yorozu").id,
                                                 held_on=dt.date.today(), place="むつ商工会議所 2階 大会議室",
                                                 title="よろず支援拠点 出張相談会（むつ）",
                                                 slots="10:00-10:45\n11:00-11:45", staff_ids=[staff.id]), by=staff)
        outreach.book_slot(day.slots[0], company, by=staff, note="販路開拓と事業承継の相談を希望")
        db.session.commit()
        ids = {"client": company.id, "case": case.id, "dispatch": dispatch.id, "day": day.id,
               "slot": day.slots[1].id}
    with signed_in(browser, live_server, "phone390", factories.PASSWORD, WIDTH) as page:
        assert_pages_fit(page, live_server, (f"/clients/{ids['client']}", f"/cases/{ids['case']}", f"/dispatch/{ids['dispatch']}",
            "/outreach/", "/outreach/new", f"/outreach/{ids['day']}", f"/outreach/{ids['day']}/edit",
            f"/outreach/slots/{ids['slot']}/book?q=八戸", "/calendar/"), WIDTH)
        shot(page, "calendar-390")
