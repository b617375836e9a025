"""The report as the center files it: the tables of 【事業実績】 in the printed report's layout,
numbering and units — one flattening (filed_tables) that the page's 報告書の体裁 view, the Word
document and the XLSX's 報告書 sheet all print.

Layout rules (the FY2023 business report): sections in their printed numbering (1(1)①, 1(1)②,
…, 7(3), 8); 区分 / 前年度 / 当年度, and 累計 when a row has one; a row combined with another is
printed in one cell 「4社（派遣延べ回数 16回）」 and the other row is not repeated; a breakdown
named 主な… is printed under the table as 【主な相談テーマ】 ・ビジネスプラン …, other
breakdowns (業種内訳) as a row 「（製造業）2社、（卸売業）1社」; amounts in 千円, rounded
千円未満四捨五入, with the rule printed under the table.
"""
from __future__ import annotations

import re

from .engine import thousand_yen
from .metrics import Definitions, report_definitions

ROUNDING_NOTE = "※ 金額は千円未満四捨五入"
TOP_ENTRIES = 6  # 主な…: the most frequent entries printed
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def number_key(number: str | None) -> tuple:
    """1(1)① < 1(1)② < 1(3)① < 2(11) < 7(3) < 8; unnumbered sections last."""
    if not number:
        return (10_000,)
    key = []
    for part in re.findall(r"[0-9]+|[①-⑳]|[ア-ン]", number):
        if part in CIRCLED:  # (str.isdigit() holds for ① too)
            key.append(CIRCLED.index(part) + 1)
        elif part.isdecimal():
            key.append(int(part))
        else:
            key.append(1000 + ord(part))
    return tuple(key)


def figure(value: int, unit: str) -> str:
    return f"{value:,}{unit}"


def filed_tables(report: dict, definitions: Definitions | None = None) -> list[dict]:
    """[{"key", "heading", "header": [...], "rows": [[cells]], "lists": [{"label", "header", "rows"}],
    "themes": [("主な相談テーマ", [labels])], "notes": [...]}] in the printed order."""
    d = definitions or report_definitions()
    metrics = d.metric_by_id
    prev_label, cur_label = report["previous"]["label"], report["label"]
    out = []
    sections = sorted(enumerate(report["sections"]), key=lambda p: (number_key(p[1].get("number")), p[0]))
    for _i, section in sections:
        rows_by_key = {r["key"]: r for r in section["rows"]}
        section_metrics = {r["key"]: metrics.get(f"{section['key']}.{r['key']}") for r in section["rows"]}
        combined = {m.combine_with for m in section_metrics.values() if m is not None and m.combine_with}
        cumulative = any("cumulative" in r for r in section["rows"])
        years = section.get("year_headers") or {"previous": prev_label, "current": cur_label}
        header = ["区分", years["previous"], years["current"]] + (["累計"] if cumulative else [])
        notes, thousands = [], False

        def printed(row, which):
            unit = section.get("units", {}).get(row["key"], "件")
            if unit == "千円":
                return figure(row["printed"][which], unit)
            if unit == "円":  # the report's unit for amounts is 千円 (千円未満四捨五入)
                return figure(thousand_yen(row[which]), "千円")
            return figure(row[which], unit)

        rows = []
        for row in section["rows"]:
            if row["key"] in combined:
                continue
            m = section_metrics[row["key"]]
            if section.get("units", {}).get(row["key"]) in ("千円", "円"):
                thousands = True
            cells = [row["label"]]
            for which in ("previous", "current"):
                text = printed(row, which)
                other = rows_by_key.get(m.combine_with) if m is not None and m.combine_with else None
                if other is not None:
                    text += f"（{other['label']} {printed(other, which)}）"
                cells.append(text)
            if cumulative:
                cells.append(printed(row, "cumulative") if "cumulative" in row else "")
            rows.append(cells)
        themes = []
        for b in d.breakdowns_of(section["key"]):
            if b.key not in section:
                continue
            data = section[b.key]
            if b.label.startswith("主な"):
                themes.append((b.label, [e["label"] for e in data["current"][:TOP_ENTRIES]]))
            else:
                cells = [b.label] + ["、".join(f"（{e['label']}）{e['count']:,}{b.unit}" for e in data[which]) or "なし"
                                     for which in ("previous", "current")]
                rows.append(cells + ([""] if cumulative else []))
        lists = []
        for t in section.get("tables", []):  # one table per event (1(2)② ア, イ): 全体 [/ うち県内]
            lists.append({"label": f"{t['number']} {t['label']}", "header": ["区分"] + [c["label"] for c in t["columns"]],
                          "rows": [[r["label"]] + [_split_cell(r, c["key"]) for c in t["columns"]] for r in t["rows"]]})
            thousands = thousands or any(r["unit"] == "千円" for r in t["rows"])
        for t in section.get("lists", []):
            lists.append({"label": t["label"], "header": [c["label"] for c in t["columns"]],
                          "rows": [[_cell(r[c["key"]], c.get("unit")) for c in t["columns"]] for r in t["rows"]]})
            thousands = thousands or any(c.get("unit") == "千円" for c in t["columns"])
        if cumulative:
            starts = sorted({r["cumulative_from"] for r in section["rows"] if "cumulative_from" in r})
            notes.append("※「累計」欄は、" + "・".join(_fy_name(y) for y in starts) + "からのもの。")
        if section.get("note"):
            notes.append(section["note"])
        if thousands:
            notes.append(ROUNDING_NOTE)
        heading = f"{section['number']} {section['title']}" if section.get("number") else section["title"]
        split = "tables" in section  # a table per event: the section's own rows are not printed
        out.append({"key": section["key"], "heading": heading, "header": header,
                    "rows": rows if section["rows"] and not split else [],
                    "lists": lists, "themes": themes, "notes": notes})
    return out


