"""出張相談会: plan a day with slots, book and cancel, log the consultation from a booked slot."""
import datetime as dt

from sqlalchemy import select

from casework.dates import today_jst
from casework.extensions import db
from casework.models import AuditEntry, Consultation, Event, OutreachDay, OutreachSlot
from casework.services import outreach as service
from casework.services.errors import DomainError

from .conftest import text_of

SLOTS = "10:00-10:45\n11:00〜11:45、１３:００-１３:４５"


def _staff(make, login="yorozu1", name="出張 太郎"):
    return make.user(login, role="coordinator", centers=["yorozu", "onestop"], name=name)


def _plan(client, make, staff, held_on=None, slots=SLOTS):
    held_on = held_on or today_jst()
    return client.post("/outreach/new", data={
        "held_on": held_on.isoformat(), "center_id": make.center("yorozu").id, "place": "むつ商工会議所",
        "title": "よろず出張相談会（むつ）", "times": slots, "staff_ids": [staff.id]})


def test_plan_a_day_with_slots_and_see_it_in_the_month(client, auth, make):
    staff = _staff(make)
    auth.login(staff)
    response = _plan(client, make, staff, held_on=dt.date(2024, 6, 12))
    assert response.status_code == 302
    day = db.session.scalar(select(OutreachDay))
    assert [f"{s.starts_at:%H:%M}-{s.ends_at:%H:%M}" for s in day.slots] == ["10:00-10:45", "11:00-11:45", "13:00-13:45"]
    assert all(s.staff_id == staff.id for s in day.slots)  # one staff member: every slot is theirs
    page = text_of(client.get(f"/outreach/{day.id}"))
    assert "むつ商工会議所" in page and "0／3枠 予約済み" in page and "出張 太郎" in page
    listing = text_of(client.get("/outreach/?month=2024-06"))
    assert "むつ商工会議所" in listing and "0／3" in listing
    assert "むつ商工会議所" not in text_of(client.get("/outreach/?month=2024-07"))
    assert "該当する出張相談会はありません" in text_of(client.get(f"/outreach/?center_id={make.center('onestop').id}"))
    assert "2024-06 のように" in text_of(client.get("/outreach/?month=2024-13"))
    assert "出張相談会" in text_of(client.get("/"))  # in the menu


def test_bad_slots_are_shown_beside_the_field(client, auth, make):
    staff = _staff(make)
    auth.login(staff)
    for slots, message in (("10時から", "時間枠「10時から」が読めません"), ("11:00-10:00", "終わりが始まりより前"),
                           ("10:00-11:00\n10:30-11:30", "が重なっています"), ("25:00-26:00", "読めません")):
        response = _plan(client, make, staff, slots=slots)
        assert response.status_code == 200 and message in text_of(response), slots
    assert db.session.scalar(select(OutreachDay)) is None


def test_book_cancel_and_log_the_consultation_from_the_slot(client, auth, make):
    staff = _staff(make)
    company = make.client("下北水産株式会社", name_kana="シモキタスイサン")
    auth.login(staff)
    _plan(client, make, staff)
    day = db.session.scalar(select(OutreachDay))
    slot = day.slots[1]

    search = text_of(client.get(f"/outreach/slots/{slot.id}/book?q=下北"))
    assert "下北水産株式会社" in search
    picked = client.get(f"/outreach/slots/{slot.id}/book?client_id={company.id}")
    assert "下北水産株式会社" in text_of(picked) and "予約する" in text_of(picked)
    booked = client.post(f"/outreach/slots/{slot.id}/book", data={"client_id": company.id, "version": slot.version,
                                                                  "note": "販路の相談"})
    assert booked.status_code == 302
    page = text_of(client.get(f"/outreach/{day.id}"))
    assert "11:00-11:45 に 下北水産株式会社 を予約しました。" in page and "1／3枠 予約済み" in page
    db.session.expire_all()
    again = client.post(f"/outreach/slots/{slot.id}/book", data={"client_id": company.id, "version": slot.version})
    assert again.status_code == 422 and "既に予約されています" in text_of(again)

    # cancel, then book again
    client.post(f"/outreach/slots/{slot.id}/cancel", data={"version": slot.version})
    db.session.expire_all()
    assert slot.client_id is None and "0／3枠 予約済み" in text_of(client.get(f"/outreach/{day.id}"))
    client.post(f"/outreach/slots/{slot.id}/book", data={"client_id": company.id, "version": slot.version})
    db.session.expire_all()
    assert slot.client_id == company.id
    actions = [e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "OutreachSlot")
                                                    .order_by(AuditEntry.id))]
    assert actions == ["book", "cancel", "book"]

    # the consultation form starts from the slot: client, day, staff, 出張相談会
    detail = client.get(f"/outreach/{day.id}").get_data(as_text=True)
    link = f"/consultations/new?client_id={company.id}&amp;slot_id={slot.id}"
    assert link in detail
    form = client.get(f"/consultations/new?client_id={company.id}&slot_id={slot.id}&held_on={day.held_on}"
                      f"&channel_code=outreach&center_id={day.center_id}&staff_id={staff.id}")
    html = form.get_data(as_text=True)
    assert "下北水産株式会社" in html and f'value="{day.held_on:%Y-%m-%d}"' in html
    assert 'value="outreach" checked' in html or 'checked value="outreach"' in html or \
        ('id="channel_code-' in html and 'value="outreach"' in html)
    saved = client.post(f"/consultations/new?client_id={company.id}&slot_id={slot.id}", data={
        "client_id": company.id, "held_on": day.held_on.isoformat(), "channel_code": "outreach",
        "center_id": day.center_id, "staff_id": staff.id, "notes": "販路開拓の相談", "event_id": "", "case_id": "",
        "program_id": ""})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/outreach/{day.id}")
    db.session.expire_all()
    consultation = db.session.scalar(select(Consultation))
    assert consultation.client_id == company.id and consultation.held_on == day.held_on
    assert consultation.channel_code == "outreach" and consultation.staff_id == staff.id
    event = db.session.get(Event, consultation.event_id)
    assert event.kind_code == "outreach_day" and event.held_on == day.held_on and event.place == "むつ商工会議所"
    assert day.event_id == event.id and slot.consultation_id == consultation.id
    page = text_of(client.get(f"/outreach/{day.id}"))
    assert "相談記録" in page and "予約を取消" not in page
    cancel = client.post(f"/outreach/slots/{slot.id}/cancel", data={"version": slot.version}, follow_redirects=True)
    assert "相談を記録した枠の予約は取り消せません" in text_of(cancel)


