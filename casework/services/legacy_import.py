"""The legacy import of interchange.md: CSV files kept in Excel into casework, all or nothing.

validate_files() reads every row of every file and returns an ImportPlan: either errors
(`FILE:ROW: COLUMN: message`, ROW as a spreadsheet shows it) or the rows, checked and resolved.
apply_plan() writes a plan without errors in one transaction and returns, per kind, how many
records were created and updated. A row whose `ref` is known updates that record, and only when
something differs, so importing the same files twice changes nothing.

Speed: lookups (vocabularies, users, refs, open cases) are loaded once, rows are checked in
plain Python and written with bulk Core statements (executemany), not one ORM object per row.
The rules are the services' rules: the same vocabulary lookups, date parsing, 法人番号 check,
client search text, "a consultation without a case joins the open case or opens one", and the
outcome hooks for cases that get an outcome.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from operator import itemgetter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import bindparam, delete, func, insert, select, update

from ..dates import parse_date
from ..extensions import db
from ..models import (
    CLIENT_KINDS, Case, Client, Consultation, Diagnosis, DispatchVisit, Event, Expert, User, consultation_themes,
    utcnow,
)
from ..textnorm import client_search_text, valid_corporate_number
from . import audit
from .dispatch import company_share_of
from .errors import DomainError
from .vocab import Vocabulary

KINDS = ("clients", "cases", "consultations", "events", "dispatches", "diagnoses")
MODELS = {"clients": Client, "cases": Case, "consultations": Consultation, "events": Event,
          "dispatches": DispatchVisit, "diagnoses": Diagnosis}

# column → required, per kind (interchange.md)
COLUMNS = {
    "clients": {"ref": True, "name": True, "name_kana": False, "kind": False, "corporate_number": False,
                "industry": False, "municipality": False, "employees": False},
    "cases": {"ref": True, "client_ref": True, "center": True, "opened_on": True, "closed_on": False,
              "assignee": False, "outcome": False, "outcome_on": False},
    "consultations": {"ref": True, "client_ref": True, "case_ref": False, "center": True, "channel": True,
                      "held_on": True, "staff": False, "themes": False, "event_ref": False, "notes": False},
    "events": {"ref": True, "center": True, "kind": True, "held_on": True, "title": False, "municipality": False,
               "participants": False},
    "dispatches": {"ref": True, "client_ref": True, "case_ref": False, "center": True, "expert": True,
                   "held_on": True, "fee": False, "company_share": False},
    "diagnoses": {"ref": True, "client_ref": True, "held_on": True, "by": False},
}

# import column → model column (the columns a row may set)
TARGETS = {
    "clients": {"name": "name", "name_kana": "name_kana", "kind": "kind", "corporate_number": "corporate_number",
                "industry": "industry_code", "municipality": "municipality_code", "employees": "employees"},
    "cases": {"client_ref": "client_id", "center": "center_id", "opened_on": "opened_on", "closed_on": "closed_on",
              "assignee": "assignee_id", "outcome": "outcome_code", "outcome_on": "outcome_on"},
    "consultations": {"client_ref": "client_id", "case_ref": "case_id", "center": "center_id",
                      "channel": "channel_code", "held_on": "held_on", "staff": "staff_id", "event_ref": "event_id",
                      "notes": "notes"},
    "events": {"center": "center_id", "kind": "kind_code", "held_on": "held_on", "title": "title",
               "municipality": "municipality_code", "participants": "participants"},
    "dispatches": {"client_ref": "client_id", "case_ref": "case_id", "center": "center_id", "expert": "expert_id",
                   "held_on": "held_on", "fee": "fee", "company_share": "company_share"},
    "diagnoses": {"client_ref": "client_id", "held_on": "held_on", "by": "by_org"},
}


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int
    column: str
    message: str

    def __str__(self):
        return f"{self.file}:{self.row}: {self.column}: {self.message}"


@dataclass
class SourceFile:
    name: str
    kind: str | None
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class ImportPlan:
    files: list[SourceFile]
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    items: dict[str, list[dict]] = field(default_factory=lambda: {k: [] for k in KINDS})

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.items.items() if v}


class PlanHasErrors(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------

def kind_of(filename: str) -> str | None:
    """clients.csv, 2023_consultations.csv → the kind; None when the name names no kind."""
    stem = filename.lower()
    if not stem.endswith(".csv"):
        return None
    stem = stem[:-4]
    return next((k for k in KINDS if stem.endswith(k)), None)


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else Shift_JIS/CP932 (Excel in Japan)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932")


def expand_sources(sources) -> list[tuple[str, bytes | Path]]:
    """Paths (files or folders of CSV files) and (filename, bytes) pairs → (name, content)."""
    out = []
    for source in sources:
        if isinstance(source, tuple):
            out.append((Path(source[0]).name, source[1]))
            continue
        path = Path(source)
        if path.is_dir():
            out += [(p.name, p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() == ".csv"]
        else:
            out.append((path.name, path))
    return out


def read_file(name: str, content, problems: list) -> SourceFile:
    source = SourceFile(name=name, kind=kind_of(name))
    if source.kind is None:
        problems.append(ImportProblem(name, 1, "-", "ファイル名から種類が分かりません（clients.csv, cases.csv, "
                                      "consultations.csv, events.csv, dispatches.csv, diagnoses.csv）"))
        return source
    try:
        data = content if isinstance(content, bytes) else Path(content).read_bytes()
        text = decode(data)
    except OSError as exc:
        problems.append(ImportProblem(name, 1, "-", f"ファイルを読めません: {exc}"))
        return source
    except UnicodeDecodeError:
        problems.append(ImportProblem(name, 1, "-", "文字コードを判別できません（UTF-8 か Shift_JIS で保存してください）"))
        return source
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        source.header = [h.strip() for h in next(reader, [])]
        # a record is one spreadsheet row however many line breaks its cells hold
        source.rows = [(n, cells) for n, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]
    except csv.Error as exc:
        problems.append(ImportProblem(name, 1, "-", f"CSV として読めません: {exc}"))
    return source


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

class CellError(ValueError):
    pass


class _Lookups:
    """Everything validation needs from the database, loaded once."""

    def __init__(self):
        self.vocab = Vocabulary()
        self.center_ids = {code: c.id for code, c in self.vocab.centers.items()}
        self.users = dict(db.session.execute(select(User.login, User.id)).all())
        self.experts = dict(db.session.execute(select(Expert.name, Expert.id)).all())
        self.existing = {}  # kind → {ref: {model column: value, "id": id}}
        for kind, model in MODELS.items():
            cols = sorted({c for c in TARGETS[kind].values()} | {"id"})
            stmt = select(model.ref, *[getattr(model, c) for c in cols]).where(model.ref.is_not(None))
            self.existing[kind] = {row[0]: dict(zip(cols, row[1:])) for row in db.session.execute(stmt)}
        themes = db.session.execute(
            select(Consultation.ref, consultation_themes.c.theme_code)
            .join(consultation_themes, consultation_themes.c.consultation_id == Consultation.id)
            .where(Consultation.ref.is_not(None)))
        for ref, code in themes:
            self.existing["consultations"][ref].setdefault("themes", set()).add(code)
        self._vocab_cache = {}

    def lookup(self, what: str, value: str) -> str:
        key = (what, value)
        hit = self._vocab_cache.get(key)
        if hit is None:
            try:
                hit = getattr(self.vocab, what)(value)
            except DomainError as exc:
                hit = CellError(exc.message)
            self._vocab_cache[key] = hit
        if isinstance(hit, CellError):
            raise hit
        return hit


@lru_cache(maxsize=65536)
def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CellError(str(exc)) from None


def _int(text: str, what: str) -> int:
    s = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    if not re.fullmatch(r"\d+", s):
        raise CellError(f"{what}は0以上の整数で入力してください: {text}")
    return int(s)


_KIND_CODES = {**{k: k for k in CLIENT_KINDS}, **{v: k for k, v in CLIENT_KINDS.items()}}


class Validator:
    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.lk = _Lookups()
        self.seen = {k: {} for k in KINDS}  # ref → (file, row) of this import
        self.declared = {k: set() for k in KINDS}  # every ref the files hold, valid or not
        self.import_cases = {}  # case ref → (client ref, center id) from this import

    def error(self, file, row, column, message):
        self.plan.errors.append(ImportProblem(file, row, column, message))

    def known(self, kind: str, ref: str) -> bool:
        return ref in self.declared[kind] or ref in self.lk.existing[kind]

    def declare(self, source: SourceFile) -> None:
        """Refs may point to rows of any file of the import, whatever the file order."""
        if "ref" in source.header:
            i = source.header.index("ref")
            self.declared[source.kind].update(c[i].strip() for _n, c in source.rows if len(c) > i)

    # --- cell parsers (raise CellError) ---------------------------------------------------

    def parser(self, kind: str, col: str):
        """The function that checks and converts one column's cells (raises CellError)."""
        lk = self.lk
        if col in ("opened_on", "closed_on", "outcome_on", "held_on"):
            return _date
        if col in ("client_ref", "case_ref", "event_ref"):
            target = {"client_ref": "clients", "case_ref": "cases", "event_ref": "events"}[col]
            declared, existing = self.declared[target], lk.existing[target]

            def ref(v):
                if v not in declared and v not in existing:
                    raise CellError(f"{v} はこの取込にも登録済みの記録にもありません")
                return v
            return ref
        vocab = {"center": "center", "channel": "channel", "industry": "industry", "outcome": "outcome",
                 "municipality": "municipality", "kind": "event_kind" if kind == "events" else None}.get(col)
        if vocab:
            cache = {}

            def lookup(v):
                hit = cache.get(v)
                if hit is None:
                    key = "0" + v if col == "municipality" and v.isdigit() and len(v) == 5 else v  # Excel drops the 0
                    try:
                        hit = lk.lookup(vocab, key)
                        hit = hit.id if vocab == "center" else hit
                    except CellError as exc:
                        hit = exc
                    cache[v] = hit
                if isinstance(hit, CellError):
                    raise hit
                return hit
            return lookup
        if col == "kind":
            def client_kind(v):
                code = _KIND_CODES.get(v)
                if code is None:
                    raise CellError(f"区分「{v}」は使えません（法人, 個人事業主, 創業予定者）")
                return code
            return client_kind
        if col in ("employees", "participants", "fee", "company_share"):
            what = {"employees": "従業員数", "participants": "参加者数", "fee": "謝金", "company_share": "企業負担額"}[col]
            return lambda v: int(v) if v.isascii() and v.isdigit() else _int(v, what)
        if col == "corporate_number":
            def corporate_number(v):
                number = unicodedata.normalize("NFKC", v).replace("-", "").replace(" ", "")
                if not valid_corporate_number(number):
                    raise CellError("法人番号が正しくありません（13桁・チェックディジットを確認してください）。")
                return number
            return corporate_number
        if col in ("assignee", "staff"):
            def user(v):
                uid = lk.users.get(v)
                if uid is None:
                    raise CellError(f"ログイン名「{v}」の職員はいません")
                return uid
            return user
        if col == "themes":
            cache = {}

            def themes(v):
                hit = cache.get(v)
                if hit is None:
                    parts = [p.strip() for p in unicodedata.normalize("NFKC", v).split(";") if p.strip()]
                    hit = cache[v] = sorted({lk.lookup("theme", p) for p in parts})
                return hit
            return themes
        return None  # free text: ref, name, name_kana, title, notes, expert, by

    # --- files and rows ---------------------------------------------------------------------

    def check_header(self, source: SourceFile) -> bool:
        spec = COLUMNS[source.kind]
        ok = True
        for i, name in enumerate(source.header):
            if name not in spec:
                self.error(source.name, 1, name or f"(列{i + 1})", "不明な列です")
                ok = False
            elif source.header.index(name) != i:
                self.error(source.name, 1, name, "列が重複しています")
                ok = False
        for name, required in spec.items():
            if required and name not in source.header:
                self.error(source.name, 1, name, "必須の列がありません")
                ok = False
        return ok

    def validate(self, source: SourceFile) -> None:
        kind, header, spec = source.kind, source.header, COLUMNS[source.kind]
        width = len(header)
        items = self.plan.items[kind]
        columns = [(col, self.parser(kind, col)) for col in header]
        required = [col for col, needed in spec.items() if needed]
        check = getattr(self, f"check_{kind}", None)
        for rownum, cells in source.rows:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                self.error(source.name, rownum, "-", f"見出しより多い {len(cells)} 列があります")
                continue
            values, failed = {}, set()
            for (col, parse), raw in zip(columns, cells):
                raw = raw.strip()
                if not raw:
                    continue  # an empty cell is "not given"
                if parse is None:
                    values[col] = raw
                    continue
                try:
                    values[col] = parse(raw)
                except CellError as exc:
                    self.error(source.name, rownum, col, str(exc))
                    failed.add(col)
            for col in required:
                if col not in values and col not in failed:
                    self.error(source.name, rownum, col, "必須です")
                    failed.add(col)
            bad = bool(failed)
            ref = values.get("ref")
            if ref is not None:
                if ref in self.seen[kind]:
                    first = self.seen[kind][ref]
                    self.error(source.name, rownum, "ref", f"ref {ref} が重複しています（{first[0]} {first[1]}行目）")
                    bad = True
                else:
                    self.seen[kind][ref] = (source.name, rownum)
            if not bad and check is not None:
                bad = not check(source.name, rownum, values)
            if not bad:
                values["_row"] = (source.name, rownum)
                items.append(values)

    # --- cross-column rules -----------------------------------------------------------------

    def _existing(self, kind, values):
        return self.lk.existing[kind].get(values["ref"])

    def check_cases(self, file, row, v) -> bool:
        old = self._existing("cases", v) or {}
        if "outcome" in v and "outcome_on" not in v:
            self.error(file, row, "outcome_on", "成果があるときは成果日が必須です")
            return False
        if "outcome_on" in v and "outcome" not in v and not old.get("outcome_code"):
            self.error(file, row, "outcome", "成果日があるのに成果がありません")
            return False
        opened = v.get("opened_on", old.get("opened_on"))
        closed = v.get("closed_on", old.get("closed_on"))
        if opened and closed and closed < opened:
            # Legacy sheets hold such rows (the contract's own sample does): keep the case, opened on
            # the day it was closed, and say so.
            self.plan.warnings.append(ImportProblem(
                file, row, "closed_on", f"終了日 {closed} が開始日 {opened} より前のため、開始日を {closed} にしました"))
            v["opened_on"] = closed
        self.import_cases[v["ref"]] = (v["client_ref"], v["center"])
        return True

    def _case_matches(self, file, row, v) -> bool:
        if "case_ref" not in v:
            return True
        ref = v["case_ref"]
        if ref in self.import_cases:
            client_ref, center_id = self.import_cases[ref]
            same_client = client_ref == v["client_ref"]
        elif ref not in self.lk.existing["cases"]:
            return True  # an invalid row of this import: reported there
        else:
            old = self.lk.existing["cases"][ref]
            center_id = old["center_id"]
            client = self.lk.existing["clients"].get(v["client_ref"])
            same_client = client is not None and client["id"] == old["client_id"]
        if not same_client:
            self.error(file, row, "case_ref", f"案件 {ref} は {v['client_ref']} の案件ではありません")
            return False
        if center_id != v["center"]:
            self.error(file, row, "center", f"案件 {ref} のセンターと異なります")
            return False
        return True

    def check_consultations(self, file, row, v) -> bool:
        old = self._existing("consultations", v)
        if old and "case_ref" not in v and old["center_id"] != v["center"]:
            self.error(file, row, "center", "登録済みの相談のセンターを変えるときは case_ref も指定してください")
            return False
        return self._case_matches(file, row, v)

    def check_dispatches(self, file, row, v) -> bool:
        if "fee" in v and "company_share" not in v:
            v["company_share"] = company_share_of(v["fee"], None)  # a third of the fee, rounded down
        if v.get("company_share") is not None and v["company_share"] > v.get("fee", v["company_share"]):
            self.error(file, row, "company_share", "企業負担額は0以上、謝金以下にしてください。")
            return False
        return self._case_matches(file, row, v)