def _cell(value, unit):
    if unit and isinstance(value, int):
        return f"{value:,}{unit}"
    return "" if value is None else value


def _split_cell(row, column):
    value = (row.get("printed") or row)[column]
    return "-" if value is None else f"{value:,}{row['unit']}"


def _fy_name(fy: int) -> str:
    from ..dates import fy_label

    return fy_label(fy)


def render_docx(report: dict, definitions: Definitions | None = None) -> bytes:
    """The 事業実績 as a Word document (python-docx): one numbered heading and 【実績】 table per
    section, in the printed report's layout; Japanese headers; the rounding rule under 千円 tables."""
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "MS Mincho"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "ＭＳ 明朝")
    doc.add_heading(f"【事業実績】{report['label']}", level=1)
    doc.add_paragraph(f"（{report['previous']['label']}との比較）")

    def table(header, rows):
        t = doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in rows:
            cells = t.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, values)):
                cell.text = "" if text is None else str(text)
                if i > 0:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return t

    for section in filed_tables(report, definitions):
        doc.add_heading(section["heading"], level=2)
        if section["rows"]:
            doc.add_paragraph("【実績】")
            table(section["header"], section["rows"])
        for lst in section["lists"]:
            doc.add_paragraph(f"【{lst['label']}】")
            if lst["rows"]:
                table(lst["header"], lst["rows"])
            else:
                doc.add_paragraph("該当なし")
        for label, entries in section["themes"]:
            doc.add_paragraph(f"【{label}】")
            doc.add_paragraph("　".join(f"・{e}" for e in entries) or "該当なし")
        for note in section["notes"]:
            doc.add_paragraph(note)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def add_filed_sheet(wb, report: dict, definitions: Definitions | None = None) -> None:
    """The same tables on a sheet 報告書 of an openpyxl workbook (text cells typed as strings)."""
    from openpyxl.styles import Font

    ws = wb.create_sheet("報告書")
    r = 1

    def put(values, bold=False):
        nonlocal r
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
            if bold:
                cell.font = Font(bold=True)
        r += 1

    put([f"【事業実績】{report['label']}"], bold=True)
    for section in filed_tables(report, definitions):
        r += 1
        put([section["heading"]], bold=True)
        if section["rows"]:
            put(section["header"], bold=True)
            for row in section["rows"]:
                put(row)
        for lst in section["lists"]:
            put([f"【{lst['label']}】"], bold=True)
            put(lst["header"], bold=True)
            for row in lst["rows"]:
                put(row)
        for label, entries in section["themes"]:
            put([f"【{label}】", "　".join(f"・{e}" for e in entries) or "該当なし"])
        for note in section["notes"]:
            put([note])
    for letter, width in zip("ABCDE", (34, 30, 30, 16, 12)):
        ws.column_dimensions[letter].width = width
