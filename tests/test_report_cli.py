"""`casework report annual` and `casework tally` refuse an unknown --center code: a usage
error on stderr naming the code and the known ones, nothing on stdout, no -o file, exit 2."""
import datetime as dt
import json

import pytest


@pytest.mark.parametrize("args", [
    ["report", "annual", "--fy", "2024"],
    ["report", "annual", "--fy", "2024", "--format", "text"],
    ["report", "annual", "--fy", "2024", "--format", "xlsx"],
    ["tally", "--month", "2024-05"],
    ["tally", "--month", "2024-05", "--format", "text"],
])
def test_unknown_center_is_a_usage_error(app, runner, args):
    result = runner.invoke(args=[*args, "--center", "nowhere"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Error: Invalid value for --center: unknown center 'nowhere'" in result.stderr
    assert "known centers: onestop, yorozu, succession, startup" in result.stderr


def test_one_unknown_code_among_known_ones_is_refused(app, runner):
    for args in (["report", "annual", "--fy", "2024"], ["tally", "--month", "2024-05"]):
        result = runner.invoke(args=[*args, "--center", "onestop", "--center", "Onestop"])
        assert result.exit_code == 2 and result.stdout == ""
        assert "unknown center 'Onestop'" in result.stderr  # codes are exact: no case folding, no labels


def test_unknown_center_writes_no_output_file(app, runner, tmp_path):
    out = tmp_path / "report.csv"
    result = runner.invoke(args=["report", "annual", "--fy", "2024", "--format", "csv", "--center", "ワンストップ",
                                 "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()


def test_known_centers_still_restrict(app, runner, make):
    make.consultation(make.client(), held_on=dt.date(2024, 5, 7), channel="visit")
    make.consultation(make.client(), center_code="startup", held_on=dt.date(2024, 5, 8))
    tally = json.loads(runner.invoke(args=["tally", "--month", "2024-05", "--center", "onestop"]).stdout)
    assert tally["sections"] == {"onestop": {"window": 0, "visit": 1, "total": 1},
                                 "dispatch": {"companies": 0, "visits": 0}}
    result = runner.invoke(args=["report", "annual", "--fy", "2024", "--center", "startup", "--center", "onestop"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [s["key"] for s in report["sections"]] == ["onestop", "dispatch", "startup"]
    assert report["sections"][2]["rows"][1] == {"key": "consultations", "label": "相談件数", "current": 1,
                                                "previous": 0}