def validate_files(sources) -> ImportPlan:
    """Read and check every row of every file. Nothing is written."""
    problems: list[ImportProblem] = []
    files = [read_file(name, content, problems) for name, content in expand_sources(sources)]
    order = {k: i for i, k in enumerate(KINDS)}
    files.sort(key=lambda f: order.get(f.kind, len(KINDS)))  # stable: same-kind files keep their order
    plan = ImportPlan(files=files, errors=problems)
    validator = Validator(plan)
    for source in files:
        if source.kind is not None:
            validator.declare(source)
    for source in files:
        if source.kind is not None and source.header and validator.check_header(source):
            validator.validate(source)
        elif source.kind is not None and not source.header and not any(p.file == source.name for p in problems):
            validator.error(source.name, 1, "-", "見出し行がありません")
    plan._lookups = validator.lk
    return plan


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def _insert(model, rows: list[dict], key=("ref",)) -> list[int]:
    """Bulk insert (one executemany); the new ids in the order of rows.

    RETURNING with executemany would make SQLite insert row by row, so the ids are read back
    afterwards: the rows above the highest id before the insert, matched on `key` (unique
    among the rows inserted)."""
    if not rows:
        return []
    table = model.__table__
    before = db.session.execute(select(func.max(table.c.id))).scalar() or 0
    _executemany(table, rows)
    cols = [table.c[k] for k in key]
    found = {tuple(r[1:]): r[0] for r in db.session.execute(select(table.c.id, *cols).where(table.c.id > before))}
    get = itemgetter(*key)
    return [found[get(row) if len(key) > 1 else (get(row),)] for row in rows]


