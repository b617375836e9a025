"""Retention report: records past RETENTION_YEARS."""
import datetime as dt

from casework.extensions import db
from casework.services.cases import close_case
from casework.services.retention import records_past_retention


def test_closed_cases_and_inactive_clients_past_retention_are_listed(app, runner, make):
    old = make.case(opened_on=dt.date(2010, 4, 1))
    close_case(old, closed_on=dt.date(2012, 3, 31), outcome_code="resolved")
    old.client.created_at = dt.datetime(2010, 4, 1)
    db.session.commit()
    recent = make.case(opened_on=dt.date(2023, 4, 1))
    found = records_past_retention(dt.date(2024, 5, 1))
    keys = {(r.kind, r.object_type, r.object_id) for r in found}
    assert ("case", "Case", old.id) in keys
    assert ("client", "Client", old.client_id) in keys
    assert not any(r.object_id in (recent.id, recent.client_id) and r.kind in ("case", "client") for r in found)
    result = runner.invoke(args=["retention-report", "--today", "2024-05-01"])
    assert result.exit_code == 0, result.output
    assert "保存期間 10 年" in result.output and f"Case" in result.output
    # a longer period keeps them
    assert not [r for r in records_past_retention(dt.date(2024, 5, 1), years=20) if r.kind in ("case", "client")]
