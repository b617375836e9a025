"""Editing the report definitions (report_sections / report_rows / opening balances) and
previewing a row on real data before saving. Admins only (permission report.define).

Keys (the JSON/CSV section and row keys) are made here, never typed by an admin: a new section
is `s<N>`, a new row `r<N>`; keys of existing rows never change, so a figure keeps its key in
every export once it exists.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..models import ReportOpeningBalance, ReportRow, ReportSection
from ..reporting.metrics import compile_definitions, forget_definitions
from ..reporting.sources import SOURCES, SPLITS
from . import audit
from .errors import DomainError
from .locking import check_version

UNITS = ("件", "社", "名", "回", "千円", "円")


@dataclass
class SectionData:
    title: str
    number: str | None = None
    center_code: str | None = None
    optional: bool = False
    note: str | None = None
    active: bool = True
    project_year_offset: int | None = None  # 「令和4年度 (令和5年度事業)」
    split_by: str | None = None  # "event": one table per event
    column_labels: str | None = None  # "全体;うち青森県（受注企業）"


@dataclass
class RowData:
    label: str
    source: str = "consultations"
    kind: str = "figure"
    center_code: str | None = None
    program_code: str | None = None
    channels: list[str] = field(default_factory=list)
    event_kinds: list[str] = field(default_factory=list)
    outcome: str | None = None
    decision: str | None = None
    activity: str | None = None
    category: str | None = None
    side: str | None = None
    aggregation: str = "records"
    sum_of: str | None = None
    unit: str = "件"
    cumulative_from: int | None = None
    opening_as_of: int | None = None
    opening_value: int | None = None
    combine_with: str | None = None
    breakdown_of: str | None = None
    breakdown_by: str | None = None
    list_columns: list[str] = field(default_factory=list)
    active: bool = True
    # headers printed instead of the record kind's: "title=専門アドバイザー;area=開催場所"
    list_headers: str | None = None

    def columns(self) -> dict:
        """The report_rows columns this data sets."""
        data = asdict(self)
        headers = dict(p.split("=", 1) for p in (self.list_headers or "").split(";") if "=" in p)
        data["list_columns"] = [c + (f"={headers[c].strip()}" if headers.get(c, "").strip() else "")
                                for c in data["list_columns"]]
        for name in ("channels", "event_kinds", "list_columns"):
            data[name] = ";".join(data[name]) or None
        for name in ("opening_as_of", "opening_value", "list_headers"):
            data.pop(name)
        return {k: (v if v != "" else None) for k, v in data.items()}


# --- reading ---------------------------------------------------------------------------------

def sections() -> list[ReportSection]:
    return list(db.session.scalars(select(ReportSection).order_by(ReportSection.sort_order, ReportSection.id)))


def section_or_none(section_id: int) -> ReportSection | None:
    return db.session.get(ReportSection, section_id)


def row_or_none(row_id: int) -> ReportRow | None:
    return db.session.get(ReportRow, row_id)


# --- checking --------------------------------------------------------------------------------

def _check_section(data: SectionData) -> None:
    if not (data.title or "").strip():
        raise DomainError("事業名を入力してください。", "title")
    if data.number and not re.fullmatch(r"[0-9０-９()（）①-⑳ア-ン.\-]{1,20}", data.number):
        raise DomainError("番号は 1(1)① のように数字・括弧・丸数字で入力してください。", "number")
    if data.split_by and data.split_by not in SPLITS:
        raise DomainError("表の分け方を選んでください。", "split_by")
    labels = [p for p in (data.column_labels or "").split(";") if p.strip()]
    if len(labels) > 2:
        raise DomainError("列の見出しは「全体;うち県内」のように2つまで、; で区切って入力してください。", "column_labels")
    if labels and not data.split_by:
        raise DomainError("列の見出しは、催しごとに表を分けるときに使います。", "column_labels")
    if data.project_year_offset is not None and not 0 <= data.project_year_offset <= 5:
        raise DomainError("事業年度のずれは0〜5の年数で入力してください。", "project_year_offset")


def _section_values(data: SectionData) -> dict:
    """The stored columns of a section as entered (the admin form, the service's callers)."""
    return dict(title=data.title.strip(), number=(data.number or "").strip() or None,
                center_code=data.center_code or None, optional=bool(data.optional),
                note=(data.note or "").strip() or None, active=bool(data.active),
                project_year_offset=data.project_year_offset or None, split_by=data.split_by or None,
                column_labels=";".join(p.strip() for p in (data.column_labels or "").split(";") if p.strip()) or None)


def _check_row(data: RowData, section: ReportSection, row: ReportRow | None = None) -> None:
    if not (data.label or "").strip():
        raise DomainError("区分（表示名）を入力してください。", "label")
    source = SOURCES.get(data.source)
    if source is None:
        raise DomainError("数える記録を選んでください。", "source")
    if data.unit not in UNITS:
        raise DomainError("単位を選んでください。", "unit")
    if data.aggregation == "sum":
        if not data.sum_of or data.sum_of not in source.sums:
            raise DomainError("合計する項目を選んでください（この記録で合計できるもの）。", "sum_of")
    if data.aggregation == "clients" and not source.has_client:
        raise DomainError("この記録には相談先がないため、企業数（実数）では数えられません。", "aggregation")
    if data.unit == "千円" and data.sum_of != "amount":
        raise DomainError("千円は金額の合計にだけ使えます。", "unit")
    if data.kind == "list" and not source.list_columns:
        raise DomainError("この記録は一覧表にできません（催しを選んでください）。", "source")
    if data.kind == "list" and any(c not in source.list_columns for c in data.list_columns):
        raise DomainError("この記録の一覧表にない列が選ばれています。", "list_columns")
    for part in (p for p in (data.list_headers or "").split(";") if p.strip()):
        column, eq, label = part.partition("=")
        if not eq or column.strip() not in data.list_columns or not label.strip():
            raise DomainError("列の見出しは「title=専門アドバイザー;area=開催場所」のように、選んだ列の名前=見出しで"
                              "入力してください。", "list_headers")
    others = {r.key for r in section.rows if row is None or r.id != row.id}
    if data.kind == "breakdown":
        if data.breakdown_by not in ("theme", "industry", "industry_middle"):
            raise DomainError("内訳の種類（相談テーマ・業種）を選んでください。", "breakdown_by")
        if data.breakdown_of not in others:
            raise DomainError("内訳を出す行を選んでください。", "breakdown_of")
        if data.breakdown_by == "theme" and data.source != "consultations":
            raise DomainError("相談テーマの内訳は相談の行にだけ出せます。", "breakdown_by")
    if data.combine_with and data.combine_with not in others:
        raise DomainError("併記する行を選び直してください。", "combine_with")
    if (data.opening_value is not None) != (data.opening_as_of is not None):
        raise DomainError("開始残高は年度と値の両方を入力してください。", "opening_value")
    if data.opening_value is not None and data.cumulative_from is None:
        raise DomainError("開始残高を入れるときは累計の開始年度も選んでください。", "cumulative_from")


# --- sections --------------------------------------------------------------------------------

def _next_sort(model, **where) -> int:
    stmt = select(func.max(model.sort_order))
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return (db.session.scalar(stmt) or 0) + 10


def _new_key(prefix: str, taken) -> str:
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def create_section(data: SectionData, by=None) -> ReportSection:
    _check_section(data)
    key = _new_key("s", set(db.session.scalars(select(ReportSection.key))))
    section = ReportSection(key=key, **_section_values(data), sort_order=_next_sort(ReportSection))
    db.session.add(section)
    db.session.flush()
    audit.record("create", section, user=by, detail={"title": section.title})
    forget_definitions()
    return section


def update_section(section: ReportSection, data: SectionData, by=None, expected_version=None) -> ReportSection:
    check_version(section, expected_version, {"title": data.title})
    _check_section(data)
    values = _section_values(data)
    diff = audit.changes(section, values)
    for name, value in values.items():
        setattr(section, name, value)
    audit.record("change", section, user=by, detail=diff)
    forget_definitions()
    return section


def move(record, direction: int, by=None):
    """Swap with the neighbour above (-1) or below (+1) in the same list."""
    model = type(record)
    stmt = select(model).order_by(model.sort_order, model.id)
    if model is ReportRow:
        stmt = stmt.where(ReportRow.section_id == record.section_id)
    items = list(db.session.scalars(stmt))
    for i, item in enumerate(items):  # make the order explicit first
        item.sort_order = (i + 1) * 10
    i = items.index(record)
    j = i + direction
    if 0 <= j < len(items):
        items[i].sort_order, items[j].sort_order = items[j].sort_order, items[i].sort_order
        audit.record("change", record, user=by, detail={"sort_order": "上へ" if direction < 0 else "下へ"})
    forget_definitions()
    return record


def set_active(record, active: bool, by=None):
    record.active = bool(active)
    audit.record("change", record, user=by, detail={"active": bool(active)})
    forget_definitions()
    return record


# --- rows ------------------------------------------------------------------------------------

def create_row(section: ReportSection, data: RowData, by=None) -> ReportRow:
    _check_row(data, section)
    key = _new_key("r", {r.key for r in section.rows})
    row = ReportRow(section_id=section.id, key=key, sort_order=_next_sort(ReportRow, section_id=section.id),
                    **data.columns())
    db.session.add(row)
    db.session.flush()
    _set_opening(row, data)
    audit.record("create", row, user=by, detail={"section": section.title, "label": row.label})
    forget_definitions()
    return row


def update_row(row: ReportRow, data: RowData, by=None, expected_version=None) -> ReportRow:
    check_version(row, expected_version, {"label": data.label})
    _check_row(data, row.section, row)
    values = data.columns()
    diff = audit.changes(row, values)
    for name, value in values.items():
        setattr(row, name, value)
    _set_opening(row, data)
    audit.record("change", row, user=by, detail=diff)
    forget_definitions()
    return row


def _set_opening(row: ReportRow, data: RowData) -> None:
    existing = {o.as_of_fy: o for o in row.openings}
    if data.opening_as_of is None:
        return
    opening = existing.get(data.opening_as_of)
    if opening is None:
        row.openings.append(ReportOpeningBalance(as_of_fy=data.opening_as_of, value=data.opening_value))
    else:
        opening.value = data.opening_value
    db.session.flush()


# --- preview ---------------------------------------------------------------------------------

def preview_row(section: ReportSection, data: RowData, fy: int, user, row: ReportRow | None = None) -> dict:
    """The row's 前年度 / 当年度 (and 累計) figures for fiscal year fy on the stored records, as it
    would be saved — nothing is written. Counted within the centers the admin sees."""
    from ..reporting.engine import annual_report
    from .reports import scope_for

    _check_row(data, section, row)
    definition_rows = _rows_as_dicts()
    key = row.key if row is not None else "__preview__"
    draft = dict(data.columns(), id=row.id if row is not None else -1, section_id=section.id, key=key,
                 sort_order=row.sort_order if row is not None else 10_000)
    definition_rows = [r for r in definition_rows if r["id"] != draft["id"]] + [draft]
    sections = [dict(s, active=True, optional=False) if s["id"] == section.id else s for s in _sections_as_dicts()]
    openings = [o for o in _openings_as_dicts() if o["row_id"] != draft["id"]]
    if data.opening_as_of is not None:
        openings.append({"row_id": draft["id"], "as_of_fy": data.opening_as_of, "value": data.opening_value})
    definitions = compile_definitions(sections, definition_rows, openings)
    scope = scope_for(user)
    report = annual_report(fy, set(scope.center_codes) if scope.center_codes is not None else None, definitions)
    body = next((s for s in report["sections"] if s["key"] == section.key), None)
    from ..dates import fy_label

    labels = {"label": fy_label(fy), "previous_label": fy_label(fy - 1)}
    if body is None:
        return {"fy": fy, **labels, "shown": False}
    if data.kind == "breakdown":
        return {"fy": fy, **labels, "shown": True, "kind": "breakdown", "breakdown": body.get(key)}
    if data.kind == "list":
        lst = next((t for t in body.get("lists", []) if t["key"] == key), None)
        return {"fy": fy, **labels, "shown": True, "kind": "list", "list": lst}
    figures = next(r for r in body["rows"] if r["key"] == key)
    return {"fy": fy, **labels, "shown": True, "kind": "figure", "row": figures, "unit": data.unit}


def _sections_as_dicts():
    return [dict(r._mapping) for r in db.session.execute(select(*ReportSection.__table__.c))]


def _rows_as_dicts():
    return [dict(r._mapping) for r in db.session.execute(select(*ReportRow.__table__.c))]


def _openings_as_dicts():
    return [dict(r._mapping) for r in db.session.execute(select(*ReportOpeningBalance.__table__.c))]


def row_data_of(row: ReportRow) -> RowData:
    def codes(text):
        return [c for c in (text or "").split(";") if c]

    opening = row.openings[-1] if row.openings else None
    return RowData(label=row.label, source=row.source, kind=row.kind, center_code=row.center_code,
                   program_code=row.program_code, channels=codes(row.channels), event_kinds=codes(row.event_kinds),
                   outcome=row.outcome, decision=row.decision, activity=row.activity, category=row.category,
                   side=row.side, aggregation=row.aggregation, sum_of=row.sum_of, unit=row.unit,
                   cumulative_from=row.cumulative_from, opening_as_of=opening.as_of_fy if opening else None,
                   opening_value=opening.value if opening else None, combine_with=row.combine_with,
                   breakdown_of=row.breakdown_of, breakdown_by=row.breakdown_by,
                   list_columns=[c.partition("=")[0] for c in codes(row.list_columns)], active=row.active,
                   list_headers=";".join(c for c in codes(row.list_columns) if "=" in c) or None)


def today_fy() -> int:
    from ..dates import fiscal_year, today_jst

    return fiscal_year(today_jst())


__all__ = ["SectionData", "RowData", "UNITS", "sections", "create_section", "update_section", "move", "set_active",
           "create_row", "update_row", "preview_row", "row_data_of"]
