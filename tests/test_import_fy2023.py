"""The FY2023 dataset (tests/data/fy2023/, built by its build.py from the FY2023 business report's
own figures) imported into an empty database gives the report's figures (issue 12 "Done when").

What this checks:
- the dataset is what build.py builds (so the files can be checked against their source);
- every figure build.py uses is the report's own (jisseki.txt is the report's 【事業実績】);
- the files import cleanly, all or nothing, and a second import changes nothing;
- every table is in the report (by the report definitions' section and row keys), and
  `casework report annual --fy 2023 --format json` and the report page give each figure exactly:
  前年度, 当年度 and 累計 (with the opening balances), 千円 figures as printed; list tables hold
  the printed rows (研修名, 連携機関, 日程, 開催地区, 参加人数 …); 主な相談テーマ / 主な業種 come out in
  the printed order where the vocabulary names them.

Not checkable against the print (the vocabularies do not hold the printed words): 専門家派遣's
業種内訳 （繊維業） (JSIC's 11 is 繊維工業, as 6(1) prints it), 1(3)②'s 飲食業等; 2(6)'s lecture table
(テーマ / 講師: no record holds it); the tables
1(3)①イ and 7(3)①② print as one-row tables of a count (their figures are checked as rows above).
"""
import html
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
    """The dataset (its folder: every file, opening balances included) imported into the test's
    empty database with `casework import`."""
    result = runner.invoke(args=["import", str(DATA)])
    assert result.exit_code == 0, result.output
    assert "opening_balances: 13 created, 0 updated" in result.stdout
    return result


