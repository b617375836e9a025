"""Restoring a voided record (復元): the reverse of services/voiding.py, for administrators.

The record and what was voided along with it (the 'along' list of its void entry, where those
are still voided for that reason) become live again; a reason is required; one 'restore' audit
entry per record keeps who, when, why and the void it undoes. A client voided by a merge is
restored by undoing the merge (services/merge.py), not here.
"""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, User
from ..permissions import can
from . import audit
from .errors import DomainError
from .locking import check_version
from .voiding import center_id_of, is_confidential, kind_label


def model_of(object_type: str):
    return db.Model.registry._class_registry.get(object_type)


def void_entries_query():
    """The voids someone chose (not those that went along), newest first: the list of what may be restored."""
    return (select(AuditEntry).where(AuditEntry.action == "void", AuditEntry.object_id.is_not(None))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))


def voided_record(entry: AuditEntry):
    """The record a void entry is about, when it is still voided (else None)."""
    model = model_of(entry.object_type or "")
    record = db.session.get(model, entry.object_id) if model is not None and hasattr(model, "voided_at") else None
    return record if record is not None and record.voided_at is not None else None


def restore_record(record, reason: str | None, by: User, *, expected_version: int | None = None) -> list:
    """Un-void `record` and the records voided along with it; returns those restored along."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("復元の理由を入力してください。", "reason")
    if not can(by, "record.restore"):
        raise DomainError("取り消した記録を復元できるのは管理者です。")
    check_version(record, expected_version)
    if record.voided_at is None:
        raise DomainError("この記録は取り消されていません。")
    if (record.void_reason or "").startswith("相談先 #") and "に統合" in (record.void_reason or ""):
        raise DomainError("統合で取り消された相談先は、監査ログの統合の記録から元に戻してください。")
    along = _voided_along(record)
    _unmark(record, by, reason)
    for other in along:
        _unmark(other, by, f"{kind_label(record)}の復元に伴う復元（{reason}）")
    return along


def _voided_along(record) -> list:
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "void", AuditEntry.object_type == type(record).__name__,
        AuditEntry.object_id == record.id).order_by(AuditEntry.id.desc()).limit(1))
    out = []
    for key in ((entry.detail or {}).get("along") or []) if entry is not None else []:
        object_type, _, object_id = key.partition(":")
        model = model_of(object_type)
        other = db.session.get(model, int(object_id)) if model is not None else None
        if other is not None and other.voided_at is not None and "の取消に伴う取消" in (other.void_reason or ""):
            out.append(other)
    return out


def _unmark(record, by: User, reason: str) -> None:
    detail = {"reason": reason, "void_reason": record.void_reason,
              "voided_at": record.voided_at.isoformat(timespec="seconds") if record.voided_at else None}
    record.voided_at = record.voided_by_id = record.void_reason = None
    if is_confidential(record):
        detail["confidential"] = True
    audit.record("restore", record, user=by, center_id=center_id_of(record), detail=detail)