def test_editing_slots_keeps_bookings_and_refuses_removing_a_booked_one(app, make):
    staff = _staff(make)
    company = make.client()
    day = service.plan_day(service.DayData(center_id=make.center("yorozu").id, held_on=dt.date(2024, 6, 12),
                                           place="会場", slots="10:00-10:45, 11:00-11:45", staff_ids=[staff.id]), by=staff)
    service.book_slot(day.slots[0], company, by=staff)
    db.session.commit()
    data = service.DayData(center_id=day.center_id, held_on=day.held_on, place="会場", staff_ids=[staff.id],
                           slots="10:00-10:45\n13:00-13:45")
    service.update_day(day, data, expected_version=day.version, by=staff)
    db.session.commit()
    assert [(f"{s.starts_at:%H:%M}", s.client_id) for s in day.slots] == [("10:00", company.id), ("13:00", None)]
    data.slots = "13:00-13:45"
    try:
        service.update_day(day, data, expected_version=day.version, by=staff)
    except DomainError as exc:
        assert "予約のある枠 10:00-10:45" in exc.message
    else:
        raise AssertionError("a booked slot must not be removed")


def test_days_of_other_centers_are_404_and_planning_needs_the_permission(client, auth, make):
    planner = _staff(make)
    outsider = make.user("soto", role="coordinator", centers=["startup"])
    secret = make.user("shokei", role="succession", centers=["succession"])
    day = service.plan_day(service.DayData(center_id=make.center("yorozu").id, held_on=dt.date(2024, 6, 12),
                                           place="むつ会場", slots="10:00-10:45"), by=planner)
    db.session.commit()
    auth.login(outsider)
    assert client.get(f"/outreach/{day.id}").status_code == 404
    assert client.get(f"/outreach/slots/{day.slots[0].id}/book").status_code == 404
    assert "むつ会場" not in text_of(client.get("/outreach/"))
    auth.logout()
    auth.login(secret)
    assert client.get("/outreach/new").status_code == 403  # outreach.plan: not for succession staff
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied",
                                                      AuditEntry.object_type == "OutreachDay")) is not None


def test_void_a_day(client, auth, make):
    planner = _staff(make)
    auth.login(planner)
    _plan(client, make, planner)
    day = db.session.scalar(select(OutreachDay))
    response = client.post(f"/outreach/{day.id}/void", data={"version": day.version, "reason": "会場の都合で中止"})
    assert response.status_code == 302
    assert "該当する出張相談会はありません" in text_of(client.get("/outreach/"))
    assert client.get(f"/outreach/{day.id}").status_code == 404
    assert db.session.scalar(select(OutreachSlot)) is not None  # nothing deleted


def test_logged_out_goes_to_login(client):
    for url in ("/outreach/", "/outreach/new", "/outreach/1", "/outreach/slots/1/book"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url
