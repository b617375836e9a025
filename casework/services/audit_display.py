"""The audit log as an administrator reads it: each entry's record as a link to its page, and its
detail as Japanese lines — field labels, before → after, ids shown as names.

Field labels come from the forms (the label a user saw when changing the field), with a few
names that only the audit detail uses; ids of staff, centers and clients are shown by name.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import current_app, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Center, Client, User

# The page of each kind of record (one int argument each); kinds without a page show no link.
OBJECT_PAGES = {
    "Client": "clients.detail", "Case": "cases.detail", "Consultation": "consultations.edit",
    "Event": "events.detail", "Dispatch": "dispatch.detail", "Expert": "dispatch.expert_form",
    "MatchProfile": "succession.profile", "Deal": "succession.deal", "FollowUp": "followups.detail",
    "Grant": "grants.detail", "Introduction": "introductions.detail", "Registration": "registrations.detail",
    "CaseMilestone": "milestones.edit", "EventAttendance": "events.edit_attendance", "User": "admin.user_edit",
    "Center": "admin.center_form", "Program": "programs.detail", "ProgramTerm": "programs.edit_term",
    "ReportSection": "reportdefs.section_edit", "ReportRow": "reportdefs.row_edit",
}

# Names only the audit detail uses (the forms name the rest).
DETAIL_LABELS = {
    "path": "画面", "method": "操作", "status": "応答", "reason": "理由", "before": "変更前", "after": "変更後",
    "client_id": "相談先", "case_id": "案件", "dispatch_id": "派遣", "event_id": "催し", "expert_id": "専門家",
    "program_id": "事業", "program": "事業", "center_id": "センター", "centers": "センター", "staff_id": "担当職員",
    "assignee_id": "担当者", "user_id": "職員", "login": "ログインID", "role": "役割", "active": "有効",
    "name": "名称", "label": "表示名", "code": "コード", "title": "件名", "month": "月", "rows": "行数",
    "file": "ファイル", "kind": "種類", "source": "出所", "auto": "自動", "from": "変更前", "to": "変更後",
    "on": "日付", "note": "メモ", "outcome": "結果", "side": "区分", "seller": "譲渡側", "buyer": "譲受側",
    "section": "報告書の事業", "sort_order": "表示順", "fee": "謝金", "company_share": "企業負担",
    "received_on": "受領日", "closed_on": "終了日", "email_notifications": "メール通知", "milestone_id": "到達段階",
    "corporate_number": "法人番号", "business_name": "屋号", "records": "記録", "count": "件数",
    "format": "形式", "fy": "年度", "view": "表示", "decision": "決定", "decided_on": "決定日", "amount": "金額",
    "version": "版", "stage": "段階", "stage_on": "段階の日付",
}
PEOPLE = {"staff_id", "assignee_id", "user_id", "requested_by_id", "decided_by_id", "created_by_id", "voided_by_id"}
METHODS = {"GET": "表示", "POST": "送信"}


@dataclass
class DetailLine:
    label: str
    value: str = ""
    before: str | None = None
    after: str | None = None
    link: str | None = None

    @property
    def changed(self) -> bool:
        return self.before is not None or self.after is not None


@cache
def _form_labels() -> dict[str, str]:
    """field name → the label its form shows, from every form class of the app."""
    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    from .. import blueprints  # noqa: F401  (the forms are imported with the app's blueprints)

    labels: dict[str, str] = {}
    todo = list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        for name, field in vars(form).items():
            if isinstance(field, UnboundField):
                label = field.args[0] if field.args else field.kwargs.get("label")
                if isinstance(label, str) and label and name not in labels:
                    labels[name] = label
    return labels


def field_label(name: str) -> str:
    return DETAIL_LABELS.get(name) or _form_labels().get(name) or _form_labels().get(name.removesuffix("_id")) or name


def record_url(object_type: str | None, object_id) -> str | None:
    endpoint = OBJECT_PAGES.get(object_type or "")
    if endpoint is None or not isinstance(object_id, int) or endpoint not in current_app.view_functions:
        return None
    [rule] = current_app.url_map._rules_by_endpoint[endpoint][:1]
    [argument] = list(rule.arguments) or [None]
    return url_for(endpoint, **{argument: object_id}) if argument else None


class _Names:
    """Names of the staff, centers and clients a page of entries mentions, read in three queries."""

    def __init__(self, entries):
        ids = {"user": set(), "center": set(), "client": set()}
        for entry in entries:
            for key, value in (entry.detail or {}).items() if isinstance(entry.detail, dict) else ():
                for v in (value if isinstance(value, list) else [value]):
                    if isinstance(v, int) and not isinstance(v, bool):
                        kind = self.kind(key)
                        if kind:
                            ids[kind].add(v)
        self.users = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids["user"] or [-1]))).all())
        self.centers = dict(db.session.execute(select(Center.id, Center.name).where(Center.id.in_(ids["center"] or [-1]))).all())
        self.clients = dict(db.session.execute(select(Client.id, Client.name).where(Client.id.in_(ids["client"] or [-1]))).all())

    @staticmethod
    def kind(key: str) -> str | None:
        if key in PEOPLE:
            return "user"
        if key in ("center_id", "centers"):
            return "center"
        if key == "client_id":
            return "client"
        return None

    def show(self, key: str, value) -> str:
        if value is None or value == "" or value == []:
            return "（なし）"
        if isinstance(value, bool):
            return "はい" if value else "いいえ"
        if isinstance(value, list):
            return "・".join(self.show(key, v) for v in value)
        if isinstance(value, dict):
            return "、".join(f"{field_label(k)}: {self.show(k, v)}" for k, v in value.items())
        kind = self.kind(key)
        if kind and isinstance(value, int):
            name = {"user": self.users, "center": self.centers, "client": self.clients}[kind].get(value)
            return f"{name}（#{value}）" if name else f"#{value}"
        if key == "method":
            return METHODS.get(str(value), str(value))
        return str(value)


def describe(entries) -> dict[int, list[DetailLine]]:
    """entry id → its detail as lines; a changed field ([before, after]) shows before → after."""
    names = _Names(entries)
    shown: dict[int, list[DetailLine]] = {}
    for entry in entries:
        detail = entry.detail
        if not isinstance(detail, dict):
            shown[entry.id] = [DetailLine("内容", names.show("", detail))] if detail else []
            continue
        lines = []
        for key, value in detail.items():
            label = field_label(key)
            if entry.action in ("change", "decide", "stage") and isinstance(value, list) and len(value) == 2:
                lines.append(DetailLine(label, before=names.show(key, value[0]), after=names.show(key, value[1])))
            elif key in ("before", "after") and isinstance(value, dict):
                lines.append(DetailLine(label, names.show(key, value)))
            else:
                link = None
                if key == "client_id" and isinstance(value, int):
                    link = record_url("Client", value)
                elif key == "case_id" and isinstance(value, int):
                    link = record_url("Case", value)
                lines.append(DetailLine(label, names.show(key, value), link=link))
        shown[entry.id] = lines
    return shown
