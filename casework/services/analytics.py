"""Anonymised, denormalised analytics database (`casework export-analytics FILE.db`).

One row per counted record, with vocabulary labels spelled out, so staff can pivot in Excel or
browse in Datasette without joins. What never leaves casework: names, name readings,
法人番号, addresses, representatives, contacts, free-text notes, event titles, expert names,
staff names. Clients, cases and experts appear as pseudonymous keys: an HMAC of the record id
under a salt drawn afresh for each export and never stored, so keys join tables inside one
file but cannot be linked across exports or back to casework ids. Employee counts appear as
bands. Voided records are left out, as they are from every count, and so are the records of
voided clients (the reports' rule: reporting.metrics.live_client).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from ..dates import fiscal_year, now_jst
from ..extensions import db
from ..models import (
    Case, Center, Channel, Client, Consultation, Diagnosis, DispatchVisit, Event, EventKind, Industry,
    Municipality, Outcome, Theme, case_themes, consultation_themes,
)
from ..reporting.metrics import live_client
from .errors import DomainError

CHUNK = 2000

EMPLOYEE_BANDS = [(0, "0-5"), (6, "6-20"), (21, "21-50"), (51, "51-100"), (101, "101-300"), (301, "301-")]

COMMON_COLUMNS = {
    "fiscal_year": "年度（4月始まり、開始年で表す。2023 = 令和5年度）",
    "fiscal_year_label": "年度の和暦表記",
    "month": "年月（YYYY-MM、日本時間）",
    "held_on": "実施日",
    "center": "センターのコード",
    "center_name": "センター名",
    "client_key": "相談先の仮名キー（この出力ファイル内でのみ一致。出力ごとに変わる）",
    "case_key": "案件の仮名キー（この出力ファイル内でのみ一致）",
    "client_kind": "相談先の区分（法人・個人事業主・創業予定者）",
    "industry_code": "業種（日本標準産業分類 大分類コード A–T）",
    "industry": "業種（大分類名）",
    "municipality_code": "市町村（地方公共団体コード）",
    "municipality": "市町村名",
    "region": "地域（東青・中南・三八・西北・上北・下北）",
    "employees_band": "従業員数の区分",
}

TABLE_COLUMNS = {
    "consultations": {
        "channel": "相談方法のコード", "channel_label": "相談方法（窓口・巡回・出張相談会…）",
        "themes": "相談テーマ（; 区切り、ラベル）", "theme_count": "テーマの数",
        "at_event": "出張相談会・セミナー等での相談なら 1",
    },
    "consultation_themes": {"consultation_id": "consultations.id", "theme_code": "テーマのコード", "theme": "テーマ"},
    "cases": {
        "opened_on": "開始日", "closed_on": "終了日", "outcome": "結果のコード", "outcome_label": "結果",
        "outcome_on": "結果の日付", "outcome_fiscal_year": "結果の年度", "themes": "案件のテーマ（; 区切り）",
    },
    "events": {
        "kind": "種別のコード", "kind_label": "種別（出張相談会・セミナー・研修・商談会）",
        "participants": "参加者数", "consultations": "この催しで記録された相談の件数",
    },
    "dispatch_visits": {
        "expert_key": "専門家の仮名キー（この出力ファイル内でのみ一致）", "fee": "謝金（円）",
        "company_share": "企業負担額（円）", "hours": "時間",
    },
    "diagnoses": {"by_org": "実施機関"},
}


def employees_band(n: int | None) -> str | None:
    if n is None:
        return None
    label = None
    for low, text in EMPLOYEE_BANDS:
        if n >= low:
            label = text
    return label


class _Keys:
    """Pseudonymous keys: HMAC-SHA256 of (kind, id) under a per-export salt, shortened."""

    def __init__(self, salt: bytes | None = None):
        self._salt = salt or secrets.token_bytes(32)

    def __call__(self, kind: str, record_id: int | None) -> str | None:
        if record_id is None:
            return None
        return hmac.new(self._salt, f"{kind}:{record_id}".encode(), hashlib.sha256).hexdigest()[:16]


class _Lookups:
    def __init__(self):
        self.centers = {c.id: c for c in db.session.scalars(select(Center))}
        self.channels = {c.code: c.label for c in db.session.scalars(select(Channel))}
        self.themes = {t.code: (t.label, t.sort_order) for t in db.session.scalars(select(Theme))}
        self.industries = {i.code: i.name for i in db.session.scalars(select(Industry))}
        self.municipalities = {m.code: (m.name, m.region) for m in db.session.scalars(select(Municipality))}
        self.event_kinds = {k.code: k.label for k in db.session.scalars(select(EventKind))}
        self.outcomes = {o.code: o.label for o in db.session.scalars(select(Outcome))}
        self.clients: dict[int, tuple] = {}

    def client(self, client_id: int) -> dict:
        if client_id not in self.clients:
            row = db.session.execute(select(Client.kind, Client.industry_code, Client.municipality_code,
                                            Client.employees).where(Client.id == client_id)).one()
            self.clients[client_id] = tuple(row)
        kind, industry, municipality, employees = self.clients[client_id]
        from ..models import CLIENT_KINDS

        return {
            "client_kind": CLIENT_KINDS.get(kind, kind),
            **self.place_and_trade(industry, municipality),
            "employees_band": employees_band(employees),
        }

    def place_and_trade(self, industry: str | None, municipality: str | None) -> dict:
        name, region = self.municipalities.get(municipality, (None, None))
        return {"industry_code": industry, "industry": self.industries.get(industry),
                "municipality_code": municipality, "municipality": name, "region": region}

    def center(self, center_id: int | None) -> dict:
        center = self.centers.get(center_id)
        return {"center": center.code if center else None, "center_name": center.name if center else None}

    def theme_labels(self, codes) -> str:
        ordered = sorted(codes, key=lambda c: self.themes.get(c, (c, 999))[1])
        return ";".join(self.themes.get(c, (c, 0))[0] for c in ordered)


def _dated(day: dt.date | None) -> dict:
    from ..dates import fy_label

    if day is None:
        return {"fiscal_year": None, "fiscal_year_label": None, "month": None, "held_on": None}
    fy = fiscal_year(day)
    return {"fiscal_year": fy, "fiscal_year_label": fy_label(fy), "month": f"{day:%Y-%m}", "held_on": day.isoformat()}


def _insert_numbered(out, table: str, stmt, record) -> int:
    """Insert `record(row)` for every row of `stmt`, chunk by chunk, numbered 1, 2, … as "id"
    (the export's own ids, not the database's); returns how many."""
    n = 0
    for rows in _chunks(stmt):
        records = [{"id": n + i, **record(r)} for i, r in enumerate(rows, 1)]
        out[table].insert_all(records, pk="id", batch_size=CHUNK)
        n += len(records)
    return n


def _chunks(stmt):
    """Rows of a select in id order, CHUNK at a time (keyset pagination: constant memory)."""
    model_id = stmt.selected_columns[0]
    last = 0
    while True:
        rows = db.session.execute(stmt.where(model_id > last).order_by(model_id).limit(CHUNK)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _center_clause(column, center_ids):
    return True if center_ids is None else column.in_(center_ids or [-1])


def _themes_of(table, key_column, ids) -> dict[int, list[str]]:
    found = defaultdict(list)
    for owner, code in db.session.execute(select(key_column, table.c.theme_code).where(key_column.in_(ids))):
        found[owner].append(code)
    return found


def export_analytics(path: str | Path, *, center_codes: list[str] | None = None, exclude_confidential: bool = False,
                     overwrite: bool = False, salt: bytes | None = None) -> dict[str, int]:
    """Write the analytics database to `path`; return rows written per table."""
    import sqlite_utils

    path = Path(path)
    if path.exists():
        if not overwrite:
            raise DomainError(f"{path} は既にあります（上書きするには --force）", "path")
        path.unlink()
    lookups = _Lookups()
    center_ids = _center_ids(lookups, center_codes, exclude_confidential)
    keys = _Keys(salt)
    out = sqlite_utils.Database(path)
    counts = {
        "consultations": _export_consultations(out, lookups, keys, center_ids),
        "cases": _export_cases(out, lookups, keys, center_ids),
        "events": _export_events(out, lookups, center_ids),
        "dispatch_visits": _export_dispatch_visits(out, lookups, keys, center_ids),
        "diagnoses": _export_diagnoses(out, lookups, keys, center_ids),
    }
    _describe(out, lookups, center_ids, counts)
    out.vacuum()
    out.close()
    return counts


def datasette_metadata() -> dict:
    """Column descriptions in Datasette's metadata.json shape (`datasette FILE.db -m meta.json`)."""
    tables = {}
    for table, own in TABLE_COLUMNS.items():
        tables[table] = {"columns": {**COMMON_COLUMNS, **own}}
    return {"title": "casework 分析用データ（匿名化）",
            "description": "氏名・名称・連絡先・法人番号・メモを含みません。キーは出力ごとに変わる仮名です。",
            "databases": {"*": {"tables": tables}}}


