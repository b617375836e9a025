"""Stored monthly figures (casework/reporting/rollup.py): a closed month is read from
report_rollups, the report stays exact after edits and voids of old records — whatever wrote
them — and a recounted month is flagged as restated."""
import datetime as dt
import json

import pytest
from sqlalchemy import delete, select, text, update

from casework.dates import fiscal_year, fiscal_year_bounds, today_jst
from casework.extensions import db
from casework.models import Client, Consultation, ReportMonthChange, ReportRollup, ReportRollupMonth, Theme
from casework.reporting import annual_report, monthly_tally
from casework.reporting import rollup
from casework.services.consultations import void_consultation

from .test_import_fy2023 import DATA

FY = fiscal_year(today_jst()) - 1  # a fiscal year whose months are all closed (but March, on April 1st)
MAY = dt.date(FY, 5, 12)
JUNE = dt.date(FY, 6, 3)


def figures(report) -> dict:
    """What the report says, without the restatement note."""
    return {k: v for k, v in report.items() if k != "restated"}


def recount(fy: int) -> dict:
    """The report counted from the records alone: no stored month read."""
    nested = db.session.begin_nested()
    db.session.execute(delete(ReportRollupMonth))
    report = annual_report(fy)
    nested.rollback()
    return figures(report)


def onestop(report) -> dict:
    section = next(s for s in report["sections"] if s["key"] == "onestop")
    return {r["key"]: (r["previous"], r["current"]) for r in section["rows"]} | {
        "themes": [(e["label"], e["count"]) for e in section.get("themes", {}).get("current", [])]}


def store() -> dict:
    result = rollup.refresh()
    db.session.commit()
    return result


@pytest.fixture
def year(app, make):
    """Consultations of the onestop desk in May and June of a closed fiscal year, with themes."""
    a, b = make.client(industry_code="E"), make.client(industry_code="I")
    made = [make.consultation(a, held_on=MAY, theme_codes=["cash_flow"]),
            make.consultation(a, held_on=MAY, channel="visit", theme_codes=["marketing"]),
            make.consultation(b, held_on=JUNE, theme_codes=["cash_flow", "marketing"]),
            make.consultation(b, held_on=dt.date(FY - 1, 9, 1))]
    return a, b, made


def test_closed_months_are_read_from_the_store(year):
    live = annual_report(FY)
    result = store()
    assert f"{FY}-05" in result["stored"] and result["restated"] == []
    assert db.session.scalar(select(ReportRollup.value).where(ReportRollup.month == f"{FY}-05", ReportRollup.entry == "")
                             .limit(1)) is not None
    assert figures(annual_report(FY)) == figures(live)
    # the stored figure is what the report reads: change it behind the app's back and the report follows
    db.session.execute(update(ReportRollup).where(ReportRollup.month == f"{FY}-05").values(value=ReportRollup.value + 100))
    assert onestop(annual_report(FY))["window"][1] > onestop(live)["window"][1] + 99
    db.session.rollback()
    assert store()["stored"] == []  # nothing missing, nothing changed: nothing counted again


def test_an_edit_of_a_closed_month_counts_at_once_and_is_restated(year, make):
    a, b, made = year
    store()
    before = annual_report(FY)
    assert before["restated"] == []
    # a void through the app, a theme taken away, a date moved to another month
    admin = make.user("rollup-admin", role="admin")
    void_consultation(made[0], "二重登録", admin)
    made[2].themes = [db.session.get(Theme, "cash_flow")]
    made[1].held_on = JUNE
    db.session.commit()
    changed = annual_report(FY)
    assert figures(changed) == recount(FY)
    assert onestop(changed)["window"][1] == onestop(before)["window"][1] - 1
    assert changed["restated"] == []  # counted live until the month is stored again
    result = store()
    assert result["restated"] == [f"{FY}-05", f"{FY}-06"]
    after = annual_report(FY)
    assert figures(after) == recount(FY) == figures(changed)
    assert [r["month"] for r in after["restated"]] == [f"{FY}-05", f"{FY}-06"]
    assert db.session.scalar(select(ReportRollupMonth.restatements).where(ReportRollupMonth.month == f"{FY}-05")
                             .limit(1)) == 1
    # the monthly tally of a stored month reads it too: June holds made[2] (窓口) and made[1] (巡回) now
    june = monthly_tally(FY, 6)["sections"]["onestop"]
    assert (june["window"], june["visit"]) == (1, 1)


def test_a_record_added_to_a_stored_month_counts(year, make):
    a, b, made = year
    store()
    before = onestop(annual_report(FY))["window"][1]
    make.consultation(b, held_on=MAY)  # a late entry, or an import of last year's paper records
    assert onestop(annual_report(FY))["window"][1] == before + 1
    assert figures(annual_report(FY)) == recount(FY)
    assert store()["restated"] == [f"{FY}-05"]


