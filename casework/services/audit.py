"""Audit entries, written in the same transaction as the action they record."""
from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from ..models import AuditEntry


def record(action: str, obj=None, *, user=None, detail: dict | None = None, login: str | None = None,
           center_id: int | None = None) -> AuditEntry:
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    entry = AuditEntry(
        action=action,
        user_id=getattr(user, "id", None),
        login=login or getattr(user, "login", None),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        center_id=center_id if center_id is not None else getattr(obj, "center_id", None),
        detail=detail,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def changes(obj, fields: dict) -> dict:
    """{field: [before, after]} for the fields whose value differs, JSON-ready."""
    diff = {}
    for name, new in fields.items():
        old = getattr(obj, name, None)
        if old != new:
            diff[name] = [_plain(old), _plain(new)]
    return diff


def _plain(value):
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return str(value)
