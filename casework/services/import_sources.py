"""Reading import files (docs/interchange.md): CSV files and XLSX workbooks into sheets of text
cells, each sheet of a kind named by its file or sheet name; Japanese column headers as aliases.

A sheet is what the validator checks: a name as errors show it (`clients.csv`, or
`実績.xlsx[相談記録]`), its kind, its header and its rows, each `(row number as a spreadsheet
shows it, [cell text, ...])`. XLSX cells arrive typed and are written as the text a CSV would
hold: dates as YYYY-MM-DD, whole numbers without a decimal point. Formulas and error values are
refused where they are (a problem with the sheet, row and column), never evaluated.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# kind → Japanese label (sheet or file name), in import order (interchange.md)
KIND_LABELS = {
    "clients": "相談先", "cases": "案件", "consultations": "相談記録", "events": "催し",
    "dispatches": "専門家派遣", "diagnoses": "事業承継診断", "registrations": "登録企業",
    "introductions": "あっせん紹介", "attendances": "催しの参加企業", "grants": "助成金",
    "milestones": "到達段階", "opening_balances": "累計の繰越",
}
KIND_ALIASES = {  # other names a sheet (or file) of that kind may have
    "events": ["相談会・セミナー", "相談会", "イベント"], "dispatches": ["専門家派遣記録"],
    "attendances": ["event_attendances", "参加企業", "出席企業"], "grants": ["助成・補助金", "補助金"],
    "milestones": ["case_milestones"], "registrations": ["登録"], "opening_balances": ["累計繰越", "繰越", "openings"],
    "consultations": ["相談"],
}
KINDS = tuple(KIND_LABELS)
EXTENSIONS = (".csv", ".xlsx")

# Japanese column headers accepted for each column (the labels a center's spreadsheet has).
# Shared by every kind unless the kind has its own (KIND_COLUMN_ALIASES).
COLUMN_ALIASES = {
    "ref": ["管理番号", "番号", "整理番号", "ID"],
    "name": ["相談先名", "企業名", "事業者名", "名称", "氏名"],
    "name_kana": ["フリガナ", "ふりがな", "カナ", "よみがな"],
    "kind": ["区分", "種別"],
    "corporate_number": ["法人番号"],
    "industry": ["業種", "業種（大分類）"],
    "industry_division": ["業種（中分類）", "中分類"],
    "municipality": ["市町村", "所在市町村", "市町村名", "地方公共団体コード"],
    "employees": ["従業員数", "従業員"],
    "client_ref": ["相談先番号", "相談先管理番号", "企業番号", "相談先ref"],
    "case_ref": ["案件番号", "案件管理番号"],
    "event_ref": ["催し番号", "相談会番号", "イベント番号"],
    "center": ["センター", "窓口", "担当センター"],
    "program": ["事業", "事業名", "事業コード"],
    "opened_on": ["開始日", "受付日", "開設日"],
    "closed_on": ["終了日", "完了日"],
    "assignee": ["担当者", "担当者ログイン名"],
    "outcome": ["成果", "結果"],
    "outcome_on": ["成果日", "結果日"],
    "channel": ["相談方法", "方法", "チャネル"],
    "held_on": ["日付", "実施日"],
    "staff": ["対応者", "担当者", "担当職員"],
    "themes": ["相談テーマ", "テーマ"],
    "activity": ["活動区分", "活動"],
    "category": ["相談区分"],
    "notes": ["備考", "メモ", "内容"],
    "title": ["名称", "件名", "タイトル"],
    "ends_on": ["終了日", "最終日"],
    "partners": ["連携機関", "参加機関", "共同実施者"],
    "area": ["開催地区", "地区", "開催場所"],
    "participants": ["参加人数", "参加者数", "参加者"],
    "companies": ["企業数", "社数"],
    "speaker": ["講師", "講演者"],
    "expert": ["専門家", "専門家名"],
    "fee": ["謝金", "謝金額"],
    "company_share": ["企業負担額", "企業負担"],
    "by": ["実施機関", "診断機関"],
    "side": ["区分", "発注・受注", "発注受注区分"],
    "registered_on": ["登録日"],
    "ended_on": ["抹消日", "登録終了日"],
    "buyer_ref": ["発注企業番号", "発注側番号", "発注企業"],
    "supplier_ref": ["受注企業番号", "受注側番号", "受注企業"],
    "introduced_on": ["紹介日", "あっせん日"],
    "amount": ["金額", "成立金額"],
    "subject": ["案件内容", "加工内容"],
    "company_name": ["企業名", "会社名"],
    "companies_in_prefecture": ["うち県内企業数", "県内企業数"],
    "meetings": ["商談件数"],
    "meetings_in_prefecture": ["うち県内商談件数"],
    "deals": ["商談成立件数", "成約件数", "成立件数"],
    "deals_in_prefecture": ["うち県内成立件数", "うち県内商談成立件数"],
    "amount_in_prefecture": ["うち県内金額", "うち県内成立金額"],
    "quote_requests": ["見積依頼", "見積依頼件数"],
    "course": ["コース", "枠", "コース・枠"],
    "scheme": ["制度名", "補助金名"],
    "applied_on": ["申請日"],
    "decision": ["採択", "採否", "採択・不採択"],
    "decided_on": ["決定日", "採択日"],
    "round_fy": ["採択年度", "公募年度"],
    "project_fy": ["事業年度", "実施年度"],
    "project_end_fy": ["事業終了年度"],
    "granted_on": ["交付日", "交付決定日"],
    "granted_amount": ["交付金額", "交付決定額"],
    "milestone": ["到達段階", "段階"],
    "achieved_on": ["到達日", "日付"],
    "number": ["数", "人数", "回数"],
    "section": ["表", "表キー"],
    "row": ["行", "行キー"],
    "as_of_fy": ["年度", "繰越年度", "この年度より前"],
    "value": ["値", "累計", "数値"],
    "note": ["注記", "備考"],
}
KIND_COLUMN_ALIASES = {  # where a kind reads a label its own way
    "clients": {"kind": ["区分", "種別", "法人・個人"]},
    "events": {"kind": ["種別", "区分", "種類"], "held_on": ["開催日", "日付", "開始日"], "title": ["名称", "件名", "研修名", "タイトル"],
               "companies": ["企業数", "参加企業数", "出展企業数", "社数"]},
    "consultations": {"held_on": ["相談日", "日付", "実施日"], "notes": ["相談内容", "内容", "備考", "メモ"]},
    "dispatches": {"held_on": ["派遣日", "訪問日", "日付", "実施日"]},
    "diagnoses": {"held_on": ["診断日", "実施日", "日付"]},
    "introductions": {"outcome": ["結果", "成否", "成果"], "outcome_on": ["結果日", "成立日"]},
    "grants": {"amount": ["採択金額", "金額"], "title": ["事業名", "研究テーマ", "件名", "テーマ"]},
    "attendances": {"amount": ["商談成立金額", "成立金額", "成約金額", "金額"], "companies": ["企業数", "出席企業数", "社数"]},
    "opening_balances": {"row": ["行", "行キー"], "note": ["注記", "備考"]},
}


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().casefold().replace(" ", "").replace("　", "")


def column_aliases(kind: str, columns) -> dict[str, str]:
    """Header text (folded) → column, for the columns of a kind: the column's own name, then its
    Japanese labels. A label two columns of the kind would claim is not an alias of either."""
    out, taken = {}, {}
    own = KIND_COLUMN_ALIASES.get(kind, {})
    for col in columns:
        out[fold(col)] = col
    for col in columns:
        for alias in own.get(col, COLUMN_ALIASES.get(col, [])):
            key = fold(alias)
            if key in out and out[key] != col and key not in {fold(c) for c in columns}:
                taken[key] = True  # ambiguous: neither
            elif key not in out:
                out[key] = col
    return {k: v for k, v in out.items() if k not in taken}


_KIND_NAMES = sorted(((fold(name), kind) for kind in KINDS
                      for name in [kind, KIND_LABELS[kind], *KIND_ALIASES.get(kind, [])]),
                     key=lambda pair: -len(pair[0]))  # longest first: event_attendances before events


def kind_of_name(stem: str) -> str | None:
    """A file stem or sheet name → its kind: the kind or its Japanese label, at the end of the
    name (a prefix is allowed: 2023_consultations, R5_相談記録)."""
    s = fold(stem)
    return next((kind for name, kind in _KIND_NAMES if s.endswith(name)), None)


def kind_of(filename: str) -> str | None:
    """clients.csv, 2023_consultations.csv, 相談先.csv → the kind; None when the name names no kind
    (or is not a CSV file)."""
    lower = filename.lower()
    return kind_of_name(filename[:-4]) if lower.endswith(".csv") else None


def kinds_hint() -> str:
    return "、".join(f"{k}（{KIND_LABELS[k]}）" for k in KINDS)


@dataclass
class Sheet:
    name: str  # as problems name it
    kind: str | None
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    labels: dict[str, str] = field(default_factory=dict)  # column → its header as written, when not its name


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else Shift_JIS/CP932 (Excel in Japan)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932")


def expand_sources(sources) -> list[tuple[str, bytes | Path]]:
    """Paths (files, or folders of CSV and XLSX files) and (filename, bytes) pairs → (name, content)."""
    out = []
    for source in sources:
        if isinstance(source, tuple):
            out.append((Path(str(source[0]).replace("\\", "/")).name, source[1]))
            continue
        path = Path(source)
        if path.is_dir():
            out += [(p.name, p) for p in sorted(path.rglob("*"))
                    if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith("~$")]
        else:
            out.append((path.name, path))
    return out


def read_source(name: str, content) -> list[Sheet]:
    """One file → its sheets (a CSV file is one sheet). Problems of reading are on the sheets."""
    if name.lower().endswith(".xlsx"):
        return read_xlsx(name, content)
    sheet = Sheet(name=name, kind=kind_of(name))
    if sheet.kind is None:
        sheet.problems.append((1, "-", f"ファイル名から種類が分かりません（{kinds_hint()} の CSV か、.xlsx）"))
        return [sheet]
    try:
        data = content if isinstance(content, bytes) else Path(content).read_bytes()
        text = decode(data)
    except OSError as exc:
        sheet.problems.append((1, "-", f"ファイルを読めません: {exc.strerror or exc.__class__.__name__}"))
        return [sheet]
    except UnicodeDecodeError:
        sheet.problems.append((1, "-", "文字コードを判別できません（UTF-8 か Shift_JIS で保存してください）"))
        return [sheet]
    # a cell may be as long as the file: its length is checked against its column, with its row
    if len(text) >= csv.field_size_limit():
        csv.field_size_limit(len(text) + 1)
    reader = csv.reader(io.StringIO(text, newline=""))
    rownum = 1
    try:
        sheet.header = [h.strip() for h in next(reader, [])]
        # a record is one spreadsheet row however many line breaks its cells hold
        for rownum, cells in enumerate(reader, start=2):
            if any(c.strip() for c in cells):
                sheet.rows.append((rownum, cells))
    except csv.Error as exc:
        sheet.problems.append((rownum + 1 if sheet.header else 1, "-", f"CSV として読めません: {exc}"))
    return [sheet]


def _cell_text(cell) -> tuple[str, str | None]:
    """An XLSX cell as the text a CSV would hold, or a problem."""
    value = cell.value
    if value is None:
        return "", None
    kind = getattr(cell, "data_type", None)
    if kind == "f" or (isinstance(value, str) and value.startswith("=") and kind == "f"):
        return "", "数式は取り込めません（セルをコピーして「値のみ貼り付け」してください）"
    if kind == "e":
        return "", f"エラー値 {value} のセルです"
    if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return "", "数式は取り込めません（セルをコピーして「値のみ貼り付け」してください）"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat(), None
        return value.isoformat(sep=" "), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, dt.time):
        return value.isoformat(), None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**63:
            return str(int(value)), None
        return repr(value), None
    return str(value), None


def read_xlsx(name: str, content) -> list[Sheet]:
    """A workbook → a sheet per worksheet, read with openpyxl's read-only mode (streamed)."""
    from openpyxl import load_workbook

    try:
        data = content if isinstance(content, bytes) else Path(content).read_bytes()
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except OSError as exc:
        return [Sheet(name, None, problems=[(1, "-", f"ファイルを読めません: {exc.strerror or exc.__class__.__name__}")])]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError, EOFError) as exc:
        return [Sheet(name, None, problems=[(1, "-", f"XLSX として読めません（{exc.__class__.__name__}）。"
                                                      "Excel で .xlsx 形式に保存し直してください")])]
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        return [Sheet(name, None, problems=[(1, "-", f"XLSX として読めません（{exc.__class__.__name__}）")])]
    sheets = []
    try:
        for ws in book.worksheets:
            sheet = Sheet(name=f"{name}[{ws.title}]", kind=kind_of_name(ws.title))
            sheets.append(sheet)
            if getattr(ws, "sheet_state", "visible") != "visible" and sheet.kind is None:
                sheets.pop()  # a hidden helper sheet
                continue
            if sheet.kind is None:
                sheet.problems.append((1, "-", f"シート名から種類が分かりません（{kinds_hint()}）"))
                continue
            _read_sheet(ws, sheet)
    except Exception as exc:  # a damaged part of the workbook
        sheets.append(Sheet(name, None, problems=[(1, "-", f"XLSX として読めません（{exc.__class__.__name__}）")]))
    finally:
        book.close()
    return sheets


def _read_sheet(ws, sheet: Sheet) -> None:
    """Row 1 is the header (as in a CSV file); empty rows are skipped, row numbers kept."""
    for rownum, cells in enumerate(ws.iter_rows(), start=1):
        texts = []
        for col, cell in enumerate(cells, start=1):
            text, problem = _cell_text(cell)
            if problem:
                sheet.problems.append((rownum, _column_name(sheet, col), problem))
            texts.append(text)
        if rownum == 1:
            while texts and not texts[-1].strip():
                texts.pop()  # formatting to the right of the header
            sheet.header = [t.strip() for t in texts]
        elif any(t.strip() for t in texts):
            sheet.rows.append((rownum, texts))


def _column_name(sheet: Sheet, col: int) -> str:
    if sheet.header and col <= len(sheet.header) and sheet.header[col - 1]:
        return sheet.header[col - 1]
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}列"