def _center_ids(lookups, center_codes, exclude_confidential) -> list[int] | None:
    if not center_codes and not exclude_confidential:
        return None
    by_code = {c.code: c for c in lookups.centers.values()}
    unknown = [code for code in center_codes or [] if code not in by_code]
    if unknown:
        raise DomainError(f"センター「{'、'.join(unknown)}」は登録されていません", "center")
    chosen = [by_code[code] for code in center_codes] if center_codes else list(by_code.values())
    return [c.id for c in chosen if not (exclude_confidential and c.confidential)]


def _export_consultations(out, lookups, keys, center_ids) -> int:
    stmt = select(Consultation.id, Consultation.client_id, Consultation.case_id, Consultation.center_id,
                  Consultation.channel_code, Consultation.held_on, Consultation.event_id).where(
        Consultation.voided_at.is_(None), live_client(Consultation.client_id),
        _center_clause(Consultation.center_id, center_ids))
    n = 0
    seq = 0
    for rows in _chunks(stmt):
        themes = _themes_of(consultation_themes, consultation_themes.c.consultation_id, [r.id for r in rows])
        records, theme_rows = [], []
        for r in rows:
            seq += 1
            codes = sorted(themes.get(r.id, []), key=lambda c: lookups.themes.get(c, (c, 999))[1])
            records.append({
                "id": seq, **_dated(r.held_on), **lookups.center(r.center_id),
                "channel": r.channel_code, "channel_label": lookups.channels.get(r.channel_code),
                "themes": lookups.theme_labels(codes), "theme_count": len(codes),
                "at_event": 1 if r.event_id else 0,
                "client_key": keys("client", r.client_id), "case_key": keys("case", r.case_id),
                **lookups.client(r.client_id),
            })
            theme_rows += [{"consultation_id": seq, "theme_code": c, "theme": lookups.themes.get(c, (c, 0))[0]}
                           for c in codes]
        out["consultations"].insert_all(records, pk="id", batch_size=CHUNK)
        if theme_rows:
            out["consultation_themes"].insert_all(theme_rows, batch_size=CHUNK)
        n += len(records)
    _ensure_table(out, "consultations", {"id": int, "fiscal_year": int, "month": str, "center": str, "channel": str,
                                          "client_key": str}, pk="id")
    _ensure_table(out, "consultation_themes", {"consultation_id": int, "theme_code": str, "theme": str})
    out["consultation_themes"].add_foreign_key("consultation_id", "consultations", "id", ignore=True)
    _index(out, "consultations", ["fiscal_year", "center", "channel"], ["month"], ["client_key"], ["industry_code"],
           ["region"])
    _index(out, "consultation_themes", ["theme_code"], ["consultation_id"])
    return n


