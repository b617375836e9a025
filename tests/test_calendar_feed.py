"""Each user's iCalendar feed: secret URL, revocable, parsed back with the icalendar library."""
import datetime as dt
import re
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from casework.dates import today_jst
from casework.extensions import db
from casework.models import CalendarFeed, FollowUp
from casework.services import outreach

from . import lifecycle_helpers as lh
from .conftest import text_of

TOKYO = ZoneInfo("Asia/Tokyo")


def _issue(client) -> str:
    page = client.post("/calendar/issue", data={"action": "issue"})
    assert page.status_code == 200
    match = re.search(r'value="(http://[^"]+/calendar/feed/[^"]+\.ics)"', page.get_data(as_text=True))
    assert match, text_of(page)
    return match.group(1).replace("http://localhost", "")


def _world(make):
    """A coordinator with: a follow-up, an outreach day they staff with one booked slot, a
    dispatch they requested with a visit; plus a succession member with a confidential follow-up."""
    today = today_jst()
    me = make.user("cal", role="coordinator", centers=["onestop", "yorozu"], name="暦 花子")
    company = make.client("青森カレンダー株式会社")
    case = make.case(company)
    followup = FollowUp(client_id=company.id, case_id=case.id, center_id=case.center_id, assignee_id=me.id,
                        due_on=today + dt.timedelta(days=10), reason="資金繰り表の確認")
    db.session.add(followup)
    day = outreach.plan_day(outreach.DayData(center_id=make.center("yorozu").id, held_on=today + dt.timedelta(days=3),
                                             place="弘前市民会館", title="弘前出張相談会",
                                             slots="10:00-10:45\n11:00-11:45", staff_ids=[me.id]), by=me)
    outreach.book_slot(day.slots[0], company, by=me)
    db.session.commit()
    dispatch = lh.dispatch(case)
    dispatch.requested_by_id = me.id
    visit = lh.visit(dispatch, held_on=today - dt.timedelta(days=5))
    return me, company, followup, day, visit


def test_the_feed_lists_every_item_with_summary_start_and_a_stable_uid(client, auth, make):
    me, company, followup, day, visit = _world(make)
    auth.login(me)
    assert "URLを発行" in text_of(client.get("/calendar/"))
    url = _issue(client)
    auth.logout()  # the feed needs no login

    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    slot = day.slots[0]
    expected = {
        f"casework-followup-{followup.id}@localhost": ("フォローアップ：青森カレンダー株式会社", followup.due_on),
        f"casework-outreach-slot-{slot.id}@localhost": (
            "出張相談：青森カレンダー株式会社", dt.datetime.combine(day.held_on, dt.time(10, 0), tzinfo=TOKYO)),
        f"casework-outreach-day-{day.id}@localhost": (
            "出張相談会：弘前出張相談会", dt.datetime.combine(day.held_on, dt.time(10, 0), tzinfo=TOKYO)),
        f"casework-dispatch-visit-{visit.id}@localhost": (
            f"専門家派遣：青森カレンダー株式会社（{visit.expert.name}）", visit.held_on),
    }
    report = db.session.scalar(select(FollowUp).where(FollowUp.id != followup.id))  # the visit's report follow-up
    assert report.assignee_id == me.id
    expected[f"casework-followup-{report.id}@localhost"] = (f"フォローアップ：{company.name}", report.due_on)
    assert set(events) == set(expected)
    for uid, (summary, start) in expected.items():
        event = events[uid]
        assert str(event["summary"]) == summary, uid
        got = event.decoded("dtstart")
        assert got == start, uid
        if isinstance(start, dt.datetime):
            assert got.utcoffset() == dt.timedelta(hours=9)
            assert str(event["dtstart"].params.get("TZID")) == "Asia/Tokyo"
        assert event.get("dtstamp") is not None
    slot_event = events[f"casework-outreach-slot-{slot.id}@localhost"]
    assert slot_event.decoded("dtend") == dt.datetime.combine(day.held_on, dt.time(10, 45), tzinfo=TOKYO)
    assert str(slot_event["location"]) == "弘前市民会館"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]

    again = Calendar.from_ical(client.get(url).data)  # the same UIDs every time
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(expected)


def test_confidential_items_show_no_client_name(client, auth, make):
    member = make.user("shokei", role="succession", centers=["succession"])
    secret = make.client("極秘承継株式会社")
    case = make.case(secret, center_code="succession")
    db.session.add(FollowUp(client_id=secret.id, case_id=case.id, center_id=case.center_id, assignee_id=member.id,
                            due_on=today_jst() + dt.timedelta(days=2), reason="株価算定の打合せ"))
    db.session.commit()
    auth.login(member)
    url = _issue(client)
    body = client.get(url).data
    assert "極秘承継".encode() not in Calendar.from_ical(body).to_ical() and "株価算定".encode() not in body
    events = list(Calendar.from_ical(body).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["事業承継 面談（フォローアップ）"]


def test_a_booked_slot_of_a_confidential_client_hides_the_name(client, auth, make):
    me = make.user("cal2", role="coordinator", centers=["yorozu"])
    secret = make.client("秘密の譲渡株式会社")
    make.case(secret, center_code="succession")  # known to the succession center: confidential
    day = outreach.plan_day(outreach.DayData(center_id=make.center("yorozu").id, held_on=today_jst(),
                                             place="八戸会場", slots="13:00-13:45", staff_ids=[me.id]), by=me)
    outreach.book_slot(day.slots[0], secret, by=me)
    db.session.commit()
    auth.login(me)
    body = client.get(_issue(client)).data
    assert "秘密の譲渡".encode() not in body
    summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT"))
    assert summaries == ["事業承継 面談", "出張相談会：八戸会場"]


def test_wrong_revoked_and_regenerated_tokens(client, auth, make):
    me = make.user("cal3", role="coordinator")
    auth.login(me)
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404
    first = _issue(client)
    assert client.get(first).status_code == 200
    feed = db.session.scalar(select(CalendarFeed))
    token = first.rsplit("/", 1)[1][:-4]
    assert feed.token_hash != token and len(feed.token_hash) == 64  # stored hashed
    second = _issue(client)  # regenerate: the old URL stops
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    response = client.post("/calendar/revoke", data={"action": "revoke"}, follow_redirects=True)
    assert "カレンダー配信を停止しました" in text_of(response)
    assert client.get(second).status_code == 404
    auth.logout()
    assert client.get(second).status_code == 404
    assert client.get("/calendar/").status_code == 302  # the settings page needs a login
