"""Programs (事業) and their vocabularies: which programs a user records in, defaults, and the
admin's add / edit / deactivate. See docs/programs.md."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, select, update

from ..access import visible_center_ids
from ..extensions import db
from ..models import (
    PROGRAM_RECORD_KINDS, PROGRAM_TERM_KINDS, Case, Center, Consultation, DispatchVisit, Diagnosis, Event, Grant,
    Program, ProgramTerm, User, default_program_id,
)
from . import audit
from .errors import DomainError
from .locking import apply_values, check_version

CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


# --- reading ---------------------------------------------------------------------------------

def get_program(program_id) -> Program | None:
    return db.session.get(Program, program_id) if program_id else None


def program_by_code(code: str) -> Program | None:
    return db.session.scalar(select(Program).where(Program.code == code))


def recordable_programs(user: User, *, include=None) -> list[Program]:
    """Active programs of the centers the user may record in (all for admins), in report order;
    `include` (a program id) is kept even when inactive, so an edit form shows the record's own."""
    stmt = select(Program).join(Center, Center.id == Program.center_id).order_by(
        Center.sort_order, Program.sort_order, Program.id)
    ids = visible_center_ids(user)
    if ids is not None:
        stmt = stmt.where(Program.center_id.in_(ids or [-1]))
    programs = list(db.session.scalars(stmt))
    return [p for p in programs if p.active or p.id == include]