def _export_cases(out, lookups, keys, center_ids) -> int:
    stmt = select(Case.id, Case.client_id, Case.center_id, Case.opened_on, Case.closed_on, Case.outcome_code,
                  Case.outcome_on).where(Case.voided_at.is_(None), live_client(Case.client_id),
        _center_clause(Case.center_id, center_ids))
    n = 0
    for rows in _chunks(stmt):
        themes = _themes_of(case_themes, case_themes.c.case_id, [r.id for r in rows])
        records = []
        for r in rows:
            dated = _dated(r.opened_on)
            records.append({
                "case_key": keys("case", r.id), "fiscal_year": dated["fiscal_year"],
                "fiscal_year_label": dated["fiscal_year_label"], "month": dated["month"],
                **lookups.center(r.center_id),
                "opened_on": r.opened_on.isoformat(), "closed_on": r.closed_on.isoformat() if r.closed_on else None,
                "outcome": r.outcome_code, "outcome_label": lookups.outcomes.get(r.outcome_code),
                "outcome_on": r.outcome_on.isoformat() if r.outcome_on else None,
                "outcome_fiscal_year": fiscal_year(r.outcome_on) if r.outcome_on else None,
                "themes": lookups.theme_labels(themes.get(r.id, [])),
                "client_key": keys("client", r.client_id), **lookups.client(r.client_id),
            })
        out["cases"].insert_all(records, pk="case_key", batch_size=CHUNK)
        n += len(records)
    _ensure_table(out, "cases", {"case_key": str, "fiscal_year": int, "center": str, "outcome": str,
                                  "outcome_fiscal_year": int, "client_key": str}, pk="case_key")
    _index(out, "cases", ["fiscal_year", "center"], ["outcome", "outcome_fiscal_year"], ["client_key"])
    return n


