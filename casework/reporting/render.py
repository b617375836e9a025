"""The annual report as text (区分 / 前年度 / 当年度, as the printed report lays it out), CSV and XLSX.

All three hold the same rows: report_rows() is the one flattening of the report. Exports never
let cell text become a formula (CSV: a leading apostrophe; XLSX: cells typed as strings).
"""
from __future__ import annotations

from ..services.spreadsheet import FORMULA_STARTS, csv_text, safe_cell as safe_text, xlsx_bytes  # noqa: F401  one writer
from .metrics import report_definitions


def _breakdowns(section: dict, definitions=None):
    for b in (definitions or report_definitions()).breakdowns_of(section["key"]):
        if b.key in section:
            yield b, section[b.key]


def report_rows(report: dict) -> list[dict]:
    """Flat rows: section, row key, 区分, previous, current (breakdown entries merged by label)."""
    definitions = report_definitions()
    rows = []
    for section in report["sections"]:
        for row in section["rows"]:
            rows.append({"section_key": section["key"], "section": section["title"], "row_key": row["key"],
                         "label": row["label"], "previous": row["previous"], "current": row["current"]})
        for b, data in _breakdowns(section, definitions):
            previous = {e["label"]: e["count"] for e in data["previous"]}
            current = {e["label"]: e["count"] for e in data["current"]}
            labels = [e["label"] for e in data["current"]] + [e["label"] for e in data["previous"]
                                                              if e["label"] not in current]
            for label in labels:
                rows.append({"section_key": section["key"], "section": section["title"], "row_key": b.key,
                             "label": f"{b.label}：{label}", "previous": previous.get(label, 0),
                             "current": current.get(label, 0)})
    return rows


def _header(report: dict) -> list[str]:
    return ["section", "row", "事業", "区分", report["previous"]["label"], report["label"]]


def _cells(row: dict) -> list:
    return [row["section_key"], row["row_key"], row["section"], row["label"], row["previous"], row["current"]]


def render_text(report: dict) -> str:
    prev_label, cur_label = report["previous"]["label"], report["label"]
    out = [f"{cur_label} 事業実績（{prev_label}との比較）", ""]
    definitions = report_definitions()
    for section in report["sections"]:
        out += [f"■ {section['title']}", "", "【実績】", f"区分\t{prev_label}\t{cur_label}"]
        for row in section["rows"]:
            unit = section.get("units", {}).get(row["key"], "件")
            figures = row.get("printed", row) if unit == "千円" else row
            out.append(f"{row['label']}\t{figures['previous']:,}{unit}\t{figures['current']:,}{unit}")
        for b, data in _breakdowns(section, definitions):
            out += ["", f"【{b.label}】"]
            for label, entries in ((prev_label, data["previous"]), (cur_label, data["current"])):
                listed = "、".join(f"{e['label']} {e['count']:,}{b.unit}" for e in entries) or "なし"
                out.append(f"{label}\t{listed}")
        out.append("")
    return "\n".join(out)


def render_csv(report: dict) -> str:
    return csv_text(_header(report), (_cells(row) for row in report_rows(report)))


def render_xlsx(report: dict) -> bytes:
    from .filed import add_filed_sheet

    # the 報告書 sheet (the printed report's layout) after the rows
    # the CSV's rows; the header speaks Japanese for the people opening the workbook (the CSV's
    # section/row header stays for scripts: docs/interchange.md)
    header = ["事業コード", "項目コード", *_header(report)[2:]]
    return xlsx_bytes(f"{report['fiscal_year']}年度", [header] + [_cells(row) for row in report_rows(report)],
                      widths=(12, 18, 32, 36, 14, 14), more_sheets=lambda wb: add_filed_sheet(wb, report))
