"""Checks the web's forms make by offering choices, made here for the API before a service runs
(a staff member must be one the user could pick; a center must exist), and the audit of
confidential records a list shows."""
from __future__ import annotations

from flask_smorest import abort

from ..access import is_confidential_center, is_confidential_client, is_confidential_program, visible_center_ids
from ..extensions import db
from ..models import Center
from ..services import audit


def colleague_or_422(user, staff_id, field: str, current=None):
    """A staff id the user could choose on the web (colleagues of their centers; the record's own)."""
    if staff_id is None or staff_id == current:
        return staff_id
    from ..blueprints.forms_common import staff_choices

    if staff_id not in {value for value, _ in staff_choices(center_ids=visible_center_ids(user))}:
        abort(422, errors=[{"field": field, "message": "職員が見つかりません（所属センターの有効な職員を指定してください）。"}])
    return staff_id


def center_or_422(center_id, field: str = "center_id"):
    if center_id is not None and db.session.get(Center, center_id) is None:
        abort(422, errors=[{"field": field, "message": "センターが見つかりません。"}])
    return center_id


def audit_confidential(records) -> None:
    """A list showing confidential records (succession, 活性化) puts each on the audit log, as their pages do."""
    for record in records:
        if hasattr(record, "center_id"):
            if is_confidential_center(record.center_id) or is_confidential_program(getattr(record, "program_id", None)):
                audit.note_view(record)
        elif is_confidential_client(record):
            audit.note_view(record, center_id=None)