def _executemany(table, rows: list[dict]) -> None:
    """INSERT rows (same keys each) with one DBAPI executemany: the statement is compiled once
    by SQLAlchemy for the dialect, values go through the column types' bind processors, but not
    through SQLAlchemy's per-parameter machinery (most of the time of a large import)."""
    if not rows:
        return
    conn = db.session.connection()
    dialect = conn.dialect
    cols = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=cols)
    # columns the rows leave out but that have a Python default (added by later schema changes)
    defaults = {}
    for name in compiled.binds:
        if name not in rows[0] and name in table.c and table.c[name].default is not None:
            d = table.c[name].default
            defaults[name] = d.arg if d.is_scalar else d.arg(None)
    cols += list(defaults)
    procs = [(c, p) for c in cols if (p := table.c[c].type._cached_bind_processor(dialect)) is not None]
    if defaults:
        rows = [{**row, **defaults} for row in rows]
    if procs:
        rows = [dict(row) for row in rows] if not defaults else rows
        for c, p in procs:
            done = {}  # dates repeat: process each value once
            for row in rows:
                value = row[c]
                if value is not None:
                    hit = done.get(value)
                    if hit is None:
                        hit = done[value] = p(value)
                    row[c] = hit
    if compiled.positional:
        get = itemgetter(*compiled.positiontup)
        params = [get(row) for row in rows] if len(compiled.positiontup) > 1 else [(get(row),) for row in rows]
    else:
        params = rows
    conn.exec_driver_sql(str(compiled), params)


