"""What the morning digest tells whom: each kind of reminder, thresholds, and access rules
(nobody is told about records they may not see)."""
import datetime as dt

import time_machine

from casework import jobs
from casework.extensions import db
from casework.models import Case
from casework.services.reminders import build_digest, flag_stale_cases

from . import factories
from .scheduling import JST, deal, followup, notifications_for, visit

D = dt.date
TODAY = D(2024, 5, 7)


def titles(user):
    return [n.title for n in notifications_for(user) if n.digest_on == TODAY]


def test_followups_due_and_overdue_for_their_assignee_only(app):
    coord = factories.user("coord", centers=["onestop"])
    other = factories.user("other", centers=["onestop"])
    case = factories.case(factories.client("株式会社青森りんご"), assignee_id=coord.id)
    followup(case, coord, TODAY, reason="創業3か月後の確認")
    followup(case, coord, D(2024, 4, 1), reason="補助金の結果確認")
    followup(case, coord, D(2024, 5, 8), reason="まだ先")
    done = followup(case, coord, D(2024, 4, 2), reason="完了済み")
    done.completed_on = D(2024, 4, 3)
    db.session.commit()
    build_digest(TODAY)
    db.session.commit()
    got = {n.title: (n.kind, n.body) for n in notifications_for(coord)}
    assert got == {
        "フォローアップ: 株式会社青森りんご — 創業3か月後の確認": ("followup_due", "期限 2024-05-07（本日）"),
        "フォローアップ: 株式会社青森りんご — 補助金の結果確認": ("followup_overdue", "期限 2024-04-01（36日超過）"),
    }
    assert notifications_for(other) == []
    assert sorted(n.link for n in notifications_for(coord)) == sorted(
        f"/followups/{n.item_key.split(':')[1]}" for n in notifications_for(coord))


def test_followup_in_a_center_the_assignee_cannot_see_is_not_notified(app):
    coord = factories.user("coord", centers=["onestop"])
    case = factories.case(center_code="succession")
    followup(case, coord, TODAY)  # wrongly assigned to someone outside the confidential center
    build_digest(TODAY)
    assert notifications_for(coord) == []


def test_expert_reports_overdue_go_to_center_staff_and_requester(app):
    yorozu = factories.user("yorozu", centers=["yorozu"])
    onestop = factories.user("coord", centers=["onestop"])
    requester = factories.user("req", centers=["yorozu", "onestop"])
    admin = factories.user("admin", role="admin", centers=[])
    case = factories.case(factories.client("八戸水産"), center_code="yorozu")
    visit(case, D(2024, 5, 1), requester=requester)
    visit(case, TODAY)  # due today: not overdue yet
    visit(case, D(2024, 4, 20), received_on=D(2024, 4, 19))  # received
    build_digest(TODAY)
    assert titles(yorozu) == ["専門家報告書が未提出: 八戸水産（2024-04-17 訪問）"]
    assert titles(requester) == titles(yorozu)
    assert notifications_for(yorozu)[0].body == "提出期限 2024-05-01（6日超過）"
    assert titles(onestop) == [] and titles(admin) == []


def test_idle_deals_reach_succession_members_only(app):
    shokei = factories.user("shokei", role="succession", centers=["succession"])
    shokei2 = factories.user("shokei2", role="succession", centers=["succession"])
    coord = factories.user("coord", centers=["onestop"])
    manager = factories.user("manager", role="manager", centers=["onestop", "yorozu"])
    deal(TODAY - dt.timedelta(days=31))  # no assignee: every member of the center
    deal(TODAY - dt.timedelta(days=30))  # exactly 30 days: not yet
    assigned = deal(TODAY - dt.timedelta(days=45), assignee=shokei2, stage="top_meeting")
    deal(TODAY - dt.timedelta(days=90), stage="closed")
    build_digest(TODAY)
    assert titles(shokei) == ["M&A 案件が停滞: S-2024-001 × B-2024-009（秘密保持契約）"]
    assert sorted(titles(shokei2)) == sorted(titles(shokei) + ["M&A 案件が停滞: S-2024-001 × B-2024-009（トップ面談）"])
    assert [n.body for n in notifications_for(shokei2) if n.item_key == f"deal:{assigned.id}"] == [
        "2024-03-23 から 45日 同じ段階"]
    assert titles(coord) == [] and titles(manager) == []


def test_deal_threshold_is_configurable(app):
    app.config["DEAL_IDLE_DAYS"] = 10
    shokei = factories.user("shokei", role="succession", centers=["succession"])
    deal(TODAY - dt.timedelta(days=11))
    build_digest(TODAY)
    assert len(titles(shokei)) == 1


