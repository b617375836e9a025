"""The FY2023 dataset (tests/data/fy2023/, built by its build.py from the FY2023 business report's
own figures) imported into an empty database gives the report's figures (issue 12 "Done when").

What this checks:
- the dataset is what build.py builds (so the files can be checked against their source);
- every figure build.py uses is the report's own (jisseki.txt is the report's 【事業実績】);
- the files import cleanly, all or nothing, and a second import changes nothing;
- for every table the report definitions hold (matched by number and row label), `casework
  report annual --fy 2023 --format json` and the report page give each figure exactly: 前年度,
  当年度 and 累計 (with the opening balances), 千円 figures as printed, 主な相談テーマ in order;
- the tables the definitions do not hold yet are listed by an expected failure (strict: it
  fails once they all exist, so that this marker is removed).
"""
import importlib.util
import json
import re
import unicodedata
from pathlib import Path

import pytest

from .conftest import text_of

DATA = Path(__file__).parent / "data" / "fy2023"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
JISSEKI = (DATA / "jisseki.txt").read_text(encoding="utf-8")


def load_build():
    spec = importlib.util.spec_from_file_location("fy2023_build", DATA / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def printed(n, unit):
    return f"{n:,}{unit}"


def test_the_dataset_is_what_build_py_builds():
    built = load_build().files()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in DATA.iterdir() if p.suffix in (".csv", ".json")}
    assert set(built) == set(on_disk)
    assert [name for name in built if built[name] != on_disk[name]] == []


def test_every_figure_of_the_dataset_is_printed_in_the_report():
    """Each table's figures appear, as printed, in that table of the report's 【事業実績】."""
    text = fold(JISSEKI)
    for table in EXPECTED["tables"]:
        start = text.index(fold(table["title"]), text.index(fold("【事業実績】")))
        chunk = text[start:start + 1500]
        for row in table["rows"]:
            for key in ("previous", "current", "cumulative"):
                n = row.get(key)
                if n is None:
                    continue
                unit = row["unit"]
                forms = [printed(n, unit)] + (["-" + unit] if n == 0 else []) + \
                    ([f"延べ{n:,}社"] if unit == "社" else [])
                assert any(fold(f) in chunk for f in forms), (table["number"], row["label"], key, n)
    for table in EXPECTED["lists"]:
        for row in table["rows"]:
            for cell in row:
                assert fold(cell) in text, (table["number"], cell)


@pytest.fixture
def fy2023(app, runner):
    """The dataset imported into the test's empty database (the opening balances of the report
    rows the definitions hold)."""
    from sqlalchemy import select

    from casework.extensions import db
    from casework.models import ReportSection

    records = [str(p) for p in sorted(DATA.glob("*.csv")) if p.name != "opening_balances.csv"]
    result = runner.invoke(args=["import", *records])
    assert result.exit_code == 0, result.output
    numbers = {s.number for s in db.session.scalars(select(ReportSection)) if s.number}
    openings = [line for line in (DATA / "opening_balances.csv").read_text(encoding="utf-8").splitlines()[1:]
                if line.split(",", 1)[0] in numbers]
    if openings:
        path = Path(app.instance_path).parent / "opening_balances.csv"
        path.write_text("section,row,as_of_fy,value,note\n" + "\n".join(openings) + "\n", encoding="utf-8")
        result = runner.invoke(args=["import", str(path)])
        assert result.exit_code == 0, result.output
    return result


def report_json(runner) -> dict:
    result = runner.invoke(args=["report", "annual", "--fy", "2023", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def matched(report) -> tuple[list, list]:
    """[(expected table, report section)] for the tables the report holds, and the missing ones."""
    by_number = {}
    for section in report["sections"]:
        by_number.setdefault(section.get("number"), []).append(section)
    found, missing = [], []
    for table in EXPECTED["tables"]:
        sections = [s for s in by_number.get(table["number"], [])
                    if fold(s["title"]) in fold(table["title"]) or fold(table["title"]) in fold(s["title"])]
        rows = {fold(r["label"]): r for s in sections for r in s["rows"]}
        if sections and all(fold(r["label"]) in rows for r in table["rows"]):
            found.append((table, sections, rows))
        else:
            missing.append(f'{table["number"]} {table["title"]}')
    return found, missing


def figure(row, key):
    if row.get("printed") and key in row["printed"]:
        return row["printed"][key]
    return row.get(key)


def test_the_imported_dataset_gives_every_figure_of_the_tables_the_report_defines(fy2023, runner):
    report = report_json(runner)
    found, _missing = matched(report)
    assert found, "no table of the FY2023 report is defined"
    for table, _sections, rows in found:
        for want in table["rows"]:
            got = rows[fold(want["label"])]
            for key in ("previous", "current", "cumulative"):
                if want.get(key) is not None:
                    assert figure(got, key) == want[key], (table["number"], want["label"], key, got)
    onestop = next(s for s in report["sections"] if s.get("number") == "1(1)①")
    themes = next(b for b in EXPECTED["breakdowns"] if b["number"] == "1(1)①")["printed"]
    assert [t["label"] for t in onestop["top_themes"]["current"]][:len(themes)] == themes


def test_the_report_page_shows_the_same_figures(fy2023, runner, client, auth, make):
    report = report_json(runner)
    found, _missing = matched(report)
    auth.login(make.user("root", role="admin", centers=[]))
    page = text_of(client.get("/reports/?fy=2023"))
    for table, _sections, rows in found:
        for want in table["rows"]:
            if want.get("previous") is None or want.get("current") is None:
                continue
            unit = rows[fold(want["label"])].get("unit") or want["unit"]
            cells = f'{printed(want["previous"], want["unit"])} {printed(want["current"], want["unit"])}'
            assert f'{want["label"]} {cells}' in page, (table["number"], want["label"], unit, page[:3000])


def test_importing_the_dataset_again_changes_nothing(fy2023, runner):
    records = [str(p) for p in sorted(DATA.glob("*.csv")) if p.name != "opening_balances.csv"]
    again = runner.invoke(args=["import", *records])
    assert again.exit_code == 0 and all(line.endswith(" 0 created, 0 updated") for line in again.stdout.splitlines())


@pytest.mark.xfail(strict=True, reason="report definitions for these FY2023 tables are not on this branch yet "
                                       "(engineer `reports`): see the assertion's list")
def test_every_table_of_the_fy2023_report_is_defined(fy2023, runner):
    _found, missing = matched(report_json(runner))
    assert missing == []
