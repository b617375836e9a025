"""The legacy import of docs/interchange.md: records kept in Excel (CSV files or XLSX workbooks,
read by import_sources.py) into casework, all or nothing.

validate_files() reads every row of every file and returns an ImportPlan: either errors
(`FILE:ROW: COLUMN: message`, ROW as a spreadsheet shows it; the first MAX_ERRORS_PER_FILE of
each file, the rest counted) or the rows, checked and resolved. Every cell is bounded by the
column it is written to (lengths and integer ranges derived from the models), so what passes
validation can be written.
apply_plan() writes a plan without errors in one transaction and returns, per kind, how many
records were created and updated. A row whose `ref` is known updates that record, and only when
something differs, so importing the same files twice changes nothing.

Speed: lookups (vocabularies, users, refs, open cases) are loaded once, rows are checked in
plain Python and written with bulk Core statements (executemany; INSERT ... RETURNING in
multi-row batches where the new ids are needed), not one ORM object per row.

One write path: the rules are the services' own functions, not copies — the vocabulary lookups,
the date rule (dates.py), the 法人番号 check, the client search text, a record's default program
(models.default_program_id; programs.fill_missing_programs for the rows written in bulk), the open case a consultation
without a case joins (cases.pick_open_case, as find_open_case), a new case's first stage
(cases.initial_stage), a diagnosis's center (succession.diagnosis_center_id), the company's share
of a dispatch fee (dispatch.company_share_of) and the outcome hooks for cases that get an outcome.
Nothing here commits: the command's or the request's unit of work does, once.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from operator import itemgetter
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import BigInteger, Integer, bindparam, delete, event, insert, select, update
from sqlalchemy.pool import Pool

from ..dates import EARLIEST, DateError, check_date_range, latest_date, read_date, today_jst
from ..extensions import db
from ..models import (
    CLIENT_KINDS, INTRODUCTION_OUTCOMES, Case, CaseMilestone, Client, Consultation, Diagnosis, DispatchVisit, Event,
    PROGRAM_TERM_KINDS, EventAttendance, Expert, Grant, Introduction, Program, ProgramTerm, Registration, User,
    ReportOpeningBalance, ReportRow, ReportSection, consultation_themes, default_program_id, utcnow,
)
from ..textnorm import client_search_text, valid_corporate_number
from . import audit
from .cases import initial_stage, pick_open_case
from .dispatch import company_share_of
from .errors import DomainError
from .founders import GRANT_DECISIONS
from .import_sources import KINDS, Sheet, column_aliases, expand_sources, fold, kind_of, read_source  # noqa: F401
from .programs import fill_missing_programs
from .succession import diagnosis_center_id
from .vocab import Vocabulary

MODELS = {"clients": Client, "cases": Case, "consultations": Consultation, "events": Event,
          "dispatches": DispatchVisit, "diagnoses": Diagnosis, "registrations": Registration,
          "introductions": Introduction, "attendances": EventAttendance, "grants": Grant, "milestones": CaseMilestone}
RECORD_KINDS = tuple(k for k in KINDS if k in MODELS)  # kinds of records identified by ref
TABLES = {**MODELS, "opening_balances": ReportOpeningBalance}  # every kind's table
PROGRAM_KIND = {"cases": "case", "consultations": "consultation", "events": "event", "dispatches": "dispatch",
                "diagnoses": "diagnosis", "registrations": "registration", "introductions": "introduction",
                "grants": "grant", "milestones": "milestone"}  # models.PROGRAM_RECORD_KINDS

# column → required, per kind (interchange.md)
COLUMNS = {
    "clients": {"ref": True, "name": True, "name_kana": False, "kind": False, "corporate_number": False,
                "industry": False, "municipality": False, "employees": False, "industry_division": False},
    "cases": {"ref": True, "client_ref": True, "center": True, "opened_on": True, "closed_on": False,
              "assignee": False, "outcome": False, "outcome_on": False, "program": False},
    "consultations": {"ref": True, "client_ref": True, "case_ref": False, "center": True, "channel": True,
                      "held_on": True, "staff": False, "themes": False, "event_ref": False, "notes": False,
                      "program": False, "activity": False, "category": False},
    "events": {"ref": True, "center": True, "kind": True, "held_on": True, "title": False, "municipality": False,
               "participants": False, "program": False, "ends_on": False, "partners": False, "area": False,
               "companies": False, "speaker": False},
    "dispatches": {"ref": True, "client_ref": True, "case_ref": False, "center": True, "expert": True,
                   "held_on": True, "fee": False, "company_share": False, "program": False},
    "diagnoses": {"ref": True, "client_ref": True, "held_on": True, "by": False, "program": False},
    "registrations": {"ref": True, "client_ref": True, "program": False, "center": False, "side": True,
                      "registered_on": True, "ended_on": False, "notes": False},
    "introductions": {"ref": True, "program": False, "center": False, "buyer_ref": True, "supplier_ref": True,
                      "introduced_on": True, "outcome": False, "outcome_on": False, "amount": False,
                      "subject": False, "notes": False},
    "attendances": {"ref": True, "event_ref": True, "side": False, "client_ref": False, "company_name": False,
                    "companies": False, "companies_in_prefecture": False, "meetings": False,
                    "meetings_in_prefecture": False, "deals": False, "deals_in_prefecture": False, "amount": False,
                    "amount_in_prefecture": False, "quote_requests": False, "notes": False},
    "grants": {"ref": True, "client_ref": True, "program": False, "center": False, "course": False, "scheme": False,
               "case_ref": False, "applied_on": False, "decision": False, "decided_on": False, "amount": False,
               "title": False, "partners": False, "round_fy": False, "project_fy": False, "project_end_fy": False,
               "granted_on": False, "granted_amount": False, "notes": False},
    "milestones": {"ref": True, "case_ref": True, "program": False, "milestone": True, "achieved_on": True,
                   "number": False, "notes": False},
    # the 累計 of the years before casework: a report row's total of every fiscal year before as_of_fy
    "opening_balances": {"section": True, "row": True, "as_of_fy": True, "value": True, "note": False},
}

# import column → model column (the columns a row may set; center and client of attendances and
# milestones come from their event or case)
TARGETS = {
    "clients": {"name": "name", "name_kana": "name_kana", "kind": "kind", "corporate_number": "corporate_number",
                "industry": "industry_code", "municipality": "municipality_code", "employees": "employees",
                "industry_division": "industry_division_code"},
    "cases": {"client_ref": "client_id", "center": "center_id", "opened_on": "opened_on", "closed_on": "closed_on",
              "assignee": "assignee_id", "outcome": "outcome_code", "outcome_on": "outcome_on",
              "program": "program_id"},
    "consultations": {"client_ref": "client_id", "case_ref": "case_id", "center": "center_id",
                      "channel": "channel_code", "held_on": "held_on", "staff": "staff_id", "event_ref": "event_id",
                      "notes": "notes", "program": "program_id", "activity": "activity_id",
                      "category": "category_id"},
    "events": {"center": "center_id", "kind": "kind_code", "held_on": "held_on", "title": "title",
               "municipality": "municipality_code", "participants": "participants", "program": "program_id",
               "ends_on": "ends_on", "partners": "partners", "area": "area", "companies": "companies",
               "speaker": "speaker"},
    "dispatches": {"client_ref": "client_id", "case_ref": "case_id", "center": "center_id", "expert": "expert_id",
                   "held_on": "held_on", "fee": "fee", "company_share": "company_share", "program": "program_id"},
    "diagnoses": {"client_ref": "client_id", "held_on": "held_on", "by": "by_org", "program": "program_id"},
    "registrations": {"client_ref": "client_id", "center": "center_id", "program": "program_id", "side": "side_id",
                      "registered_on": "registered_on", "ended_on": "ended_on", "notes": "notes"},
    "introductions": {"center": "center_id", "program": "program_id", "buyer_ref": "buyer_client_id",
                      "supplier_ref": "supplier_client_id", "introduced_on": "introduced_on", "outcome": "outcome",
                      "outcome_on": "outcome_on", "amount": "amount", "subject": "subject", "notes": "notes"},
    "attendances": {"event_ref": "event_id", "center": "center_id", "side": "side_id", "client_ref": "client_id",
                    "company_name": "company_name", "companies": "companies",
                    "companies_in_prefecture": "companies_in_prefecture", "meetings": "meetings",
                    "meetings_in_prefecture": "meetings_in_prefecture", "deals": "deals",
                    "deals_in_prefecture": "deals_in_prefecture", "amount": "amount",
                    "amount_in_prefecture": "amount_in_prefecture", "quote_requests": "quote_requests",
                    "notes": "notes"},
    "grants": {"client_ref": "client_id", "case_ref": "case_id", "center": "center_id", "program": "program_id",
               "course": "course_id", "scheme": "program", "applied_on": "applied_on", "decision": "decision",
               "decided_on": "decided_on", "amount": "amount", "title": "title", "partners": "partners",
               "round_fy": "round_fiscal_year", "project_fy": "project_fiscal_year",
               "project_end_fy": "project_end_fiscal_year", "granted_on": "granted_on",
               "granted_amount": "granted_amount", "notes": "notes"},
    "milestones": {"case_ref": "case_id", "client_ref": "client_id", "center": "center_id", "program": "program_id",
                   "milestone": "milestone_id", "achieved_on": "achieved_on", "number": "number", "notes": "notes"},
    "opening_balances": {"row": "row_id", "as_of_fy": "as_of_fy", "value": "value", "note": "note"},
}
TERM_COLUMNS = {"activity": "activity", "category": "category", "course": "course", "milestone": "milestone",
                "side": "side"}  # column → program term kind (models.PROGRAM_TERM_KINDS)
DATE_COLUMNS = {"opened_on", "closed_on", "outcome_on", "held_on", "ends_on", "registered_on", "ended_on",
                "introduced_on", "applied_on", "decided_on", "granted_on", "achieved_on"}
INT_COLUMNS = {"employees": "従業員数", "participants": "参加者数", "fee": "謝金", "company_share": "企業負担額",
               "companies": "企業数", "companies_in_prefecture": "うち県内企業数", "meetings": "商談件数",
               "meetings_in_prefecture": "うち県内商談件数", "deals": "成立件数", "deals_in_prefecture": "うち県内成立件数",
               "amount": "金額", "amount_in_prefecture": "うち県内金額", "quote_requests": "見積依頼",
               "granted_amount": "交付金額", "number": "数", "value": "値"}
FY_COLUMNS = {"round_fy", "project_fy", "project_end_fy", "as_of_fy"}


# Bounds of what a cell may hold. Lengths and integer ranges come from the model columns the
# cells are written to (ref columns: the referenced record's ref); these are the rest.
MAX_ERRORS_PER_FILE = 50  # problems listed per file; the rest are counted (「ほか N 件」)
FREE_TEXT_MAX_CHARS = 10_000  # a Text column (notes) has no length of its own
CODE_MAX_CHARS = 100  # a cell naming a code or label, a date or a number
THEMES_MAX_CHARS = 1_000  # a `;`-separated list of themes
# Dates: the one rule of dates.py (1900-01-01 .. DATE_YEARS_AHEAD years after today); these
# columns hold what has happened, so not after today either (as the forms: consultations, visits)
PAST_ONLY = {("consultations", "held_on"), ("dispatches", "held_on")}
SHOWN_VALUE_CHARS = 40  # a value quoted in a message is cut to this many characters
REF_TARGETS = {"client_ref": "clients", "case_ref": "cases", "event_ref": "events", "buyer_ref": "clients",
               "supplier_ref": "clients"}
FREE_TEXT = {"ref", "name", "name_kana", "title", "notes", "expert", "by", "partners", "area", "subject",
             "company_name", "scheme", "note", "speaker"}
INT_MAX = {Integer: 2**31 - 1, BigInteger: 2**63 - 1}  # PostgreSQL integer / bigint


def _target_column(kind: str, col: str):
    """The model column a cell of `col` is stored in (or, for a reference, the ref it names)."""
    if col == "ref":
        return TABLES[kind].__table__.c.ref
    if col in REF_TARGETS:
        return MODELS[REF_TARGETS[col]].__table__.c.ref
    if col == "expert":
        return Expert.__table__.c.name
    target = TARGETS[kind].get(col)
    return TABLES[kind].__table__.c[target] if target else None


def max_chars(kind: str, col: str) -> int:
    """The longest cell `col` of `kind` may hold, derived from the column it is written to."""
    column = _target_column(kind, col)
    if col in FREE_TEXT or col in REF_TARGETS:
        length = getattr(column.type, "length", None) if column is not None else None
        return length or FREE_TEXT_MAX_CHARS
    return THEMES_MAX_CHARS if col == "themes" else CODE_MAX_CHARS


def max_int(kind: str, col: str) -> int:
    column = _target_column(kind, col)
    return next((n for t, n in INT_MAX.items() if type(column.type) is t), INT_MAX[Integer])


def one_line(text: str) -> str:
    """Control, format and line-separator characters written as \\xNN: a message stays one line."""
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) in _HIDDEN else c for c in text)


_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def shown(value: str) -> str:
    """A value as a message quotes it: on one line, cut when long."""
    cut = value[:SHOWN_VALUE_CHARS]
    return one_line(cut) + ("…" if len(value) > SHOWN_VALUE_CHARS else "")


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int
    column: str
    message: str

    def __str__(self):
        return f"{self.file}:{self.row}: {self.column}: {self.message}"


SourceFile = Sheet  # one CSV file or one worksheet of a workbook


@dataclass
class ImportPlan:
    files: list[SourceFile] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)  # the first MAX_ERRORS_PER_FILE of each file
    warnings: list[ImportProblem] = field(default_factory=list)  # likewise
    items: dict[str, list[dict]] = field(default_factory=lambda: {k: [] for k in KINDS})
    error_total: int = 0
    more_errors: dict[str, int] = field(default_factory=dict)  # file → problems not listed
    more_warnings: dict[str, int] = field(default_factory=dict)
    _per_file: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, problem: ImportProblem) -> None:
        self.error_total += 1
        self._add(problem, self.errors, self.more_errors, "e")

    def add_warning(self, problem: ImportProblem) -> None:
        self._add(problem, self.warnings, self.more_warnings, "w")

    def _add(self, problem, listed, more, what) -> None:
        # one line each, whatever the cells held: control characters made visible, long names cut
        key = (what, problem.file)
        n = self._per_file[key] = self._per_file.get(key, 0) + 1
        name = one_line(problem.file)
        if n <= MAX_ERRORS_PER_FILE:
            listed.append(ImportProblem(name, problem.row, shown(problem.column), one_line(problem.message)))
        else:
            more[name] = more.get(name, 0) + 1

    def error_lines(self) -> list[str]:
        return _lines(self.errors, self.more_errors, "")

    def warning_lines(self) -> list[str]:
        return _lines(self.warnings, self.more_warnings, "注意: ")

    @property
    def row_counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.items.items() if v}


def _lines(problems, more, prefix) -> list[str]:
    """`FILE:ROW: COLUMN: message` per problem, each file's together; after a file's listed
    problems, `FILE: ほか N 件` when more were found than are listed."""
    by_file = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(f"{p.file}:{p.row}: {p.column}: {prefix}{p.message}")
    out = []
    for name, lines in by_file.items():
        out += lines
        if more.get(name):
            out.append(f"{name}: ほか {more[name]:,} 件（各ファイル最初の {MAX_ERRORS_PER_FILE} 件を表示）")
    return out


class PlanHasErrors(Exception):
    pass


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
        self.center_codes = {c.id: code for code, c in self.vocab.centers.items()}
        self.center_names = {c.id: c.name for c in self.vocab.centers.values()}
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
        # programs: code, name or report name → id; each program's terms by kind
        self.programs = {}  # id → Program row (center_id, code, name)
        self.program_lookup = {}
        for p in db.session.execute(select(Program.id, Program.center_id, Program.code, Program.name,
                                           Program.report_name).order_by(Program.sort_order.desc(), Program.id.desc())):
            self.programs[p.id] = p
            for name in (p.report_name, p.name, p.code):
                self.program_lookup[fold(name)] = p.id
        self.terms = {}  # (program id, kind) → {folded code or label: term id}
        for t in db.session.execute(select(ProgramTerm.id, ProgramTerm.program_id, ProgramTerm.kind,
                                           ProgramTerm.code, ProgramTerm.label)):
            index = self.terms.setdefault((t.program_id, t.kind), {})
            index.setdefault(fold(t.label), t.id)
            index[fold(t.code)] = t.id
        self._defaults = {}
        self._vocab_cache = {}
        # report rows by (section key, number or title) and (row key or label); opening balances
        self.report_sections, self.report_rows = {}, {}
        for sid, key, number, title in db.session.execute(select(ReportSection.id, ReportSection.key,
                                                                 ReportSection.number, ReportSection.title)):
            for name in (title, number, key):
                if name:
                    self.report_sections.setdefault(fold(name), set()).add(sid)
        for rid, sid, key, label in db.session.execute(select(ReportRow.id, ReportRow.section_id, ReportRow.key,
                                                              ReportRow.label)):
            for name in (label, key):
                self.report_rows.setdefault((sid, fold(name)), set()).add(rid)
        self.openings = {(r.row_id, r.as_of_fy): (r.id, r.value, r.note) for r in db.session.execute(
            select(ReportOpeningBalance.id, ReportOpeningBalance.row_id, ReportOpeningBalance.as_of_fy,
                   ReportOpeningBalance.value, ReportOpeningBalance.note))}

    def default_program(self, center_id, kind: str) -> int | None:
        """The program a record of this kind gets at this center when none is given: the rule of
        models.default_program_id (the ORM applies it to single records, fill_missing_programs to
        bulk inserts)."""
        key = (center_id, kind)
        if key not in self._defaults:
            self._defaults[key] = default_program_id(db.session, center_id, kind)
        return self._defaults[key]

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


_MONTH_NAMES = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_NO_YEAR = re.compile(rf"^(?:({_MONTH_NAMES})[a-z]*\.?[\s\-/]*\d{{1,2}}|\d{{1,2}}[\s\-/]*({_MONTH_NAMES})[a-z]*\.?"
                      rf"|\d{{1,2}}月\s*\d{{1,2}}日?)$", re.IGNORECASE)
_ENGLISH_DATE = re.compile(rf"({_MONTH_NAMES})[a-z]*", re.IGNORECASE)
RESAVED_CSV = ("年のない日付です。表計算ソフトで CSV に保存し直すと日付がこの形になり、年が分からなくなります。"
               ".xlsx のまま取り込むか、日付の列を YYYY-MM-DD（例: 2024-03-31）の形式にして保存してください")


@lru_cache(maxsize=65536)
def _date(text: str) -> dt.date:
    try:
        return read_date(text)
    except ValueError as exc:
        s = unicodedata.normalize("NFKC", text).strip()
        if _NO_YEAR.match(s):
            raise CellError(f"{shown(text)}: {RESAVED_CSV}") from None
        if _ENGLISH_DATE.search(s):
            raise CellError(f"{shown(text)}: 英語の月名の日付は読めません。.xlsx のまま取り込むか、"
                            "YYYY-MM-DD（例: 2024-03-31）の形式で保存してください") from None
        raise CellError(str(exc)) from None


def _one_of(codes: dict, what: str, allowed: str, key=None):
    """A cell converter: the code of one of a few words (looked up folded unless `key` says how),
    or a CellError naming the column and what it allows."""
    key = key or fold

    def code_of(v):
        code = codes.get(key(v))
        if code is None:
            raise CellError(f"{what}「{shown(v)}」は使えません（{allowed}）")
        return code
    return code_of


def _int(text: str, what: str, most: int) -> int:
    s = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    if not re.fullmatch(r"\d+", s):
        raise CellError(f"{what}は0以上の整数で入力してください: {shown(text)}")
    n = int(s)
    if n > most:
        raise CellError(f"{what}が大きすぎます: {shown(text)}（{most:,} まで）")
    return n


_ERA_YEAR = re.compile(r"^(令和|平成|昭和|R|H|S)\s*(\d{1,2}|元)(?:年度?)?$", re.IGNORECASE)
_WESTERN_FY = re.compile(r"^(\d{4})(?:年度?)?$")


def _fiscal_year(text: str) -> int:
    """2022, 2022年度, 令和4年度, R4 → 2022 (a fiscal year is named by the year it starts in)."""
    s = unicodedata.normalize("NFKC", text).strip()
    if m := _WESTERN_FY.match(s):
        year = int(m[1])
    elif m := _ERA_YEAR.match(s):
        start = {"令和": 2019, "r": 2019, "平成": 1989, "h": 1989, "昭和": 1926, "s": 1926}[m[1].lower()]
        year = start + (1 if m[2] == "元" else int(m[2])) - 1
    else:
        raise CellError(f"年度として読めません: {shown(text)}（例: 2023, 令和5年度, R5）")
    last = latest_date().year
    if not EARLIEST.year <= year <= last:
        raise CellError(f"年度は {EARLIEST.year} から {last} までです: {shown(text)}")
    return year


def _visible(text: str) -> bool:
    """Has a character one can see (not only spaces, zero-width or bidi control characters)."""
    return any(unicodedata.category(c)[0] not in "ZC" for c in text)


_KIND_CODES = {**{k: k for k in CLIENT_KINDS}, **{v: k for k, v in CLIENT_KINDS.items()}}
_INTRODUCTION_OUTCOMES = {fold(x): code for code, label in INTRODUCTION_OUTCOMES.items() for x in (code, label)}
_GRANT_DECISIONS = {fold(x): code for code, label in GRANT_DECISIONS.items() for x in (code, label)}


class Validator:
    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.lk = _Lookups()
        self.seen = {k: {} for k in KINDS}  # ref → (file, row) of this import
        self.declared = {k: set() for k in KINDS}  # every ref the files hold, valid or not
        self.import_cases = {}  # case ref → (client ref, center id, program id) from this import
        self.import_events = {}  # event ref → (center id, program id)
        self.labels = {}  # column → the header as the sheet being checked writes it

    def error(self, file, row, column, message):
        self.plan.add_error(ImportProblem(file, row, self.labels.get(column, column), message))

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
        if col in DATE_COLUMNS:
            today, past_only, checked = today_jst(), (kind, col) in PAST_ONLY, {}

            def date_in_range(v):
                day = _date(v)
                ok = checked.get(day)
                if ok is None:
                    try:
                        ok = checked[day] = check_date_range(day, past_only=past_only, today=today) and ""
                    except DateError as exc:
                        ok = checked[day] = str(exc)
                if ok:
                    raise CellError(f"{shown(v)}: {ok}")
                return day
            return date_in_range
        if col in REF_TARGETS:
            target = REF_TARGETS[col]
            declared, existing = self.declared[target], lk.existing[target]

            def ref(v):
                if v not in declared and v not in existing:
                    raise CellError(f"{shown(v)} はこの取込にも登録済みの記録にもありません")
                return v
            return ref
        vocab = {"center": "center", "channel": "channel", "industry": "industry", "municipality": "municipality",
                 "industry_division": "industry_division",
                 "outcome": "outcome" if kind == "cases" else None,
                 "kind": "event_kind" if kind == "events" else None}.get(col)
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
            return _one_of(_KIND_CODES, "区分", "法人, 個人事業主, 創業予定者", key=str)
        if col == "outcome":  # introductions
            return _one_of(_INTRODUCTION_OUTCOMES, "結果", "成立, 不成立, 継続")
        if col == "decision":
            return _one_of(_GRANT_DECISIONS, "採択", "採択, 不採択")
        if col == "program":
            def program(v):
                pid = lk.program_lookup.get(fold(v))
                if pid is None:
                    raise CellError(f"事業「{shown(v)}」は登録されていません（事業のコードか名称）")
                return pid
            return program
        if col in TERM_COLUMNS:
            return lambda v: v  # resolved against the row's program (check_row)
        if col in FY_COLUMNS:
            return _fiscal_year
        if col in INT_COLUMNS:
            what, most = INT_COLUMNS[col], max_int(kind, col)
            return lambda v: int(v) if v.isascii() and v.isdigit() and len(v) < 10 else _int(v, what, most)
        if col == "corporate_number":
            def corporate_number(v):
                number = unicodedata.normalize("NFKC", v).replace("-", "").replace(" ", "")
                if not number.isascii() or not valid_corporate_number(number):
                    raise CellError("法人番号が正しくありません（13桁・チェックディジットを確認してください）。")
                return number
            return corporate_number
        if col in ("assignee", "staff"):
            def user(v):
                uid = lk.users.get(v)
                if uid is None:
                    raise CellError(f"ログイン名「{shown(v)}」の職員はいません")
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
        return None  # free text: ref, name, name_kana, title, notes, expert, by, partners, area, …

    # --- files and rows ---------------------------------------------------------------------

    def check_header(self, source: SourceFile) -> bool:
        """Column names or their Japanese labels (import_sources.COLUMN_ALIASES), in any order.
        The sheet's header becomes the columns' names; problems keep naming them as written."""
        spec = COLUMNS[source.kind]
        names = column_aliases(source.kind, spec)
        ok, columns, written = True, [], {}
        for i, text in enumerate(source.header):
            col = names.get(fold(text))
            if col is None:
                self.error(source.name, 1, text or f"(列{i + 1})", "不明な列です")
                ok = False
            elif col in written:
                self.error(source.name, 1, text, f"列が重複しています（{written[col]} と同じ列）")
                ok = False
            else:
                written[col] = text
            columns.append(col or f"(列{i + 1})")
        for name, required in spec.items():
            if required and name not in written:
                self.error(source.name, 1, name, "必須の列がありません")
                ok = False
        source.header = columns
        source.labels = {col: text for col, text in written.items() if text != col}
        return ok

    def validate(self, source: SourceFile) -> None:
        kind, header, spec = source.kind, source.header, COLUMNS[source.kind]
        self.labels = source.labels
        width = len(header)
        items = self.plan.items[kind]
        columns = [(col, self.parser(kind, col), max_chars(kind, col)) for col in header]
        required = [col for col, needed in spec.items() if needed]
        check = getattr(self, f"check_{kind}", None)
        for rownum, cells in source.rows:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                self.error(source.name, rownum, "-", f"見出しより多い {len(cells)} 列があります")
                continue
            values, failed = {}, set()
            for (col, parse, most), raw in zip(columns, cells):
                raw = raw.strip()
                if not raw:
                    continue  # an empty cell is "not given"
                if len(raw) > most:
                    self.error(source.name, rownum, col, f"長すぎます（{len(raw):,} 文字。{most:,} 文字まで）")
                    failed.add(col)
                    continue
                if "\x00" in raw:
                    self.error(source.name, rownum, col, "NUL 文字（\\x00）は使えません")
                    failed.add(col)
                    continue
                if parse is None:
                    if col in ("ref", "name") and not _visible(raw):
                        self.error(source.name, rownum, col, "見える文字がありません（空白や制御文字だけです）")
                        failed.add(col)
                        continue
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
                    self.error(source.name, rownum, "ref", f"ref {shown(ref)} が重複しています（{first[0]} {first[1]}行目）")
                    bad = True
                else:
                    self.seen[kind][ref] = (source.name, rownum)
            if not bad and check is not None:
                bad = not check(source.name, rownum, values)
            if not bad:
                values["_row"] = (source.name, rownum)
                items.append(values)
        self.labels = {}

    # --- cross-column rules -----------------------------------------------------------------

    def _existing(self, kind, values):
        return self.lk.existing[kind].get(values["ref"])

    def _program(self, file, row, v, kind, center_id) -> int | None:
        """The row's program: the one given (of the row's center), else its center's default for
        the kind; None (and a problem) when there is none."""
        lk = self.lk
        if "program" in v:
            program = lk.programs[v["program"]]
            if center_id is not None and program.center_id != center_id:
                self.error(file, row, "program", f"事業「{program.name}」は{lk.center_names.get(center_id, '')}の"
                                                 "事業ではありません")
                return None
            return v["program"]
        old = self._existing(kind, v) if "ref" in v else None
        if old and old.get("program_id"):
            return old["program_id"]
        pid = lk.default_program(center_id, PROGRAM_KIND[kind])
        if pid is None:
            self.error(file, row, "program", "事業が必須です（このセンターには既定の事業がありません）")
        return pid

    def _terms(self, file, row, v, program_id) -> bool:
        """Program vocabulary cells (side, course, milestone, activity, category) → term ids."""
        ok = True
        for col, term_kind in TERM_COLUMNS.items():
            if col not in v:
                continue
            hit = self.lk.terms.get((program_id, term_kind), {}).get(fold(v[col]))
            if hit is None:
                known = "、".join(sorted({k for k in self.lk.terms.get((program_id, term_kind), {})})[:8])
                program = self.lk.programs.get(program_id)
                self.error(file, row, col, f"「{shown(v[col])}」はこの事業（{program.name if program else '-'}）の"
                                           f"{PROGRAM_TERM_KINDS[term_kind]}にありません" + (f"（{known}）" if known else ""))
                ok = False
            else:
                v[col] = hit
        return ok

    def check_clients(self, file, row, v) -> bool:
        """A JSIC middle division belongs to the row's major (業種); without one, it gives it."""
        division = v.get("industry_division")
        if not division:
            return True
        major = self.lk.vocab.division_major[division]
        if v.get("industry") and v["industry"] != major:
            self.error(file, row, "industry_division", "業種（中分類）が業種（大分類）と合っていません")
            return False
        if not v.get("industry"):
            v["industry"] = major
        return True

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
            self.plan.add_warning(ImportProblem(
                file, row, self.labels.get("closed_on", "closed_on"),
                f"終了日 {closed} が開始日 {opened} より前のため、開始日を {closed} にしました"))
            v["opened_on"] = closed
        program = self._program(file, row, v, "cases", v["center"])
        if program is None:
            return False
        self.import_cases[v["ref"]] = (v["client_ref"], v["center"], program)
        return True

    def _case_of(self, ref) -> tuple | None:
        """(client ref or None, client id or None, center id, program id) of a case of this import or
        the database."""
        if ref in self.import_cases:
            client_ref, center_id, program = self.import_cases[ref]
            return client_ref, None, center_id, program
        old = self.lk.existing["cases"].get(ref)
        if old is None:
            return None
        return None, old["client_id"], old["center_id"], old["program_id"] or self.lk.default_program(
            old["center_id"], "case")

    def _case_matches(self, file, row, v) -> bool:
        if "case_ref" not in v:
            return True
        ref = v["case_ref"]
        case = self._case_of(ref)
        if case is None:
            return True  # an invalid row of this import: reported there
        client_ref, client_id, center_id, _program = case
        if client_ref is not None:
            same_client = client_ref == v["client_ref"]
        else:
            client = self.lk.existing["clients"].get(v["client_ref"])
            same_client = client is not None and client["id"] == client_id
        if not same_client:
            self.error(file, row, "case_ref", f"案件 {shown(ref)} は {shown(v['client_ref'])} の案件ではありません")
            return False
        if "center" in v and center_id != v["center"]:
            self.error(file, row, "center", f"案件 {shown(ref)} のセンターと異なります")
            return False
        v.setdefault("center", center_id)
        return True

    def check_consultations(self, file, row, v) -> bool:
        old = self._existing("consultations", v)
        if old and "case_ref" not in v and old["center_id"] != v["center"]:
            self.error(file, row, "center", "登録済みの相談のセンターを変えるときは case_ref も指定してください")
            return False
        if not self._case_matches(file, row, v):
            return False
        if "program" in v or "activity" in v or "category" in v:
            program = self._program(file, row, v, "consultations", v["center"])
            if program is None or not self._terms(file, row, v, program):
                return False
        return True

    def check_events(self, file, row, v) -> bool:
        old = self._existing("events", v) or {}
        program = self._program(file, row, v, "events", v["center"])
        if program is None:
            return False
        held, ends = v.get("held_on", old.get("held_on")), v.get("ends_on", old.get("ends_on"))
        if held and ends and ends < held:
            self.error(file, row, "ends_on", "最終日が開催日より前です")
            return False
        self.import_events[v["ref"]] = (v["center"], program)
        return True

    def check_dispatches(self, file, row, v) -> bool:
        if "fee" in v and "company_share" not in v:
            v["company_share"] = company_share_of(v["fee"], None)  # a third of the fee, rounded down
        if v.get("company_share") is not None and v["company_share"] > v.get("fee", v["company_share"]):
            self.error(file, row, "company_share", "企業負担額は0以上、謝金以下にしてください。")
            return False
        if not self._case_matches(file, row, v):
            return False
        return "program" not in v or self._program(file, row, v, "dispatches", v["center"]) is not None

    def check_diagnoses(self, file, row, v) -> bool:
        return "program" not in v or self._program(file, row, v, "diagnoses", self.diagnosis_center) is not None

    @property
    def diagnosis_center(self):
        if not hasattr(self, "_diagnosis_center"):
            self._diagnosis_center = diagnosis_center_id()
        return self._diagnosis_center

    def _center_and_program(self, file, row, v, kind) -> bool:
        """Registrations, introductions, grants: the center is the program's (or, without a
        program, the program is the center's default for the kind)."""
        if "program" not in v and "center" not in v:
            old = self._existing(kind, v)
            if old:
                v["center"], v["program"] = old["center_id"], old["program_id"]
                return True
            self.error(file, row, "program", "事業（または center）が必須です")
            return False
        if "program" in v:
            center = self.lk.programs[v["program"]].center_id
            if "center" in v and v["center"] != center:
                return self._program(file, row, v, kind, v["center"]) is not None  # says which center
            v["center"] = center
            return True
        program = self._program(file, row, v, kind, v["center"])
        if program is None:
            return False
        v["program"] = program
        return True

    def _in_order(self, file, row, v, first: str, then: str, message: str) -> bool:
        """A later date (`then`, when given) not before the first one: else an error on it."""
        if then in v and v[then] < v[first]:
            self.error(file, row, then, message)
            return False
        return True

    def check_registrations(self, file, row, v) -> bool:
        return (self._center_and_program(file, row, v, "registrations") and self._terms(file, row, v, v["program"])
                and self._in_order(file, row, v, "registered_on", "ended_on", "登録終了日が登録日より前です"))

    def check_introductions(self, file, row, v) -> bool:
        return (self._center_and_program(file, row, v, "introductions")
                and self._in_order(file, row, v, "introduced_on", "outcome_on", "結果日が紹介日より前です"))

    def check_attendances(self, file, row, v) -> bool:
        ref = v["event_ref"]
        if ref in self.import_events:
            center, program = self.import_events[ref]
        elif ref in self.lk.existing["events"]:
            old = self.lk.existing["events"][ref]
            center = old["center_id"]
            program = old["program_id"] or self.lk.default_program(center, "event")
        else:
            return True  # an invalid event row of this import: reported there
        v["center"] = center
        for col in ("companies", "meetings", "deals", "amount"):
            part = v.get(f"{col}_in_prefecture")
            if part is not None and col in v and part > v[col]:
                self.error(file, row, f"{col}_in_prefecture", "うち県内が全体より多くなっています")
                return False
        return self._terms(file, row, v, program)

    def check_grants(self, file, row, v) -> bool:
        if not self._center_and_program(file, row, v, "grants") or not self._terms(file, row, v, v["program"]):
            return False
        old = self._existing("grants", v) or {}
        if "applied_on" not in v and not old.get("applied_on"):
            first = v.get("decided_on") or v.get("granted_on")
            if first is None:
                self.error(file, row, "applied_on", "申請日・決定日・交付日のいずれかが必須です")
                return False
            v["applied_on"] = first  # the legacy sheet knows only when it was decided or granted
        if "case_ref" in v:
            return self._case_matches(file, row, v)
        return True

    def check_milestones(self, file, row, v) -> bool:
        case = self._case_of(v["case_ref"])
        if case is None:
            return True  # reported at the case's row
        client_ref, client_id, center, program = case
        v["center"] = center
        v["_client"] = (client_ref, client_id)
        program = self._program(file, row, v, "milestones", center) if "program" in v else program
        if program is None:
            return False
        v["program"] = program
        return self._terms(file, row, v, program)


    def check_opening_balances(self, file, row, v) -> bool:
        """`section` (key, number or title) and `row` (key or label) name one report row."""
        lk = self.lk
        sections = lk.report_sections.get(fold(v["section"]), set())
        if len(sections) != 1:
            self.error(file, row, "section", f"報告書の表「{shown(v['section'])}」が" +
                       ("ありません（表のキー・番号・題名）" if not sections else "一つに決まりません（表のキーで指定してください）"))
            return False
        (section,) = sections
        rows = lk.report_rows.get((section, fold(v["row"])), set())
        if len(rows) != 1:
            self.error(file, row, "row", f"表の行「{shown(v['row'])}」が" +
                       ("ありません（行のキーか見出し）" if not rows else "一つに決まりません（行のキーで指定してください）"))
            return False
        (v["row"],) = rows
        key = (v["row"], v["as_of_fy"])
        first = self.seen["opening_balances"].get(key)
        if first:
            self.error(file, row, "as_of_fy", f"同じ行・年度の繰越が重複しています（{first[0]} {first[1]}行目）")
            return False
        self.seen["opening_balances"][key] = (file, row)
        return True


