"""Merging two records of one company (重複の統合): every record of the duplicate moves to the
survivor in one transaction, the duplicate is voided ("統合済み"), and the audit entry keeps
what moved so that the merge can be undone from it.

Counts stay the same except that the company now counts once where distinct clients are
counted: the moved records are touched (updated_at, version), so the stored monthly tallies see
the change (services/tallies.fingerprint) and open edit pages answer 409 instead of writing.

Who: the permission client.merge (admins; managers within their centers: both clients and
every record that moves must be in centers the manager sees, otherwise an administrator does it).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from ..access import visible_center_ids
from ..extensions import db
from ..models import AuditEntry, Client, User, utcnow
from ..permissions import can
from . import audit
from .errors import DomainError

# Fields of the survivor filled from the duplicate when the survivor has none.
FILLABLE = ("name_kana", "corporate_number", "industry_code", "municipality_code", "address", "employees",
            "representative", "contact_name", "contact_phone", "contact_email")

# What the records that move are called on screen (tables with a foreign key to clients).
TABLE_LABELS = {
    "cases": "案件", "consultations": "相談記録", "dispatches": "専門家派遣", "dispatch_visits": "派遣の訪問",
    "follow_ups": "フォローアップ", "referrals": "紹介", "grants": "助成金", "registrations": "登録企業",
    "introductions": "あっせん紹介", "event_attendances": "催しの参加企業", "case_milestones": "案件の到達段階",
    "diagnoses": "事業承継診断",
}


def client_columns() -> list:
    """Every column that points at a client, from the schema itself (a new record kind is merged too)."""
    return [fk.parent for table in db.metadata.sorted_tables for fk in table.foreign_keys
            if fk.column.table.name == Client.__tablename__ and table.name != Client.__tablename__]


@dataclass
class Moving:
    table: str
    column: str
    label: str
    ids: list[int]


def records_of(client: Client) -> list[Moving]:
    """Every record of this client, by kind (voided ones too: they move so that undo is exact)."""
    moving = []
    for column in client_columns():
        ids = list(db.session.scalars(select(column.table.c.id).where(column == client.id).order_by(column.table.c.id)))
        if ids:
            moving.append(Moving(column.table.name, column.name, TABLE_LABELS.get(column.table.name, column.table.name), ids))
    return moving


def check_may_merge(by: User, survivor: Client, duplicate: Client) -> list[Moving]:
    if not can(by, "client.merge"):
        raise DomainError("相談先を統合できるのは管理者と統括責任者です。")
    if survivor.id == duplicate.id:
        raise DomainError("同じ相談先どうしは統合できません。", "duplicate_id")
    if survivor.voided_at is not None or duplicate.voided_at is not None:
        raise DomainError("取り消された相談先は統合できません。", "duplicate_id")
    moving = records_of(duplicate)
    if any(_outside_centers(by, m.table, m.ids) for m in moving):
        raise DomainError("統合する相談先に、あなたの所属外のセンターの記録があります。"
                          "管理者に統合を依頼してください。", "duplicate_id")
    return moving


def _outside_centers(by: User, table_name: str, ids: list[int]) -> bool:
    """Whether some of these records are in centers `by` does not see (admins see all)."""
    centers = visible_center_ids(by)
    table = db.metadata.tables[table_name]
    if centers is None or "center_id" not in table.c:
        return False
    used = set(db.session.scalars(select(table.c.center_id).where(table.c.id.in_(ids)).distinct()))
    return not used <= centers


def merge_clients(survivor: Client, duplicate: Client, *, reason: str, by: User) -> AuditEntry:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("統合の理由を入力してください。", "reason")
    moving = check_may_merge(by, survivor, duplicate)
    now = utcnow()
    for m in moving:
        _move(m, to_client_id=survivor.id, now=now)
    db.session.expire_all()  # the moved rows were changed in SQL, past the session's objects
    filled = {}
    for name in FILLABLE:
        if getattr(survivor, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            filled[name] = [None, getattr(duplicate, name)]
            setattr(survivor, name, getattr(duplicate, name))
    duplicate.voided_at, duplicate.voided_by_id = now, by.id
    duplicate.void_reason = f"相談先 #{survivor.id}（{survivor.name}）に統合: {reason}"
    survivor.updated_at = now
    db.session.flush()
    return audit.record("merge", survivor, user=by, detail={
        "duplicate_id": duplicate.id, "duplicate_name": duplicate.name, "reason": reason,
        "moved": {f"{m.table}.{m.column}": m.ids for m in moving}, "filled": filled or None})


def undo_merge(entry: AuditEntry, *, reason: str, by: User) -> AuditEntry:
    """Move the records back to the duplicate, un-void it and empty what the merge filled in."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("元に戻す理由を入力してください。", "reason")
    if entry.action != "merge" or not isinstance(entry.detail, dict):
        raise DomainError("統合の記録ではありません。")
    if not can(by, "client.merge"):
        raise DomainError("統合を元に戻せるのは管理者と統括責任者です。")
    if merge_undone(entry.id):
        raise DomainError("この統合は既に元に戻されています。")
    survivor = db.session.get(Client, entry.object_id)
    duplicate = db.session.get(Client, entry.detail["duplicate_id"])
    if survivor is None or duplicate is None:
        raise DomainError("統合した相談先が見つかりません。")
    now = utcnow()
    moved = [(key.split("."), ids) for key, ids in (entry.detail.get("moved") or {}).items()]
    if any(_outside_centers(by, table_name, ids) for (table_name, _column), ids in moved):
        raise DomainError("元に戻す記録に、あなたの所属外のセンターの記録があります。管理者に依頼してください。")
    for (table_name, column_name), ids in moved:
        _move(Moving(table_name, column_name, "", ids), to_client_id=duplicate.id, now=now, only_from=survivor.id)
    db.session.expire_all()  # the moved rows were changed in SQL, past the session's objects
    for name, (before, after) in (entry.detail.get("filled") or {}).items():
        if getattr(survivor, name) == after:
            setattr(survivor, name, before)
    duplicate.voided_at = duplicate.voided_by_id = duplicate.void_reason = None
    survivor.updated_at = duplicate.updated_at = now
    db.session.flush()
    return audit.record("unmerge", survivor, user=by, detail={
        "merge_entry_id": entry.id, "duplicate_id": duplicate.id, "reason": reason})


def merge_undone(entry_id: int) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "unmerge", AuditEntry.object_type == "Client",
        AuditEntry.detail["merge_entry_id"].as_integer() == entry_id)))


def _move(m: Moving, *, to_client_id: int, now, only_from: int | None = None) -> None:
    table = db.metadata.tables[m.table]
    column = table.c[m.column]
    values = {m.column: to_client_id}
    if "updated_at" in table.c:
        values["updated_at"] = now
    if "version" in table.c:
        values["version"] = table.c.version + 1
    stmt = update(table).where(table.c.id.in_(m.ids))
    if only_from is not None:
        stmt = stmt.where(column == only_from)
    db.session.execute(stmt.values(**values))
