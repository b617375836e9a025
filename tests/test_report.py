"""The annual report: importing the legacy sample gives exactly expected-report.json."""
import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casework.extensions import db
from casework.models import Consultation, User
from casework.reporting import annual_report, metric_records, render_csv, render_text, render_xlsx
from casework.services.consultations import void_consultation

DATA = Path(__file__).parent / "data"
EXPECTED = json.loads((DATA / "expected-report.json").read_text(encoding="utf-8"))


@pytest.fixture
def imported(runner):
    result = runner.invoke(args=["import", str(DATA / "legacy-import")])
    assert result.exit_code == 0, result.output
    return result


def _figures(report, which):
    """{section: {row or breakdown: value}} for current/previous, like expected-report.json."""
    out = {}
    for section in report["sections"]:
        figures = out[section["key"]] = {row["key"]: row[which] for row in section["rows"]}
        for key in ("top_themes", "by_industry", "top_industries"):
            if key in section:
                figures[key] = section[key][which]
    return out


def test_annual_report_matches_expected_figures(imported, runner):
    result = runner.invoke(args=["report", "annual", "--fy", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["fiscal_year"] == 2025 and report["label"] == "令和7年度"
    assert report["previous"] == {"fiscal_year": 2024, "label": "令和6年度"}
    # the contract's sections first, in order; sections beyond it (e.g. seminars) may follow
    assert [s["key"] for s in report["sections"]][:5] == ["onestop", "yorozu", "dispatch", "startup", "succession"]
    assert [r["key"] for r in report["sections"][0]["rows"]] == ["window", "visit", "total"]
    for which in ("current", "previous"):
        got = _figures(report, which)
        for section, figures in EXPECTED[which].items():
            for key, value in figures.items():
                if isinstance(value, list):  # breakdowns: the leading entries, in order
                    assert got[section][key][:len(value)] == value, (which, section, key)
                else:
                    assert got[section][key] == value, (which, section, key)


def test_breakdowns_list_every_nonzero_entry_most_first(imported):
    report = annual_report(2025)
    themes = report["sections"][0]["top_themes"]["current"]
    counts = [e["count"] for e in themes]
    assert counts == sorted(counts, reverse=True) and all(counts)
    # ties keep the vocabulary order: 経営全般 (management) before IT, both 8
    labels = [e["label"] for e in themes]
    assert labels.index("経営全般") < labels.index("IT")


def test_voided_records_and_records_of_voided_clients_do_not_count(imported, make):
    admin = make.user("boss", role="admin", centers=[])
    before = annual_report(2025)["sections"][0]["rows"][0]["current"]
    stmt = metric_records("onestop", "window", *_fy(2025))
    records = list(db.session.scalars(stmt))
    assert len(records) == before
    void_consultation(records[0], "重複登録", admin)
    from casework.services.clients import void_client

    other = next(r for r in records[1:] if r.client_id != records[0].client_id)
    same_client = sum(1 for r in records[1:] if r.client_id == other.client_id)
    void_client(other.client, "誤登録", admin)
    db.session.commit()
    assert annual_report(2025)["sections"][0]["rows"][0]["current"] == before - 1 - same_client


def _fy(fy):
    return dt.date(fy, 4, 1), dt.date(fy + 1, 4, 1)


def test_metric_records_are_the_records_behind_each_figure(imported):
    report = annual_report(2025)
    for section in report["sections"]:
        for row in section["rows"]:
            records = list(db.session.scalars(metric_records(section["key"], row["key"], *_fy(2025))))
            if section["key"] in ("dispatch", "succession") and row["key"] == "companies":
                assert len({r.client_id for r in records}) == row["current"]
            elif row["key"] in ("participants", "amount"):  # sums over the records
                assert sum(getattr(r, row["key"]) or 0 for r in records) == row["current"]
            else:
                assert len(records) == row["current"], (section["key"], row["key"])


def test_center_restriction_keeps_only_that_centers_sections(imported, runner):
    result = runner.invoke(args=["report", "annual", "--fy", "2025", "--center", "onestop"])
    report = json.loads(result.output)
    assert [s["key"] for s in report["sections"]] == ["onestop", "dispatch"]
    assert report["sections"][0]["rows"][0]["current"] == 74
    bad = runner.invoke(args=["report", "annual", "--fy", "2025", "--center", "nowhere"])
    assert bad.exit_code != 0 and "unknown center" in bad.output


def test_text_csv_and_xlsx_hold_the_same_figures(imported, runner, tmp_path):
    report = annual_report(2025)
    text = runner.invoke(args=["report", "annual", "--fy", "2025", "--format", "text"]).output
    assert "区分\t令和6年度\t令和7年度" in text
    assert "窓口相談\t61件\t74件" in text
    assert "派遣企業\t3社\t4社" in text
    assert "創業者数\t6名\t7名" in text
    assert "出張相談会開催回数\t12回\t15回" in text
    assert "ビジネスプラン 43件" in text

    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert rows[0] == ["section", "row", "事業", "区分", "令和6年度", "令和7年度"]
    by_key = {(r[0], r[1]): r for r in rows[1:] if not r[3].startswith("主な") and not r[3].startswith("業種")}
    out = tmp_path / "report.xlsx"
    result = runner.invoke(args=["report", "annual", "--fy", "2025", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    xrows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert xrows[0] == ["事業コード", "項目コード", *rows[0][2:]]  # the workbook's header in Japanese
    assert len(xrows) == len(rows)
    for section in report["sections"]:
        for row in section["rows"]:
            line = by_key[(section["key"], row["key"])]
            assert line[3] == row["label"]
            assert (int(line[4]), int(line[5])) == (row["previous"], row["current"])
    for csv_row, x_row in zip(rows[1:], xrows[1:]):
        assert csv_row[:4] == x_row[:4] and [int(v) for v in csv_row[4:]] == x_row[4:]
    assert "ビジネスプラン" in render_text(report)


def test_exports_never_turn_text_into_formulas(app, make):
    from casework.models import Theme

    theme = db.session.get(Theme, "it")
    theme.label = '=HYPERLINK("http://evil","IT")'
    make.consultation(make.client(), held_on=dt.date(2025, 5, 1), theme_codes=["it"])
    report = annual_report(2025)
    assert report["sections"][0]["top_themes"]["current"][0]["label"].startswith("=")
    # any text cell, whatever the report holds: row labels, titles
    report["sections"][0]["rows"][0]["label"] = "=1+2"
    report["sections"][1]["title"] = "@SUM(A1)"
    report["sections"][2]["rows"][0]["label"] = "-2+3"
    report["sections"][3]["rows"][0]["label"] = "+cmd|' /C calc'!A0"
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    texts = [cell for row in rows for cell in row]
    assert "'=1+2" in texts and "'@SUM(A1)" in texts and "'-2+3" in texts and "'+cmd|' /C calc'!A0" in texts
    assert not any(cell[:1] in "=+-@" and cell for cell in texts)
    sheet = load_workbook(io.BytesIO(render_xlsx(report))).active
    values = {c.value: c for row in sheet.iter_rows() for c in row}
    for text in ("=1+2", "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0"):
        assert values[text].data_type == "s"  # a string cell, never a formula
    assert not any(c.data_type == "f" for c in values.values())


def test_report_of_an_empty_database_is_all_zeros(app):
    report = annual_report(2023)
    assert report["label"] == "令和5年度" and report["previous"]["label"] == "令和4年度"
    assert all(r["current"] == 0 and r["previous"] == 0 for s in report["sections"] for r in s["rows"])
    assert report["sections"][0]["top_themes"] == {"current": [], "previous": []}


def test_report_formats_through_the_command_line(imported, runner, tmp_path):
    result = runner.invoke(args=["report", "annual", "--fy", "2025", "--format", "xlsx"])
    assert result.exit_code == 0
    sheet = load_workbook(io.BytesIO(result.stdout_bytes)).active
    assert [c.value for c in sheet[2]] == ["onestop", "window", "ワンストップ総合相談事業", "窓口相談", 61, 74]
    out = tmp_path / "report.csv"
    assert runner.invoke(args=["report", "annual", "--fy", "2025", "--format", "csv", "-o", str(out)]).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    assert "onestop,total,ワンストップ総合相談事業,計,149,155" in data.decode("utf-8-sig")
    printed = runner.invoke(args=["report", "annual", "--fy", "2025", "--format", "csv"]).output
    assert printed.splitlines()[3] == "onestop,total,ワンストップ総合相談事業,計,149,155"
