"""The program record pages at 390 px (a coordinator's phone): nothing wider than the screen."""
import datetime as dt

from .conftest import assert_pages_fit, shot, signed_in

WIDTH = 390


def test_program_pages_fit_a_phone(browser, live_server):
    from tests import factories

    from casework.services.programs import program_by_code
    from casework.services.registrations import RegistrationData, register
    from casework.extensions import db

    with live_server.data():
        factories.user("admin390", role="admin", centers=["trade"])
        staff = factories.user("trade390", centers=["trade"])
        company = factories.client("株式会社八戸精密機械製作所ホールディングス")
        program = program_by_code("trade_matching")
        side = next(t for t in program.terms if t.kind == "side")
        registration = register(RegistrationData(program_id=program.id, side_id=side.id, client_id=company.id,
                                                 registered_on=dt.date(2024, 4, 1)), by=staff)
        event = factories.event(center_code="trade", kind="trade_fair", title="ものづくり受発注商談会あおもり2024",
                                program_id=program_by_code("trade_fairs").id)
        db.session.commit()
        ids = {"registration": registration.id, "event": event.id, "program": program.id}
    with signed_in(browser, live_server, "admin390", factories.PASSWORD, WIDTH) as page:
        assert_pages_fit(page, live_server, (
            "/registrations/", "/registrations/new", f"/registrations/{ids['registration']}",
            "/introductions/", "/introductions/new", "/grants/", "/grants/new", "/milestones/",
            f"/events/{ids['event']}", f"/events/{ids['event']}/attendances/new", "/events/new",
            "/admin/programs/", f"/admin/programs/{ids['program']}"), WIDTH)
        shot(page, "programs-390-admin-program")
