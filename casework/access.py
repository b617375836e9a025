"""Record-level access: center membership × record confidentiality. (What a role may do is
the permission table's question, casework/permissions.py; this module asks it too, e.g. who
sees every center.)

Every list, search, count, export and detail page asks this module which records the current
user may see. Records the user may not see answer 404 (never 403: that would confirm they exist). A refusal
by a helper here is put on the audit log as 'denied' (the 404 handler writes it), and loading a
confidential record (succession / M&A) is put on record as a 'view'.
"""
from __future__ import annotations

import functools

from flask import abort
from sqlalchemy import Boolean, Integer, and_, cast, exists, func, null, or_, select
from sqlalchemy.dialects.postgresql import ARRAY

from .extensions import db
from .models import Case, Center, Client, Diagnosis, User


def visible_center_ids(user: User) -> set[int] | None:
    """None means every center (permission records.all_centers: admins); otherwise the centers
    the user is a member of."""
    from .permissions import can

    if can(user, "records.all_centers"):
        return None
    return {c.id for c in user.centers}


def can_see_center(user: User, center_id: int | None) -> bool:
    ids = visible_center_ids(user)
    return ids is None or center_id in ids


def can_see_center_code(user: User, code: str) -> bool:
    """Whether the center with this code exists and the user may see its records."""
    center_id = db.session.scalar(select(Center.id).where(Center.code == code))
    return center_id is not None and can_see_center(user, center_id)


def hidden_confidential_center_ids(user: User) -> list[int]:
    """Confidential centers (succession / M&A) this user is not a member of."""
    ids = visible_center_ids(user)
    if ids is None:
        return []
    return [cid for cid in db.session.scalars(select(Center.id).where(Center.confidential)) if cid not in ids]


def center_filter(column, user: User):
    """A WHERE clause limiting a center_id column to the user's centers (or True for admins)."""
    ids = visible_center_ids(user)
    return True if ids is None else column.in_(ids or [-1])


def hidden_confidential_program_ids(user: User) -> list[int]:
    """Confidential programs (中小企業活性化 …) of centers this user is not a member of."""
    from .models import Program

    ids = visible_center_ids(user)
    if ids is None:
        return []
    return [pid for pid, center_id in db.session.execute(select(Program.id, Program.center_id)
                                                         .where(Program.confidential)) if center_id not in ids]


def _hidden_confidential(user: User) -> tuple[list[int], list[int]]:
    """hidden_confidential_center_ids and hidden_confidential_program_ids in one query (the
    client search asks both on every search: each query is a noticeable part of a 3 ms search)."""
    from .models import Program

    ids = visible_center_ids(user)
    if ids is None:
        return [], []
    centers, programs = [], []
    for center_id, program_id in db.session.execute(
            select(Center.id, null()).where(Center.confidential)
            .union_all(select(Program.center_id, Program.id).where(Program.confidential))):
        if center_id in ids:
            continue
        if program_id is None:
            centers.append(center_id)
        else:
            programs.append(program_id)
    return sorted(centers), sorted(programs)


def client_filter(user: User):
    """Clients are shared across centers, except those known only to a confidential center (or a
    confidential program's cases) the user is not in (a seller's very presence in casework is
    confidential).

    The rule (_hidden_by_rule) can hide only a client flagged confidential_only: hiding needs a
    diagnosis or a case in a hidden confidential center or program, and no case outside hidden
    ones; a client that is not flagged has no such record, or has a case outside every
    confidential center and program, which is outside the hidden ones. So the filter asks the
    rule of the flagged candidates only, instead of probing cases and diagnoses for every one.
    """
    hidden, hidden_programs = _hidden_confidential(user)
    if not hidden and not hidden_programs:
        return True
    return _visible_clients_clause(db.session.get_bind().dialect.name, tuple(hidden), tuple(hidden_programs))


@functools.lru_cache(maxsize=64)
def _visible_clients_clause(dialect: str, hidden: tuple[int, ...], hidden_programs: tuple[int, ...]):
    """client_filter's clause, built once per set of hidden centers and programs (building it
    costs more CPU than a search through the index; a clause is immutable and can be reused).

    Both engines evaluate an OR's arms in order, so the rule runs for the flagged candidates only
    (a few in a thousand). On PostgreSQL the rule is the function casework_client_hidden
    (casework/confidential_index.py): inline, its EXISTS subqueries became hashed subplans over
    every case of the hidden centers and every diagnosis, or, fenced, subplans whose cost the
    planner counts for every candidate, which turned JIT compilation on (EXPLAIN ANALYZE at
    national size, docs/performance.md)."""
    if dialect == "postgresql":
        return or_(~Client.confidential_only, ~func.casework_client_hidden(
            Client.id, cast(list(hidden), ARRAY(Integer)), cast(list(hidden_programs), ARRAY(Integer)), type_=Boolean))
    return or_(~Client.confidential_only, ~_hidden_by_rule(Client, list(hidden), list(hidden_programs)))