def _export_events(out, lookups, center_ids) -> int:
    counts = dict(db.session.execute(
        select(Consultation.event_id, db.func.count()).where(Consultation.voided_at.is_(None),
                                                             live_client(Consultation.client_id),
                                                             Consultation.event_id.is_not(None))
        .group_by(Consultation.event_id)).all())
    stmt = select(Event.id, Event.center_id, Event.kind_code, Event.held_on, Event.municipality_code,
                  Event.participants).where(Event.voided_at.is_(None), _center_clause(Event.center_id, center_ids))
    def event_record(r) -> dict:
        place = lookups.place_and_trade(None, r.municipality_code)
        return {**_dated(r.held_on), **lookups.center(r.center_id),
                "kind": r.kind_code, "kind_label": lookups.event_kinds.get(r.kind_code),
                "municipality_code": place["municipality_code"], "municipality": place["municipality"],
                "region": place["region"], "participants": r.participants, "consultations": counts.get(r.id, 0)}
    n = _insert_numbered(out, "events", stmt, event_record)
    _ensure_table(out, "events", {"id": int, "fiscal_year": int, "center": str, "kind": str, "participants": int},
                  pk="id")
    _index(out, "events", ["fiscal_year", "center", "kind"], ["month"])
    return n


def _export_dispatch_visits(out, lookups, keys, center_ids) -> int:
    stmt = select(DispatchVisit.id, DispatchVisit.client_id, DispatchVisit.case_id, DispatchVisit.center_id,
                  DispatchVisit.expert_id, DispatchVisit.held_on, DispatchVisit.fee, DispatchVisit.company_share,
                  DispatchVisit.hours).where(DispatchVisit.voided_at.is_(None), live_client(DispatchVisit.client_id),
                                             _center_clause(DispatchVisit.center_id, center_ids))
    n = _insert_numbered(out, "dispatch_visits", stmt, lambda r: {
        **_dated(r.held_on), **lookups.center(r.center_id),
        "expert_key": keys("expert", r.expert_id), "fee": r.fee, "company_share": r.company_share,
        "hours": float(r.hours) if r.hours is not None else None,
        "client_key": keys("client", r.client_id), "case_key": keys("case", r.case_id), **lookups.client(r.client_id)})
    _ensure_table(out, "dispatch_visits", {"id": int, "fiscal_year": int, "center": str, "client_key": str,
                                            "fee": int}, pk="id")
    _index(out, "dispatch_visits", ["fiscal_year", "center"], ["client_key"], ["industry_code"])
    return n


def _export_diagnoses(out, lookups, keys, center_ids) -> int:
    stmt = select(Diagnosis.id, Diagnosis.client_id, Diagnosis.center_id, Diagnosis.held_on, Diagnosis.by_org).where(
        Diagnosis.voided_at.is_(None), live_client(Diagnosis.client_id))
    if center_ids is not None:
        succession = [c.id for c in lookups.centers.values() if c.code == "succession"]
        if not set(succession) & set(center_ids):
            _ensure_table(out, "diagnoses", {"id": int, "fiscal_year": int, "client_key": str}, pk="id")
            return 0
    n = _insert_numbered(out, "diagnoses", stmt, lambda r: {
        **_dated(r.held_on), **lookups.center(r.center_id), "by_org": r.by_org,
        "client_key": keys("client", r.client_id), **lookups.client(r.client_id)})
    _ensure_table(out, "diagnoses", {"id": int, "fiscal_year": int, "client_key": str}, pk="id")
    _index(out, "diagnoses", ["fiscal_year"], ["client_key"])
    return n


def _ensure_table(out, name, columns, pk=None):
    """Create an empty table when nothing was exported, so queries and Datasette still find it."""
    if not out[name].exists():
        out[name].create(columns, pk=pk)


def _index(out, table, *column_sets):
    existing = set(out[table].columns_dict)
    for columns in column_sets:
        if set(columns) <= existing:
            out[table].create_index(columns, if_not_exists=True)


def _describe(out, lookups, center_ids, counts):
    """Column descriptions and export facts inside the file (Excel users see them as sheets)."""
    rows = []
    for table in counts:
        own = TABLE_COLUMNS.get(table, {})
        for column in out[table].columns_dict:
            text = own.get(column) or COMMON_COLUMNS.get(column) or ("連番（この出力ファイル内）" if column == "id" else "")
            rows.append({"table": table, "column": column, "description": text})
    rows += [{"table": "consultation_themes", "column": c, "description": d}
             for c, d in TABLE_COLUMNS["consultation_themes"].items()]
    out["_columns"].insert_all(rows, pk=("table", "column"), replace=True)
    centers = sorted((lookups.centers[i].code for i in center_ids) if center_ids is not None
                     else (c.code for c in lookups.centers.values()))
    facts = {
        "exported_at": now_jst().isoformat(timespec="seconds"),
        "centers": ",".join(centers),
        "rows": json.dumps(counts, ensure_ascii=False),
        "anonymisation": "氏名・名称・フリガナ・法人番号・住所・代表者・連絡先・メモ・催しの名称・専門家名・職員名は含みません。"
                         "キーは出力ごとの秘密の salt による HMAC で、別の出力とは一致しません。",
    }
    out["_export"].insert_all([{"key": k, "value": v} for k, v in facts.items()], pk="key", replace=True)