def report_json(runner) -> dict:
    result = runner.invoke(args=["report", "annual", "--fy", "2023", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def sections_by_key(report) -> dict:
    return {s["key"]: s for s in report["sections"]}


def matched(report) -> tuple[list, list]:
    """[(expected table, {row key: report row})] for the tables the report holds (by the report
    definitions' section and row keys), and the names of the missing ones."""
    sections = sections_by_key(report)
    found, missing = [], []
    for table in EXPECTED["tables"]:
        section = sections.get(table["section"])
        rows = {r["key"]: r for r in section["rows"]} if section else {}
        if section and all(r["key"] in rows for r in table["rows"]):
            found.append((table, rows))
        else:
            missing.append(f'{table["number"]} {table["title"]} ({table["section"]})')
    for table in EXPECTED["lists"]:
        section = sections.get(table["section"]) if table["section"] else None
        if table["section"] and not (section and (section.get("lists") or section.get("tables"))):
            missing.append(f'{table["number"]} {table["title"]} ({table["section"]}, list)')
    return found, missing


def figure(row, key):
    if row.get("printed") and key in row["printed"]:
        return row["printed"][key]
    return row.get(key)


def test_the_imported_dataset_gives_every_figure_of_the_report_in_its_json(fy2023, runner):
    """One import (28,000 rows) for every check of the JSON."""
    report = report_json(runner)
    found, missing = matched(report)
    assert missing == []  # every table of the FY2023 report is defined
    check_figures(found)
    check_lists(report)
    check_breakdowns(report)


def check_figures(found):
    for table, rows in found:
        for want in table["rows"]:
            got = rows[want["key"]]
            for key in ("previous", "current", "cumulative"):
                if want.get(key) is not None:
                    assert figure(got, key) == want[key], (table["number"], want["label"], key, got)


def number_of(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


NUMBER_COLUMNS = ("participants", "companies", "granted_amount", "total", "in_prefecture")


def printed_cell(cell: str, key: str):
    if key in NUMBER_COLUMNS:
        return None if cell == "-" else number_of(cell)
    return cell


def listed_tables(report, table) -> tuple[list[str], list[dict]]:
    """(header as casework prints it, rows) of the report's table for an expected list table: the
    section's list, or, for a section split by event, its table of that letter (ア, イ …)."""
    section = sections_by_key(report)[table["section"]]
    if "tables" in section:
        letter = table["number"].split()[-1]
        (split,) = [t for t in section["tables"] if t["number"] == letter]
        rows = [{"label": r["label"], **{c["key"]: (r.get("printed") or r)[c["key"]] for c in split["columns"]}}
                for r in split["rows"]]
        return ["区分"] + [c["label"] for c in split["columns"]], rows
    # the section's list of that label (「21あおりアワード」表彰), else its first (【実績】)
    listed = next((t for t in section["lists"] if t["label"] == table["title"]), section["lists"][0])
    return [c["label"] for c in listed["columns"]], listed["rows"]


def check_lists(report):
    """The list tables have the printed columns (研修名, 連携機関, 日程, 開催地区, 参加人数 …; a
    table per 商談会 with 全体 / うち青森県) and hold the printed rows, cell for cell."""
    for table in EXPECTED["lists"]:
        if not table["section"]:
            continue  # a table of a count: its figures are rows above
        header, rows = listed_tables(report, table)
        assert header == table["columns"], table["number"]
        got = [[row.get(key) for key in table["keys"] if key] for row in rows]
        want = [[printed_cell(cell, key) for cell, key in zip(row, table["keys"]) if key] for row in table["rows"]]
        assert [[fold(str(c)) for c in r] for r in got] == [[fold(str(c)) for c in r] for r in want], table["number"]
    sections = sections_by_key(report)
    for entry in EXPECTED["year_headers"]:  # 「令和4年度 (令和5年度事業)」 heads the columns
        headers = sections[entry["section"]]["year_headers"]
        assert [headers["previous"], headers["current"]] == entry["headers"], entry["number"]


def check_breakdowns(report):
    """主な相談テーマ / 主な業種 in the printed order, where the vocabulary names them."""
    sections = sections_by_key(report)
    for section, key, number in (("onestop", "top_themes", "1(1)①"), ("yorozu", "top_themes", "1(1)②"),
                                 ("startup", "top_industries", "1(3)①"), ("dx_support", "top_industries", "2(9)"),
                                 ("sales_advisors", "top_industries", "6(1)")):
        printed_labels = next(b for b in EXPECTED["breakdowns"] if b["number"] == number)["printed"]
        labels = [entry["label"] for entry in sections[section][key]["current"]][:len(printed_labels)]
        # casework prints the vocabulary's label: 宿泊業，飲食サービス業 for the report's 飲食サービス業
        assert all(fold(want) in fold(got) for want, got in zip(printed_labels, labels)), (number, labels)
        assert len(labels) == len(printed_labels)


def test_the_report_page_shows_the_same_figures_and_a_second_import_changes_nothing(fy2023, runner, client, auth,
                                                                                   make):
    found, _missing = matched(report_json(runner))
    auth.login(make.user("root", role="admin", centers=[]))
    page = text_of(client.get("/reports/?fy=2023"))
    for table, rows in found:
        for want in table["rows"]:
            if want.get("previous") is None or want.get("current") is None:
                continue
            label = rows[want["key"]]["label"]
            cells = f'{printed(want["previous"], want["unit"])} {printed(want["current"], want["unit"])}'
            assert f"{label} {cells}" in page, (table["number"], label, cells)
    folded = fold(html.unescape(page))  # (text_of leaves entities: Seven C&#39;s)
    for table in EXPECTED["lists"]:  # each printed row, cell after cell, in its table on the page
        if table["section"]:
            for row in table["rows"]:
                assert fold("".join(row)) in folded, (table["number"], row)
    for entry in EXPECTED["year_headers"]:
        assert fold("区分" + "".join(entry["headers"])) in folded, entry["number"]
    filed = fold(html.unescape(text_of(client.get("/reports/?fy=2023&view=filed"))))
    for table in EXPECTED["lists"]:  # the report's layout: the printed header, then the rows
        if table["section"]:
            assert fold("".join(table["columns"]) + "".join(table["rows"][0])) in filed, table["number"]
    for entry in EXPECTED["year_headers"]:
        assert fold("区分" + "".join(entry["headers"])) in filed, entry["number"]
    again = runner.invoke(args=["import", str(DATA)])
    assert again.exit_code == 0, again.output
    assert all(line.endswith(" 0 created, 0 updated") for line in again.stdout.splitlines()), again.stdout
