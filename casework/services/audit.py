"""Audit entries, written in the same transaction as the action they record.

The log is append-only from the app's point of view: the ORM refuses to UPDATE or DELETE an
AuditEntry (see _refuse_change below), and no screen or command offers to.
"""
from __future__ import annotations

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import AuditEntry

ACTIONS = {
    "view": "閲覧", "create": "登録", "change": "変更", "void": "取消", "close": "終了", "reopen": "再開",
    "export": "出力", "login": "ログイン", "login_failed": "ログイン失敗", "logout": "ログアウト",
    "password_change": "パスワード変更", "denied": "アクセス拒否", "stage": "段階の変更", "approve": "承認",
    "decide": "決定", "complete": "完了", "report_received": "報告書の受領", "import": "取込",
    "tally_snapshot": "月次集計の保存", "merge": "統合", "unmerge": "統合の取消", "restore": "復元",
    "confirm_anonymous": "匿名化の確認", "download": "ダウンロード", "book": "予約", "cancel": "予約の取消",
    "feed_issue": "カレンダー配信URLの発行", "feed_revoke": "カレンダー配信URLの停止",
}

# What an entry's object_type (the model's class name) is called on screen.
OBJECT_TYPES = {
    "Client": "相談先", "Case": "案件", "Consultation": "相談記録", "Event": "相談会・セミナー",
    "Dispatch": "専門家派遣", "DispatchVisit": "派遣の訪問", "Expert": "専門家", "Diagnosis": "事業承継診断",
    "MatchProfile": "譲渡・譲受希望", "Deal": "ディール", "Founding": "創業", "Grant": "助成金",
    "FollowUp": "フォローアップ", "Referral": "紹介", "User": "職員", "Center": "センター",
    "TallySnapshot": "月次集計", "Notification": "通知",
    "Program": "事業", "ProgramTerm": "事業の語彙", "Registration": "登録企業", "Introduction": "あっせん紹介",
    "EventAttendance": "催しの参加企業", "CaseMilestone": "案件の到達段階",
    "ApiToken": "API トークン", "ReportSection": "報告書の事業（表）", "ReportRow": "報告書の行", "ReportOpeningBalance": "累計の開始残高",
    "Attachment": "添付書類", "OutreachDay": "出張相談会", "OutreachSlot": "出張相談会の枠", "CalendarFeed": "カレンダー配信",
}


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