def _update(model, rows: list[dict]) -> None:
    """Bulk UPDATE ... WHERE id = :_id, grouped by the set of columns each row changes."""
    table = model.__table__
    groups = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != "_id")), []).append(row)
    for cols, group in groups.items():
        values = {c: bindparam(c) for c in cols}
        if "version" in table.c:
            values["version"] = table.c.version + 1
        values["updated_at"] = bindparam("_now")
        now = utcnow()
        for row in group:
            row["_now"] = now
        db.session.execute(update(table).where(table.c.id == bindparam("_id")).values(values),
                           group, execution_options={"synchronize_session": False})


class _Writer:
    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.lk: _Lookups = plan._lookups
        self.now = utcnow()
        self.ids = {k: {ref: old["id"] for ref, old in self.lk.existing[k].items()} for k in KINDS}
        self.counts = {}
        self.outcome_case_ids = []

    def resolve(self, kind: str, v: dict) -> dict:
        """Import columns → model columns, refs and names → ids."""
        out = {}
        for col, target in TARGETS[kind].items():
            if col not in v:
                continue
            value = v[col]
            if col == "client_ref":
                value = self.ids["clients"][value]
            elif col == "case_ref":
                value = self.ids["cases"][value]
            elif col == "event_ref":
                value = self.ids["events"][value]
            elif col == "expert":
                value = self.expert_id(value)
            out[target] = value
        return out

    def expert_id(self, name: str) -> int:
        eid = self.lk.experts.get(name)
        if eid is None:  # registered on first sight
            eid = _insert(Expert, [{"name": name, "active": True, "version": 1, "created_at": self.now,
                                    "updated_at": self.now}], key=("name",))[0]
            self.lk.experts[name] = eid
        return eid

    def write(self, kind: str) -> None:
        model, existing = MODELS[kind], self.lk.existing[kind]
        new_rows, new_refs, changes = [], [], []
        extra = getattr(self, f"prepare_{kind}", None)
        for v in self.plan.items[kind]:
            values = self.resolve(kind, v)
            old = existing.get(v["ref"])
            if old is None:
                new_rows.append(self.defaults(kind, values, v))
                new_refs.append(v)
            else:
                diff = {k: val for k, val in values.items() if old.get(k) != val}
                if kind == "clients" and diff:
                    merged = {**old, **diff}
                    diff["search_text"] = client_search_text(merged["name"], merged.get("name_kana"),
                                                             merged.get("corporate_number"))
                if extra:
                    diff = extra(v, old, diff)
                if diff:
                    changes.append({"_id": old["id"], **diff})
                    if kind == "cases" and "outcome_code" in diff and diff["outcome_code"]:
                        self.outcome_case_ids.append(old["id"])
        if kind == "consultations":
            self.assign_cases(new_rows, new_refs)
        ids = _insert(model, new_rows)
        for v, new_id in zip(new_refs, ids):
            self.ids[kind][v["ref"]] = new_id
        if kind == "cases":
            self.outcome_case_ids += [i for i, row in zip(ids, new_rows) if row.get("outcome_code")]
        _update(model, changes)
        if kind == "consultations":
            self.write_themes(new_refs, ids)
        self.counts[kind] = (len(new_rows), len(changes))

    def defaults(self, kind: str, values: dict, v: dict) -> dict:
        row = {c: None for c in TARGETS[kind].values()}
        row.update(values)
        row.update(ref=v["ref"], created_at=self.now, updated_at=self.now, version=1)
        if kind == "clients":
            row["kind"] = row["kind"] or "corporation"
            row["search_text"] = client_search_text(row["name"], row["name_kana"], row["corporate_number"])
        elif kind == "cases":
            row["last_activity_on"] = row["opened_on"]
            row["stage"] = "consultation" if row["center_id"] == self.lk.center_ids.get("startup") else None
        elif kind == "diagnoses":
            row["center_id"] = self.lk.center_ids.get("succession")
        return row

    def prepare_consultations(self, v, old, diff):
        if "themes" in v and set(v["themes"]) != old.get("themes", set()):
            self.theme_updates.append((old["id"], v["themes"]))
        return diff

    def assign_cases(self, rows: list[dict], refs: list[dict]) -> None:
        """A consultation without case_ref joins the client's case at that center open on that
        date (cases.find_open_case), or opens a new case — taken in date order."""
        open_cases, last_activity = {}, {}
        stmt = (select(Case.id, Case.client_id, Case.center_id, Case.opened_on, Case.closed_on, Case.last_activity_on)
                .where(Case.voided_at.is_(None)))
        for cid, client_id, center_id, opened, closed, last in db.session.execute(stmt):
            open_cases.setdefault((client_id, center_id), []).append((opened, closed, cid, cid))
            last_activity[cid] = last
        pending = sorted((row for row in rows if row["case_id"] is None), key=lambda r: r["held_on"])
        new_cases = []
        for row in pending:
            key, on = (row["client_id"], row["center_id"]), row["held_on"]
            candidates = [c for c in open_cases.get(key, ()) if c[0] <= on and (c[1] is None or c[1] >= on)]
            if candidates:
                row["case_id"] = max(candidates, key=lambda c: (c[0], c[3]))[2]
            else:
                marker = ("new", len(new_cases))
                open_cases.setdefault(key, []).append((on, None, marker, 1 << 62))
                new_cases.append({"client_id": row["client_id"], "center_id": row["center_id"], "opened_on": on,
                                  "last_activity_on": on, "assignee_id": row.get("staff_id"), "ref": None,
                                  "stage": "consultation" if row["center_id"] == self.lk.center_ids.get("startup") else None,
                                  "created_at": self.now, "updated_at": self.now, "version": 1})
                row["case_id"] = marker
        latest = {}  # a case's last activity: its latest consultation
        for row in rows:
            if row["held_on"] > latest.get(row["case_id"], dt.date.min):
                latest[row["case_id"]] = row["held_on"]
        for i, case_row in enumerate(new_cases):
            case_row["last_activity_on"] = latest[("new", i)]
        new_ids = _insert(Case, new_cases, key=("client_id", "center_id", "opened_on", "ref"))
        self.auto_cases = len(new_ids)
        for row in pending:
            if isinstance(row["case_id"], tuple):
                row["case_id"] = new_ids[row["case_id"][1]]
        bumps = [{"_id": cid, "last_activity_on": on} for cid, on in latest.items()
                 if isinstance(cid, int) and (last_activity.get(cid) is None or last_activity[cid] < on)]
        if bumps:
            db.session.execute(update(Case.__table__).where(Case.__table__.c.id == bindparam("_id"))
                               .values(last_activity_on=bindparam("last_activity_on")), bumps,
                               execution_options={"synchronize_session": False})

    def write_themes(self, new_refs: list[dict], ids: list[int]) -> None:
        table = consultation_themes
        rows = [{"consultation_id": cid, "theme_code": code}
                for v, cid in zip(new_refs, ids) for code in v.get("themes", ())]
        if self.theme_updates:
            changed = [cid for cid, _codes in self.theme_updates]
            for chunk in range(0, len(changed), 500):
                db.session.execute(delete(table).where(table.c.consultation_id.in_(changed[chunk:chunk + 500])))
            rows += [{"consultation_id": cid, "theme_code": code} for cid, codes in self.theme_updates for code in codes]
        _executemany(table, rows)

    def run(self) -> dict[str, tuple[int, int]]:
        self.theme_updates = []
        self.auto_cases = 0
        # events before consultations, so that event_ref may point into the same import
        for kind in ("clients", "cases", "events", "consultations", "dispatches", "diagnoses"):
            if self.plan.items[kind]:
                self.write(kind)
        if self.outcome_case_ids:
            from .hooks import run_outcome_hooks

            db.session.expire_all()
            with db.session.no_autoflush:  # the hooks flush what they create
                for case in db.session.scalars(select(Case).where(Case.id.in_(self.outcome_case_ids))).all():
                    run_outcome_hooks(case, None)
        return {k: self.counts[k] for k in KINDS if k in self.counts}


