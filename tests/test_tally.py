"""`casework tally`: the report's metrics within one month."""
import datetime as dt
import json
from pathlib import Path

from casework.reporting import annual_report, monthly_tally

DATA = Path(__file__).parent / "data"


def test_monthly_counts_add_up_to_the_year_except_distinct_ones(runner):
    assert runner.invoke(args=["import", str(DATA / "legacy-import")]).exit_code == 0
    report = annual_report(2025)
    months = [monthly_tally(2025 + (m < 4), m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    assert [t["fiscal_year"] for t in months] == [2025] * 12
    for section in report["sections"]:
        for row in section["rows"]:
            total = sum(t["sections"][section["key"]][row["key"]] for t in months)
            if row["key"] == "companies":  # distinct clients: not the sum of the months
                assert total >= row["current"]
            else:
                assert total == row["current"], (section["key"], row["key"])
    succession = sum(t["sections"]["succession"]["companies"] for t in months)
    assert succession > report["sections"][4]["rows"][0]["current"]  # some company came back another month


def test_distinct_counts_stay_distinct_within_a_month(app, make):
    client = make.client()
    for day in (1, 15):
        make.consultation(client, center_code="succession", held_on=dt.date(2024, 5, day))
    make.consultation(client, center_code="succession", held_on=dt.date(2024, 6, 1))
    may, june = monthly_tally(2024, 5), monthly_tally(2024, 6)
    assert may["sections"]["succession"] == {"companies": 1, "consultations": 2, "diagnoses": 0, "expert_dispatches": 0}
    assert june["sections"]["succession"]["companies"] == 1
    assert annual_report(2024)["sections"][4]["rows"][0]["current"] == 1


def test_tally_command_json_and_text(app, runner, make):
    make.consultation(make.client(), held_on=dt.date(2023, 4, 3), channel="visit")
    result = runner.invoke(args=["tally", "--month", "2023-04"])
    assert result.exit_code == 0, result.output
    tally = json.loads(result.output)
    assert tally["month"] == "2023-04" and tally["fiscal_year"] == 2023
    assert tally["sections"]["onestop"] == {"window": 0, "visit": 1, "total": 1}
    assert list(tally["sections"]) == ["onestop", "yorozu", "dispatch", "startup", "succession"]
    text = runner.invoke(args=["tally", "--month", "2023-04", "--format", "text"]).output
    assert "巡回相談\t1件" in text
    bad = runner.invoke(args=["tally", "--month", "2023-13"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