def record(action: str, obj=None, *, user=None, detail: dict | None = None, login: str | None = None,
           center_id: int | None = None, object_type: str | None = None, object_id: int | None = None) -> AuditEntry:
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    entry = AuditEntry(
        action=action,
        user_id=getattr(user, "id", None),
        login=login or getattr(user, "login", None),
        object_type=object_type or (type(obj).__name__ if obj is not None else None),
        object_id=object_id if object_id is not None else getattr(obj, "id", None),
        center_id=center_id if center_id is not None else getattr(obj, "center_id", None),
        detail=detail,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    if has_request_context():
        g.setdefault("audit_recorded", set()).add((action, entry.object_type, entry.object_id))
    return entry


def note_view(obj, center_id: int | None = None, detail: dict | None = None, user=None) -> None:
    """Remember that this request showed a confidential record (or, with obj None, a page of
    them: `detail` says which); the unit of work writes one 'view' entry per record once the
    response is a success, in its own write transaction (casework/unit_of_work.py). Outside a
    request the entry is added to the session at once."""
    if not has_request_context():
        record("view", obj, user=user, center_id=center_id, detail=detail)
        return
    g.setdefault("audit_views", []).append(
        (type(obj).__name__ if obj is not None else None, getattr(obj, "id", None),
         center_id if center_id is not None else getattr(obj, "center_id", None), detail))


def note(action: str, obj=None, *, always: bool = False, user=None, center_id: int | None = None,
         detail: dict | None = None, login: str | None = None) -> None:
    """Remember an audit entry for a request that reads (an export, a download, a refused
    login): written by the unit of work after the response, like note_view. `always`: written
    whatever the answer (a throttled login answers 429); otherwise only for a success. Outside a
    request (a CLI command, a job) the entry is added to the session at once, and the command's
    unit of work commits it."""
    if not has_request_context():
        record(action, obj, user=user, center_id=center_id, detail=detail, login=login)
        return
    g.setdefault("audit_notes", []).append((always, action, {
        "object_type": type(obj).__name__ if obj is not None else None, "object_id": getattr(obj, "id", None),
        "center_id": center_id if center_id is not None else getattr(obj, "center_id", None),
        "detail": detail, "login": login, "user": user}))


def note_denied(object_type: str, object_id) -> None:
    """Remember that casework.access refused a record; the 404/403 handler records 'denied'."""
    if has_request_context():
        g.audit_denied = (object_type, object_id)


def pending_entries(status: int) -> list[tuple[str, dict]]:
    """The audit notes this request took, as (action, record() keywords), for the unit of work
    to write once the response is known (casework/unit_of_work.py): confidential records shown
    by a successful response, exports it delivered, and a refused access by a logged-in user."""
    if not has_request_context():
        return []
    views = g.pop("audit_views", None) or []
    notes = g.pop("audit_notes", None) or []
    denied = g.pop("audit_denied", None)
    if not views and not notes and denied is None and status != 403:
        return []  # nothing noted: the user (expired by the request's commit) is not loaded again
    entries = [(action, kwargs) for always, action, kwargs in notes if always or status < 400]
    if not (current_user and current_user.is_authenticated):
        return entries
    if status < 400:
        recorded = g.get("audit_recorded", set())
        shown: dict = {}  # one entry per record shown, whoever noted it; a page of records is one entry
        for n, (obj_type, obj_id, center_id, detail) in enumerate(views):
            if ("view", obj_type, obj_id) in recorded:
                continue
            key = (obj_type, obj_id) if obj_type is not None else n
            kwargs = shown.setdefault(key, {"object_type": obj_type, "object_id": obj_id, "center_id": center_id,
                                            "detail": {"path": request.path}})
            kwargs["center_id"] = kwargs["center_id"] if kwargs["center_id"] is not None else center_id
            kwargs["detail"].update(detail or {})
        entries += [("view", kwargs) for kwargs in shown.values()]
    elif status in (403, 404) and (denied is not None or status == 403):  # an unknown URL is not a decision
        object_type, object_id = denied or (None, None)
        entries.append(("denied", {"object_type": object_type,
                                   "object_id": object_id if isinstance(object_id, int) else None,
                                   "detail": {"path": request.path, "method": request.method, "status": status}}))
    return entries


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


# --- append-only guard ------------------------------------------------------------------------

@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, target):
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state):
    """Bulk `update(AuditEntry)` / `delete(AuditEntry)` statements through the ORM session."""
    if (state.is_update or state.is_delete) and getattr(getattr(state.statement, "table", None), "name", None) == AuditEntry.__tablename__:
        raise AuditLogIsAppendOnly("the audit log is append-only")


# --- search (admin page) ------------------------------------------------------------------------

def search_query(*, user_id: int | None = None, action: str | None = None, object_type: str | None = None,
                 object_id: int | None = None, date_from=None, date_to=None, login: str | None = None):
    """Audit entries matching the filters, newest first. Dates are Japan dates (inclusive)."""
    import datetime as dt

    from sqlalchemy import select

    from ..dates import JST
    from .filters import where_equal

    def utc(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), JST).astimezone(dt.timezone.utc).replace(tzinfo=None)

    stmt = where_equal(select(AuditEntry), (AuditEntry.user_id, user_id), (AuditEntry.login, login),
                       (AuditEntry.action, action), (AuditEntry.object_type, object_type),
                       (AuditEntry.object_id, object_id))
    if date_from:
        stmt = stmt.where(AuditEntry.at >= utc(date_from))
    if date_to:
        stmt = stmt.where(AuditEntry.at < utc(date_to + dt.timedelta(days=1)))
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
