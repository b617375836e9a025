"""What waits for managers: pending dispatch approvals, idle deals, months to close — on the
home page and in the bell (issue 14, "Who is told")."""
import datetime as dt
import html

from casework.dates import today_jst
from casework.extensions import db
from casework.services.reminders import build_digest
from casework.services.tallies import add_months, month_key, store_monthly_tally

from . import factories
from .conftest import text_of
from .scheduling import deal, notifications_for, visit


def pending_dispatch(case, requested_on):
    v = visit(case, requested_on + dt.timedelta(days=44))
    v.dispatch.status = "requested"
    v.dispatch.requested_on = requested_on
    db.session.commit()
    return v.dispatch


def test_manager_home_lists_dispatches_to_decide_and_months_to_close(client, auth, make):
    manager = make.user("mgr", role="manager", centers=["onestop"])
    case = make.case(make.client("有限会社派遣待ち商店"))
    dispatch = pending_dispatch(case, today_jst() - dt.timedelta(days=3))
    auth.login(manager)
    response = client.get("/")
    page = text_of(response)
    assert "あなたの確認待ち" in page
    assert "承認待ちの専門家派遣（1件）" in page and "有限会社派遣待ち商店" in page
    assert f'href="/dispatch/{dispatch.id}"' in response.get_data(as_text=True)
    year, month = add_months(today_jst().year, today_jst().month, -1)
    assert "締めの済んでいない月次集計" in page and f"{year}年{month}月 まだ保存されていません" in page


def test_a_stored_month_whose_records_changed_is_to_restate(client, auth, make):
    manager = make.user("mgr", role="manager", centers=["onestop"])
    today = today_jst()
    months = [add_months(today.year, today.month, -n) for n in (1, 2, 3)]
    for year, month in months:
        store_monthly_tally(year, month)
    db.session.commit()
    auth.login(manager)
    assert "締めの済んでいない月次集計" not in text_of(client.get("/"))
    year, month = months[0]
    make.consultation(make.client("株式会社あとから記録"), held_on=dt.date(year, month, 1))
    page = text_of(client.get("/"))
    assert f"{year}年{month}月 保存後に記録が変更されています（再計算が必要）" in page


def test_coordinator_home_shows_nothing_to_decide(client, logged_in, make):
    pending_dispatch(make.case(make.client("有限会社派遣待ち商店")), today_jst())
    page = text_of(client.get("/"))
    assert "あなたの確認待ち" not in page and "有限会社派遣待ち商店" not in page


def test_succession_staff_see_idle_deals_on_home(client, auth, make):
    shokei = make.user("shokei", role="succession", centers=["succession"])
    deal(today_jst() - dt.timedelta(days=40))
    deal(today_jst() - dt.timedelta(days=2))  # moving: not listed
    auth.login(shokei)
    page = html.unescape(text_of(client.get("/")))
    assert "停滞している M&A 案件（1件）" in page and "S-2024-001 × B-2024-009" in page


def test_digest_tells_deciders_of_pending_dispatches_only_in_their_centers(app):
    manager = factories.user("mgr", role="manager", centers=["onestop"])
    other = factories.user("mgr2", role="manager", centers=["yorozu"])
    coord = factories.user("coord", centers=["onestop"])
    today = today_jst()
    dispatch = pending_dispatch(factories.case(factories.client("有限会社派遣待ち商店")), today - dt.timedelta(days=5))
    build_digest(today)
    [note] = notifications_for(manager, f"dispatch:{dispatch.id}:pending")
    assert note.title == "専門家派遣の承認待ち: 有限会社派遣待ち商店" and note.body.endswith("（5日経過）")
    assert note.link == f"/dispatch/{dispatch.id}"
    assert notifications_for(other) == [] and notifications_for(coord) == []


def test_digest_asks_to_restate_a_changed_month(app):
    admin = factories.user("adm", role="admin", centers=[])
    today = today_jst()
    year, month = add_months(today.year, today.month, -1)
    store_monthly_tally(year, month)
    db.session.commit()
    build_digest(today)
    assert notifications_for(admin) == []
    factories.consultation(factories.client("株式会社あとから記録"), held_on=dt.date(year, month, 2))
    build_digest(today + dt.timedelta(days=1))
    [note] = notifications_for(admin, f"tally:{month_key(year, month)}")
    assert note.title == f"{year}年{month}月の月次集計" and "再計算" in note.body
    assert note.link == f"/tallies/{month_key(year, month)}"


def test_a_case_opened_by_a_consultation_is_named_after_center_themes_and_date(client, logged_in, make):
    c = make.client("株式会社件名確認")
    response = client.post(f"/consultations/new?client_id={c.id}", data={
        "held_on": "R6.5.1", "channel_code": "window", "theme_codes": ["cash_flow"], "center_id": str(make.center("onestop").id),
        "staff_id": str(logged_in.id), "save": "保存"}, follow_redirects=True)
    assert response.status_code == 200
    assert "ワンストップ総合相談：資金繰り（2024-05-01の相談）" in text_of(response)
