"""Counting rules in one place (issue 11): the tally's fingerprint, the analytics export and the
report pages take their tables, units and centers from the metric definitions, and agree with
the report on the same data."""
import datetime as dt

import sqlite_utils

from casework.extensions import db
from casework.reporting import annual_report, monthly_tally
from casework.reporting.metrics import metric_sources, report_definitions
from casework.services import tallies
from casework.services.clients import void_client
from casework.services.founders import GrantData, apply_grant, decide_grant


def _row(report, section, key):
    s = next(s for s in report["sections"] if s["key"] == section)
    return next(r for r in s["rows"] if r["key"] == key)


def test_fingerprint_reads_every_table_a_metric_counts(app):
    sources = {(model.__tablename__, column) for model, column in metric_sources(report_definitions().metrics)}
    for m in report_definitions().metrics:
        assert (m.table.name, m.date_column) in sources, m.id
    assert ("grants", "decided_on") in sources


def test_adopting_a_grant_changes_the_month_and_its_fingerprint(app, make):
    admin = make.user("boss", role="admin", centers=[])
    case = make.case(center_code="startup", opened_on=dt.date(2024, 4, 1))
    grant = apply_grant(case, GrantData(applied_on=dt.date(2024, 4, 10)))
    db.session.commit()
    tally, fp = monthly_tally(2024, 5), tallies.fingerprint(2024, 5)
    decide_grant(grant, decision="adopted", decided_on=dt.date(2024, 5, 20), amount=1_500_000, by=admin)
    db.session.commit()
    assert monthly_tally(2024, 5) != tally
    assert monthly_tally(2024, 5)["sections"]["grants"] == {"adopted": 1, "amount": 1_500_000}
    assert tallies.fingerprint(2024, 5) != fp
    assert _row(annual_report(2024), "grants", "adopted")["current"] == 1


def test_voiding_a_client_changes_the_month_and_its_fingerprint(app, make):
    admin = make.user("boss", role="admin", centers=[])
    kept, gone = make.client(), make.client()
    make.consultation(kept, held_on=dt.date(2024, 5, 7))
    make.consultation(gone, held_on=dt.date(2024, 5, 8))
    stored = tallies.store_monthly_tally(2024, 5)
    db.session.commit()
    assert stored.data["sections"]["onestop"]["window"] == 2
    assert tallies.fingerprint(2024, 5) == stored.fingerprint
    void_client(gone, "重複登録", admin)
    db.session.commit()
    assert monthly_tally(2024, 5)["sections"]["onestop"]["window"] == 1
    assert tallies.fingerprint(2024, 5) != stored.fingerprint
    status = {r["month"]: r for r in tallies.fiscal_year_status(2024, dt.date(2024, 7, 1))}
    assert status["2024-05"]["changed"] is True
    assert tallies.fingerprint(2024, 6) == tallies.fingerprint(2024, 6)  # other months: stable


def test_analytics_export_counts_what_the_report_counts(runner, make, tmp_path):
    admin = make.user("boss", role="admin", centers=[])
    kept, gone = make.client(), make.client()
    for client in (kept, gone):
        make.consultation(client, held_on=dt.date(2024, 5, 7))
        make.consultation(client, held_on=dt.date(2024, 6, 7), channel="visit")
    void_client(gone, "誤登録", admin)
    db.session.commit()
    report = annual_report(2024)
    path = tmp_path / "a.db"
    assert runner.invoke(args=["export-analytics", str(path)]).exit_code == 0
    out = sqlite_utils.Database(path)
    exported = list(out.query("select channel, count(*) n from consultations where fiscal_year = 2024 "
                              "and center = 'onestop' group by channel order by channel"))
    assert {r["channel"]: r["n"] for r in exported} == {
        "visit": _row(report, "onestop", "visit")["current"], "window": _row(report, "onestop", "window")["current"]}
    assert _row(report, "onestop", "total")["current"] == 2
    assert out["cases"].count == 1  # the voided client's case left too


def test_pages_take_units_and_centers_from_the_definitions(app):
    from casework.services import reports

    d = report_definitions()
    for m in d.metrics:
        assert reports.unit_of(m.section, {"key": m.key}) == m.unit
    for s in d.sections:
        assert reports.section_center(s.key) == s.center
    assert [b.label for b in reports.breakdowns_of("dispatch")] == ["業種内訳"]
    assert not hasattr(reports, "UNITS") and not hasattr(reports, "SECTION_CENTERS")