def test_writes_the_app_does_not_make_are_seen_too(year):
    """SQL typed by hand (an import's bulk insert, a merge's move, a DBA's fix) goes through the triggers."""
    a, b, made = year
    store()
    db.session.execute(text("UPDATE consultations SET channel_code = 'visit' WHERE id = :id"), {"id": made[2].id})
    db.session.execute(text("UPDATE consultations SET client_id = :a WHERE id = :id"), {"a": a.id, "id": made[3].id})
    db.session.execute(text("DELETE FROM consultation_themes WHERE consultation_id = :id"), {"id": made[0].id})
    db.session.commit()
    assert figures(annual_report(FY)) == recount(FY)
    changes = dict(db.session.execute(select(ReportMonthChange.month, ReportMonthChange.changes)).all())
    assert changes[f"{FY}-05"] >= 1 and changes[f"{FY}-06"] >= 1 and changes[f"{FY - 1}-09"] >= 1
    store()
    assert figures(annual_report(FY)) == recount(FY)


def test_a_client_voided_or_given_another_industry_restates_its_months(year, make):
    a, b, made = year
    store()
    b_industry = annual_report(FY)
    db.session.execute(update(Client).where(Client.id == b.id).values(industry_code="P"))
    db.session.execute(update(Client).where(Client.id == a.id).values(voided_at=dt.datetime(2026, 1, 1)))
    db.session.commit()
    now = annual_report(FY)
    assert figures(now) == recount(FY) != figures(b_industry)
    assert set(store()["restated"]) >= {f"{FY}-05", f"{FY}-06"}
    assert figures(annual_report(FY)) == recount(FY)


def test_the_open_month_is_never_stored_and_a_new_record_counts(app, make):
    today = today_jst()
    make.consultation(held_on=today)
    result = store()
    assert rollup.month_key(today) not in result["stored"]
    current = annual_report(fiscal_year(today))
    assert figures(current) == recount(fiscal_year(today))
    assert db.session.scalar(select(ReportMonthChange.changes).where(ReportMonthChange.month == rollup.month_key(today))) is None


def test_the_fy2023_report_is_the_same_read_from_stored_months(app, runner):
    assert runner.invoke(args=["import", str(DATA)]).exit_code == 0
    live = annual_report(2023)
    result = runner.invoke(args=["report", "refresh", "--month", "2023-04", "--month", "2023-05"])
    assert result.exit_code == 0, result.output
    assert "stored 2 month(s): 2023-04, 2023-05" in result.output
    months = [f"{y}-{m:02d}" for y, m in [(2022, m) for m in range(4, 13)] + [(2023, m) for m in range(1, 13)]
              + [(2024, m) for m in range(1, 4)]]
    rollup.refresh(months)
    db.session.commit()
    stored = annual_report(2023)
    assert figures(stored) == figures(live)
    # what the report's JSON says about it: no month restated
    out = runner.invoke(args=["report", "annual", "--fy", "2023", "--format", "json"])
    assert json.loads(out.stdout)["restated"] == []
    bad = runner.invoke(args=["report", "refresh", "--month", "2023-13"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output


def test_the_page_says_which_months_were_restated(year, auth, make):
    a, b, made = year
    store()
    made[0].channel_code = "visit"
    db.session.commit()
    store()
    auth.login(make.user("rollup-admin", role="admin"))
    page = auth.client.get(f"/reports/?fy={FY}").get_data(as_text=True)
    assert f"{FY}年5月" in page and "集計し直し" in page


def test_a_period_splits_into_stored_months_and_live_parts():
    closed = dt.date(2026, 12, 1)
    months, live = rollup.split(fiscal_year_bounds(2026), closed)
    assert months[0] == "2026-04" and months[-1] == "2026-11" and live == [(dt.date(2026, 12, 1), dt.date(2027, 4, 1))]
    months, live = rollup.split((dt.date(2025, 5, 15), dt.date(2025, 8, 10)), closed)
    assert months == ["2025-06", "2025-07"]
    assert live == [(dt.date(2025, 5, 15), dt.date(2025, 6, 1)), (dt.date(2025, 8, 1), dt.date(2025, 8, 10))]
    assert rollup.split((dt.date(2025, 5, 15), dt.date(2025, 5, 20)), closed) == ([], [(dt.date(2025, 5, 15), dt.date(2025, 5, 20))])


def test_the_nightly_job_stores_the_closed_months_once_a_day(year):
    from casework import jobs

    first = jobs.run_job("rollups")
    assert first.ran and f"{FY}-05" in first.detail["stored"]
    assert not jobs.run_job("rollups").ran  # the day is done
    assert figures(annual_report(FY)) == recount(FY)
