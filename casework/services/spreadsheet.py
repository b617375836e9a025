"""The one CSV/XLSX writer of every export (privacy ZIP, report CSV/XLSX, …).

A cell that starts with = + - @ (or a tab / carriage return, which Excel skips before them) is
run as a formula when the file is opened: `=HYPERLINK(...)` in a client's name would become a
link, `@SUM(1,1)` a calculation (OWASP "CSV injection"). In CSV such text gets a leading
apostrophe, which spreadsheets show as plain text; in XLSX every text cell is stored as a
string cell, never a formula. Numbers, dates and None are written as they are.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet will show, not evaluate: "'" before a leading = + - @ tab CR."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence | None, rows: Iterable[Sequence]) -> str:
    """CSV (CRLF line ends, as Excel writes them) with every cell made safe."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header is not None:
        writer.writerow([safe_cell(c) for c in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buf.getvalue()


def csv_of_dicts(rows: Sequence[dict], columns: Sequence[str] | None = None, *, bom: bool = True) -> str:
    """A CSV of dict rows (keys as the header); "\\ufeff" first so Excel reads it as UTF-8."""
    columns = list(columns if columns is not None else (rows[0] if rows else []))
    text = csv_text(columns, ([row.get(c) for c in columns] for row in rows))
    return ("\ufeff" if bom else "") + text


def fill_sheet(ws, rows: Iterable[Sequence], *, bold_header: bool = True) -> None:
    """Write rows into an openpyxl worksheet: text as string cells (never formulas)."""
    from openpyxl.styles import Font

    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if r == 1 and bold_header:
                cell.font = Font(bold=True)


def xlsx_bytes(title: str, rows: Iterable[Sequence], *, widths: Sequence[int] = (), freeze: str | None = "A2",
               more_sheets=None) -> bytes:
    """A workbook whose first sheet is rows (the first is the header); `more_sheets(wb)` adds
    others (the annual report's 報告書 sheet), which must type their text cells as strings too."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    fill_sheet(ws, rows)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if freeze:
        ws.freeze_panes = freeze
    if more_sheets is not None:
        more_sheets(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