def test_founders_without_contact(app):
    im = factories.user("im", role="im", centers=["startup"])
    quiet = factories.case(factories.client("山田 さくら", kind="prospective_founder"), center_code="startup",
                           opened_on=D(2024, 1, 10), assignee_id=im.id)
    factories.consultation(quiet.client, center_code="startup", held_on=D(2024, 3, 7), case_id=quiet.id)  # 61 days
    recent = factories.case(factories.client("佐藤 健", kind="prospective_founder"), center_code="startup",
                            opened_on=D(2024, 1, 10), assignee_id=im.id)
    factories.consultation(recent.client, center_code="startup", held_on=D(2024, 3, 9), case_id=recent.id)  # 59
    never = factories.case(factories.client("高橋 美咲", kind="prospective_founder"), center_code="startup",
                           opened_on=D(2024, 2, 1), assignee_id=im.id)
    build_digest(TODAY)
    got = {n.title: n.body for n in notifications_for(im) if n.kind == "founder_no_contact"}
    assert got == {"創業者と60日以上接触なし: 山田 さくら": "最後の相談 2024-03-07（61日前）",
                   "創業者と60日以上接触なし: 高橋 美咲": "案件開始 2024-02-01 以来 相談記録なし"}
    assert never.id  # opened 96 days ago without any consultation


def test_next_action_dates_passed(app):
    coord = factories.user("coord", centers=["onestop"])
    c1 = factories.consultation(factories.client("弘前建設"), held_on=D(2024, 4, 20), staff_id=coord.id,
                                next_action="見積書の確認", next_action_on=D(2024, 5, 1))
    factories.consultation(factories.client("津軽デジタル"), held_on=D(2024, 4, 20), staff_id=coord.id,
                           next_action="再訪問", next_action_on=D(2024, 5, 20))
    followed = factories.consultation(factories.client("三沢運輸"), held_on=D(2024, 4, 10), staff_id=coord.id,
                                      next_action="資料送付", next_action_on=D(2024, 4, 20))
    factories.consultation(followed.client, held_on=D(2024, 4, 25), staff_id=coord.id, case_id=followed.case_id)
    build_digest(TODAY)
    assert titles(coord) == ["次回対応: 弘前建設 — 見積書の確認"]
    assert notifications_for(coord)[0].body == "次回対応日 2024-05-01（6日経過）"
    assert c1.id


def test_digest_is_safe_to_run_twice(app):
    coord = factories.user("coord", centers=["onestop"])
    case = factories.case(assignee_id=coord.id)
    followup(case, coord, TODAY)
    first = build_digest(TODAY)
    second = build_digest(TODAY)
    db.session.commit()
    assert (first["created"], second["created"]) == (1, 0)
    assert len(notifications_for(coord)) == 1


@time_machine.travel(dt.datetime(2024, 5, 7, 8, 15, tzinfo=JST), tick=False)
def test_stale_cases_flagged_and_assignee_notified_once(app):
    coord = factories.user("coord", centers=["onestop"])
    stale = factories.case(factories.client("五所川原商事"), opened_on=D(2023, 10, 1), assignee_id=coord.id)
    fresh = factories.case(opened_on=D(2023, 12, 1), assignee_id=coord.id)
    assert jobs.run_stale(TODAY).detail == {"flagged": 1, "unflagged": 0, "notified": 1}
    assert db.session.get(Case, stale.id).review_flagged_at is not None
    assert db.session.get(Case, fresh.id).review_flagged_at is None
    assert titles(coord) == ["見直しが必要な案件: 五所川原商事（180日以上動きなし）"]
    # the next day: already flagged, nobody is told again
    assert flag_stale_cases(TODAY + dt.timedelta(days=1)) == {"flagged": 0, "unflagged": 0, "notified": 0}
    # activity after the flag clears it
    factories.consultation(stale.client, held_on=TODAY + dt.timedelta(days=1), case_id=stale.id)
    assert flag_stale_cases(TODAY + dt.timedelta(days=2))["unflagged"] == 1
    assert db.session.get(Case, stale.id).review_flagged_at is None


def test_overdue_report_followup_is_reminded_once_as_a_report(app):
    from casework.models import FollowUp

    requester = factories.user("req", centers=["yorozu"])
    case = factories.case(factories.client("八戸水産"), center_code="yorozu")
    v = visit(case, D(2024, 5, 1), requester=requester)
    db.session.add(FollowUp(client_id=case.client_id, case_id=case.id, center_id=case.center_id,
                            assignee_id=requester.id, due_on=D(2024, 5, 1), reason="専門家の報告書",
                            source="dispatch_report", source_key=f"dispatch_report:{v.id}"))
    db.session.commit()
    build_digest(TODAY)
    assert [n.kind for n in notifications_for(requester)] == ["report_overdue"]