def validate_files(sources) -> ImportPlan:
    """Read and check every row of every file (CSV files, XLSX workbooks). Nothing is written."""
    plan = ImportPlan()
    files = []
    for name, content in expand_sources(sources):
        for sheet in read_source(name, content):
            for row, column, message in sheet.problems:
                plan.add_error(ImportProblem(sheet.name, row, column, message))
            files.append(sheet)
    order = {k: i for i, k in enumerate(KINDS)}
    files.sort(key=lambda f: order.get(f.kind, len(KINDS)))  # stable: same-kind files keep their order
    plan.files = files
    validator = Validator(plan)
    checked = []
    for source in files:
        if source.kind is None or any(column == "-" for _row, column, _m in source.problems):
            continue  # not read (its problems say why)
        if not source.header:
            validator.error(source.name, 1, "-", "見出し行がありません")
        elif validator.check_header(source):
            validator.declare(source)
            checked.append(source)
    for source in checked:
        validator.validate(source)
    plan._lookups = validator.lk
    return plan


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def _insert(model, rows: list[dict], key=("ref",)) -> list[int]:
    """Bulk insert; the new ids in the order of rows.

    The ids come back from the insert itself (INSERT ... VALUES (...), (...) ... RETURNING id and
    `key`, many rows per statement, on SQLite and PostgreSQL alike), matched on `key`, unique
    among the rows inserted: never read back from the table, where another transaction may have
    inserted a row with the same key meanwhile."""
    if not rows:
        return []
    table = model.__table__
    conn = db.session.connection()
    cols, bound = _bound(table, rows, conn.dialect)
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    group = "(" + ", ".join([mark] * len(cols)) + ")"
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in cols)}) VALUES "
    tail = f" RETURNING {quote('id')}, {', '.join(quote(k) for k in key)}"
    per = max(1, min(500, 30_000 // len(cols)))  # well under SQLite's 32,766 and PostgreSQL's 65,535 parameters
    found = {}
    for i in range(0, len(bound), per):
        chunk = bound[i:i + per]
        params = tuple(row[c] for row in chunk for c in cols)
        for r in conn.exec_driver_sql(head + ", ".join([group] * len(chunk)) + tail, params):
            found[tuple(r[1:])] = r[0]
    return [found[tuple(row[k] for k in key)] for row in bound]  # the key as bound is the key returned


def _bound(table, rows: list[dict], dialect) -> tuple[list[str], list[dict]]:
    """The rows (same keys each) with the columns' Python defaults added and every value through
    its column type's bind processor (once per distinct value: dates repeat), ready for the DBAPI."""
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
            done = {}
            for row in rows:
                value = row[c]
                if value is not None:
                    hit = done.get(value)
                    if hit is None:
                        hit = done[value] = p(value)
                    row[c] = hit
    return cols, rows


def _executemany(table, rows: list[dict]) -> None:
    """INSERT rows (same keys each) with one DBAPI executemany: the statement is compiled once
    by SQLAlchemy for the dialect, values go through the column types' bind processors, but not
    through SQLAlchemy's per-parameter machinery (most of the time of a large import)."""
    if not rows:
        return
    conn = db.session.connection()
    cols, rows = _bound(table, rows, conn.dialect)
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=cols)
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
        self.ids = {k: {ref: old["id"] for ref, old in self.lk.existing[k].items()} for k in RECORD_KINDS}
        self.counts = {}
        self.outcome_case_ids = []
        self.diagnosis_center_id = diagnosis_center_id() if plan.items["diagnoses"] else None

    def resolve(self, kind: str, v: dict) -> dict:
        """Import columns → model columns, refs and names → ids."""
        out = {}
        for col, target in TARGETS[kind].items():
            if col not in v:
                continue
            value = v[col]
            if col in REF_TARGETS:
                value = self.ids[REF_TARGETS[col]][value]
            elif col == "expert":
                value = self.expert_id(value)
            out[target] = value
        if "_client" in v:  # a milestone's client is its case's
            client_ref, client_id = v["_client"]
            out["client_id"] = client_id if client_id is not None else self.ids["clients"][client_ref]
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
            row["stage"] = initial_stage(self.lk.center_codes[row["center_id"]])
        elif kind == "diagnoses":
            row["center_id"] = self.diagnosis_center_id
        elif kind == "introductions":
            row["outcome"] = row["outcome"] or "ongoing"
        elif kind == "attendances":
            row["companies"] = 1 if row["companies"] is None else row["companies"]
        elif kind == "grants" and row["program"] is None:
            row["program"] = self.lk.programs[row["program_id"]].name  # 制度名: the program's, unless given
        return row

    def prepare_consultations(self, v, old, diff):
        if "themes" in v and set(v["themes"]) != old.get("themes", set()):
            self.theme_updates.append((old["id"], v["themes"]))
        return diff

    def assign_cases(self, rows: list[dict], refs: list[dict]) -> None:
        """A consultation without case_ref joins the client's case at that center open on that
        date (cases.find_open_case), or opens a new case — taken in date order."""
        open_cases, last_activity = {}, {}  # (client, center) → [(opened_on, closed_on, id, creation order)]
        stmt = (select(Case.id, Case.client_id, Case.center_id, Case.opened_on, Case.closed_on, Case.last_activity_on)
                .where(Case.voided_at.is_(None)))
        for cid, client_id, center_id, opened, closed, last in db.session.execute(stmt):
            open_cases.setdefault((client_id, center_id), []).append((opened, closed, cid, cid))
            last_activity[cid] = last
        pending = sorted((row for row in rows if row["case_id"] is None), key=lambda r: r["held_on"])
        new_cases = []
        for row in pending:
            key, on = (row["client_id"], row["center_id"]), row["held_on"]
            # the services' rule (cases.pick_open_case), on the index instead of one query per row
            hit = pick_open_case(open_cases.get(key, ()), on, opened=itemgetter(0), closed=itemgetter(1),
                                 created=itemgetter(3))
            if hit is not None:
                row["case_id"] = hit[2]
            else:
                marker = ("new", len(new_cases))
                open_cases.setdefault(key, []).append((on, None, marker, 1 << 62))  # created after every other
                new_cases.append({"client_id": row["client_id"], "center_id": row["center_id"], "opened_on": on,
                                  "last_activity_on": on, "assignee_id": row.get("staff_id"), "ref": None,
                                  "stage": initial_stage(self.lk.center_codes[row["center_id"]]),
                                  "program_id": row.get("program_id"),  # as log_consultation's open_case
                                  "created_at": self.now, "updated_at": self.now, "version": 1})
                row["case_id"] = marker
        latest = {}  # a case's last activity: its latest consultation
        for row in rows:
            if row["held_on"] > latest.get(row["case_id"], dt.date.min):
                latest[row["case_id"]] = row["held_on"]
        for i, case_row in enumerate(new_cases):
            case_row["last_activity_on"] = latest[("new", i)]
        # a new case per (client, center, day) at most: the second consultation joins the first's case
        new_ids = _insert(Case, new_cases, key=("client_id", "center_id", "opened_on"))
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

    def write_opening_balances(self) -> None:
        """Keyed by report row and as_of_fy (no ref): a known pair updates its value and note."""
        new_rows, changes = [], []
        for v in self.plan.items["opening_balances"]:
            old = self.lk.openings.get((v["row"], v["as_of_fy"]))
            if old is None:
                new_rows.append({"row_id": v["row"], "as_of_fy": v["as_of_fy"], "value": v["value"],
                                 "note": v.get("note"), "created_at": self.now, "updated_at": self.now})
                continue
            diff = {k: v[k] for k, now in (("value", old[1]), ("note", old[2])) if k in v and v[k] != now}
            if diff:
                changes.append({"_id": old[0], **diff})
        _executemany(ReportOpeningBalance.__table__, new_rows)
        _update(ReportOpeningBalance, changes)
        self.counts["opening_balances"] = (len(new_rows), len(changes))

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
        for kind in ("clients", "cases", "events", "consultations", "dispatches", "diagnoses", "registrations",
                     "introductions", "attendances", "grants", "milestones"):
            if self.plan.items[kind]:
                self.write(kind)
        if self.plan.items["opening_balances"]:
            self.write_opening_balances()
        # rows written without a program get their center's default (a consultation its case's):
        # the rule the ORM applies to single records, in SQL
        fill_missing_programs()
        if self.outcome_case_ids:
            from .hooks import run_outcome_hooks

            db.session.expire_all()
            with db.session.no_autoflush:  # the hooks flush what they create
                for case in db.session.scalars(select(Case).where(Case.id.in_(self.outcome_case_ids))).all():
                    run_outcome_hooks(case, None)
        return {k: self.counts[k] for k in KINDS if k in self.counts}


def apply_plan(plan: ImportPlan, by: User | None = None) -> dict[str, tuple[int, int]]:
    """Write a valid plan into the session's transaction: {kind: (created, updated)} for the
    kinds given. The caller's unit of work commits it (the request, or `committing()` of the
    command), or rolls all of it back."""
    if plan.errors:
        raise PlanHasErrors(f"{len(plan.errors)} errors")
    writer = _Writer(plan)
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        # a large page cache keeps a big import's pages in memory until the commit; the pragma is
        # per connection: the pool gives the connection its default back when it is returned
        # (after the commit or the rollback of the caller's unit of work), see _restore_cache_size
        info = conn.connection.info  # the pooled DBAPI connection's, as the checkin event sees it
        if _CACHE_SIZE not in info:
            raw = conn.connection.dbapi_connection
            info[_CACHE_SIZE] = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute("PRAGMA cache_size = -131072")
    counts = writer.run()
    audit.record("import", None, user=by, detail={
        "files": [f.name for f in plan.files], "counts": {k: list(v) for k, v in counts.items()},
        "cases_opened_for_consultations": writer.auto_cases})
    db.session.flush()
    plan.cases_opened = writer.auto_cases
    return counts


_CACHE_SIZE = "casework_import_cache_size"


@event.listens_for(Pool, "checkin")
def _restore_cache_size(dbapi_connection, record):
    if record is not None and _CACHE_SIZE in record.info and dbapi_connection is not None:
        dbapi_connection.execute(f"PRAGMA cache_size = {int(record.info.pop(_CACHE_SIZE))}")


def import_files(sources, by: User | None = None) -> tuple[ImportPlan, dict | None]:
    """Validate, and write when there is no error (the caller commits)."""
    plan = validate_files(sources)
    if plan.errors:
        return plan, None
    return plan, apply_plan(plan, by=by)