def _hidden_by_rule(client, hidden: list[int], hidden_programs: list[int]):
    """WHERE clause: the client is known to a hidden confidential center (a case there or a
    diagnosis) or to a hidden confidential program's cases, and to nothing else."""
    known_there, elsewhere = [], [Case.voided_at.is_(None), Case.client_id == client.id]
    if hidden:
        known_there += [
            exists().where(Case.client_id == client.id, Case.voided_at.is_(None), Case.center_id.in_(hidden)),
            exists().where(Diagnosis.client_id == client.id, Diagnosis.voided_at.is_(None)),
        ]
        elsewhere.append(Case.center_id.not_in(hidden))
    if hidden_programs:
        known_there.append(exists().where(Case.client_id == client.id, Case.voided_at.is_(None),
                                          Case.program_id.in_(hidden_programs)))
        elsewhere.append(or_(Case.program_id.is_(None), Case.program_id.not_in(hidden_programs)))
    return and_(or_(*known_there), ~exists().where(*elsewhere))


def sees_succession(user: User) -> bool:
    return not hidden_confidential_center_ids(user)


def visible_clients(user: User):
    return select(Client).where(Client.voided_at.is_(None), client_filter(user))


def found_or_404(record, object_type: str, object_id):
    """The record a service found for the user, or a refusal (404, audited) when it found none."""
    if record is None:
        deny(object_type, object_id)
    return record


def deny(object_type: str | None = None, object_id=None):
    """Answer 404 and put the refusal on the audit log (for a logged-in user)."""
    from .services import audit

    audit.note_denied(object_type, object_id)
    abort(404)


def is_confidential_center(center_id: int | None) -> bool:
    return center_id is not None and bool(db.session.scalar(select(Center.confidential).where(Center.id == center_id)))


def is_confidential_client(client: Client) -> bool:
    """A client known to a confidential center (a succession case or a 事業承継診断) or with a
    case in a confidential program."""
    from .models import Program

    return bool(db.session.scalar(select(or_(
        exists().where(Case.client_id == client.id, Case.voided_at.is_(None),
                       Case.center_id.in_(select(Center.id).where(Center.confidential))),
        exists().where(Case.client_id == client.id, Case.voided_at.is_(None),
                       Case.program_id.in_(select(Program.id).where(Program.confidential))),
        exists().where(Diagnosis.client_id == client.id, Diagnosis.voided_at.is_(None))))))


def get_client_or_404(user: User, client_id: int, *, include_voided: bool = False) -> Client:
    client = db.session.scalar(select(Client).where(Client.id == client_id, client_filter(user)))
    if client is None or (client.is_voided and not include_voided):
        deny("Client", client_id)
    if is_confidential_client(client):
        from .services import audit

        audit.note_view(client, center_id=None)
    return client


def get_in_center_or_404(user: User, model, record_id: int, *, include_voided: bool = False):
    """Load a center-scoped record (anything with center_id) or answer 404."""
    record = db.session.get(model, record_id)
    if record is None or not can_see_center(user, record.center_id):
        deny(model.__name__, record_id)
    if getattr(record, "voided_at", None) is not None and not include_voided:
        deny(model.__name__, record_id)
    if is_confidential_center(record.center_id) or is_confidential_program(getattr(record, "program_id", None)):
        from .services import audit

        audit.note_view(record)
    return record


def is_confidential_program(program_id: int | None) -> bool:
    """A record of a confidential program (中小企業活性化 …): its views are audited like succession's."""
    from .models import Program

    return program_id is not None and bool(db.session.scalar(select(Program.confidential)
                                                             .where(Program.id == program_id)))


def visible_with_client(model, user: User):
    """SELECT of a center-scoped model joined to its client: the user's centers, neither the
    record nor its client voided (the list pages' starting point)."""
    return select(model).join(Client, model.client_id == Client.id).where(and_visible(model, user),
                                                                           Client.voided_at.is_(None))


def and_visible(model, user: User):
    """WHERE clause for a center-scoped model: not voided and in the user's centers."""
    return and_(model.voided_at.is_(None), center_filter(model.center_id, user))


def confidential_center_ids(user: User) -> list[int]:
    """Confidential centers this user may see (all of them for admins)."""
    ids = visible_center_ids(user)
    return [cid for cid in db.session.scalars(select(Center.id).where(Center.confidential).order_by(Center.sort_order))
            if ids is None or cid in ids]


def can_see_confidential_record(user: User, center_id: int | None) -> bool:
    """A record of a confidential center: visible to that center's members and admins."""
    return center_id is not None and can_see_center(user, center_id)