def program_choices(user: User, *, include=None, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    return choices + [(str(p.id), program_label(p)) for p in recordable_programs(user, include=include)]


def program_label(program: Program) -> str:
    label = f"{program.name}（{program.center.name}）"
    if program.ended_fiscal_year:
        from ..dates import fy_label

        label += f"・{fy_label(program.ended_fiscal_year)}で終了"
    return label


def user_default_program(user: User, kind: str) -> Program | None:
    """The default program on a form: the user's home center's default for this kind."""
    center = user.home_center
    if center is None:
        return None
    return get_program(default_program_id(db.session, center.id, kind))


def center_default_program_id(center_id: int | None, kind: str) -> int | None:
    return default_program_id(db.session, center_id, kind)


def terms_of(program_id, kind: str, *, include=None) -> list[ProgramTerm]:
    if not program_id:
        return []
    return [t for t in db.session.scalars(select(ProgramTerm).where(
        ProgramTerm.program_id == program_id, ProgramTerm.kind == kind).order_by(ProgramTerm.sort_order, ProgramTerm.id))
        if t.active or t.id == include]


def term_choices(program_id, kind: str, *, include=None, blank: str | None = "（選択なし）") -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    return choices + [(str(t.id), t.label) for t in terms_of(program_id, kind, include=include)]


def programs_with_terms(user: User, kind: str) -> list[tuple[Program, list[ProgramTerm]]]:
    """Programs the user records in that have terms of this kind (the form's grouped select)."""
    out = []
    for p in recordable_programs(user):
        terms = terms_of(p.id, kind)
        if terms:
            out.append((p, terms))
    return out


def check_program(user: User | None, program_id, center_id: int | None = None, field: str = "program_id") -> Program:
    """A program the user may record in (and, when given, of this center), else a DomainError."""
    program = get_program(program_id)
    if program is None:
        raise DomainError("事業を選んでください。", field)
    if user is not None:
        ids = visible_center_ids(user)
        if ids is not None and program.center_id not in ids:
            raise DomainError("この事業には記録できません。", field)
    if center_id is not None and program.center_id != center_id:
        raise DomainError("事業がセンターと合っていません。", field)
    return program


def check_term(program: Program, term_id, kind: str, field: str, *, required: bool = False) -> ProgramTerm | None:
    if not term_id:
        if required:
            raise DomainError(f"{PROGRAM_TERM_KINDS[kind]}を選んでください。", field)
        return None
    term = db.session.get(ProgramTerm, int(term_id))
    if term is None or term.program_id != program.id or term.kind != kind:
        raise DomainError(f"この事業の{PROGRAM_TERM_KINDS[kind]}から選んでください。", field)
    return term


# --- bulk default (Core inserts) -------------------------------------------------------------

FILLED = [(Consultation, "consultation"), (Case, "case"), (Event, "event"), (Grant, "grant"),
          (DispatchVisit, "dispatch"), (Diagnosis, "diagnosis")]


def fill_missing_programs() -> int:
    """Give rows inserted without a program (Core bulk inserts) their center's default, as the
    ORM does for single records. Consultations take their case's program first. Returns the
    number of rows changed."""
    changed = 0
    changed += db.session.execute(
        update(Consultation).where(Consultation.program_id.is_(None)).values(
            program_id=select(Case.program_id).where(Case.id == Consultation.case_id,
                                                     Case.center_id == Consultation.center_id).scalar_subquery())
        .execution_options(synchronize_session=False)).rowcount or 0
    centers = [None, *db.session.scalars(select(Center.id))]
    for model, kind in FILLED:
        for center_id in centers:
            if center_id is None and model is not Diagnosis:
                continue
            program_id = default_program_id(db.session, center_id, kind)
            if program_id is None:
                continue
            where = model.center_id.is_(None) if center_id is None else model.center_id == center_id
            result = db.session.execute(update(model).where(and_(where, model.program_id.is_(None)))
                                        .values(program_id=program_id).execution_options(synchronize_session=False))
            changed += result.rowcount or 0
    return changed


# --- admin: programs -------------------------------------------------------------------------

@dataclass
class ProgramData:
    center_id: int
    code: str
    name: str
    report_name: str
    report_number: str | None = None
    confidential: bool = False
    active: bool = True
    sort_order: int = 100
    started_fiscal_year: int | None = None
    ended_fiscal_year: int | None = None
    default_for: list[str] | None = None
    notes: str | None = None

    def cleaned(self, program: Program | None = None) -> dict:
        values = dict(self.__dict__)
        for key in ("code", "name", "report_name", "report_number", "notes"):
            values[key] = (values[key] or "").strip() or None
        if db.session.get(Center, self.center_id) is None:
            raise DomainError("センターを選んでください。", "center_id")
        if not values["code"] or not CODE.match(values["code"]):
            raise DomainError("コードは半角英小文字で始まる英数字と _ （2〜32文字）にしてください。", "code")
        clash = db.session.scalar(select(Program.id).where(Program.code == values["code"]))
        if clash is not None and (program is None or clash != program.id):
            raise DomainError("このコードは既に使われています。", "code")
        if not values["name"]:
            raise DomainError("名称を入力してください。", "name")
        if not values["report_name"]:
            raise DomainError("報告書での名称を入力してください。", "report_name")
        for key, label in (("started_fiscal_year", "開始年度"), ("ended_fiscal_year", "終了年度")):
            year = values[key]
            if year is not None and not 1990 <= year <= 2100:
                raise DomainError(f"{label}は西暦の年（例: 2023）で入力してください。", key)
        if values["started_fiscal_year"] and values["ended_fiscal_year"] and \
                values["ended_fiscal_year"] < values["started_fiscal_year"]:
            raise DomainError("終了年度が開始年度より前です。", "ended_fiscal_year")
        kinds = [k for k in (values["default_for"] or []) if k]
        unknown = [k for k in kinds if k not in PROGRAM_RECORD_KINDS]
        if unknown:
            raise DomainError("既定にできる記録の種類から選んでください。", "default_for")
        values["default_for"] = ";".join(k for k in PROGRAM_RECORD_KINDS if k in kinds) or None
        return values


def list_programs() -> list[Program]:
    return list(db.session.scalars(select(Program).join(Center, Center.id == Program.center_id)
                                   .order_by(Center.sort_order, Program.sort_order, Program.id)))


def create_program(data: ProgramData, by: User | None = None) -> Program:
    program = Program(**data.cleaned())
    db.session.add(program)
    db.session.flush()
    _release_defaults(program)
    audit.record("create", program, user=by, center_id=program.center_id,
                 detail={"code": program.code, "name": program.name})
    return program


def update_program(program: Program, data: ProgramData, *, expected_version: int | None,
                   by: User | None = None) -> Program:
    values = data.cleaned(program)
    apply_values(program, values, expected_version=expected_version, by=by, center_id=values["center_id"])
    db.session.flush()
    _release_defaults(program)
    return program


def _release_defaults(program: Program) -> None:
    """One default per center and kind: the program just saved takes the kinds it names."""
    kinds = program.default_kinds()
    if not kinds:
        return
    for other in db.session.scalars(select(Program).where(Program.center_id == program.center_id,
                                                          Program.id != program.id)):
        left = other.default_kinds() - kinds
        if left != other.default_kinds():
            other.default_for = ";".join(k for k in PROGRAM_RECORD_KINDS if k in left) or None


def add_center_program(center: Center, by: User | None = None) -> Program:
    """A new center's own program, default for every kind of record (an admin renames or splits it)."""
    code = center.code if program_by_code(center.code) is None else f"center_{center.id}"
    return create_program(ProgramData(
        center_id=center.id, code=code, name=center.name, report_name=center.report_title or center.name,
        confidential=bool(center.confidential), sort_order=1000 + (center.sort_order or 0),
        default_for=list(PROGRAM_RECORD_KINDS)), by=by)


def set_program_active(program: Program, active: bool, *, expected_version: int | None, by: User | None = None):
    check_version(program, expected_version, {"active": active})
    if program.active != active:
        program.active = active
        audit.record("change", program, user=by, center_id=program.center_id, detail={"active": [not active, active]})
    return program


# --- admin: vocabularies ---------------------------------------------------------------------

@dataclass
class TermData:
    kind: str
    code: str
    label: str
    unit: str | None = None
    sort_order: int = 100
    active: bool = True

    def cleaned(self, program: Program, term: ProgramTerm | None = None) -> dict:
        values = dict(self.__dict__)
        for key in ("code", "label", "unit"):
            values[key] = (values[key] or "").strip() or None
        if values["kind"] not in PROGRAM_TERM_KINDS:
            raise DomainError("種類を選んでください。", "kind")
        if not values["code"] or not CODE.match(values["code"]):
            raise DomainError("コードは半角英小文字で始まる英数字と _ （2〜32文字）にしてください。", "code")
        if not values["label"]:
            raise DomainError("表示名を入力してください。", "label")
        clash = db.session.scalar(select(ProgramTerm.id).where(
            ProgramTerm.program_id == program.id, ProgramTerm.kind == values["kind"], ProgramTerm.code == values["code"]))
        if clash is not None and (term is None or clash != term.id):
            raise DomainError("このコードは既に使われています。", "code")
        return values


def create_term(program: Program, data: TermData, by: User | None = None) -> ProgramTerm:
    term = ProgramTerm(program_id=program.id, **data.cleaned(program))
    db.session.add(term)
    db.session.flush()
    audit.record("create", term, user=by, center_id=program.center_id,
                 detail={"program": program.code, "kind": term.kind, "label": term.label})
    return term


def update_term(term: ProgramTerm, data: TermData, *, expected_version: int | None, by: User | None = None):

    apply_values(term, data.cleaned(term.program, term), expected_version=expected_version, by=by,
                 center_id=term.program.center_id)
    return term


def is_confidential_program(program_id) -> bool:
    return bool(program_id) and bool(db.session.scalar(select(Program.confidential).where(Program.id == program_id)))