def apply_plan(plan: ImportPlan, by: User | None = None) -> dict[str, tuple[int, int]]:
    """Write a valid plan into the session: {kind: (created, updated)} for the kinds given. The
    caller's unit of work commits it in one transaction (the request, or `casework import`)."""
    if plan.errors:
        raise PlanHasErrors(f"{len(plan.errors)} errors")
    writer = _Writer(plan)
    conn = db.session.connection()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # a large page cache keeps a big import's pages in memory until the commit
        raw = conn.connection.dbapi_connection
        cache_size = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute("PRAGMA cache_size = -131072")
    try:
        counts = writer.run()
        audit.record("import", None, user=by, detail={
            "files": [f.name for f in plan.files], "counts": {k: list(v) for k, v in counts.items()},
            "cases_opened_for_consultations": writer.auto_cases})
    finally:
        if sqlite:  # the pragma is per connection: give the pooled connection its default back
            raw.execute(f"PRAGMA cache_size = {int(cache_size)}")
    plan.cases_opened = writer.auto_cases
    return counts


def import_files(sources, by: User | None = None) -> tuple[ImportPlan, dict | None]:
    """Validate, and write when there is no error."""
    plan = validate_files(sources)
    if plan.errors:
        return plan, None
    return plan, apply_plan(plan, by=by)
