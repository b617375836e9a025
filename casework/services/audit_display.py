"""The audit log as an administrator reads it: each entry's record as a link to its page, and its
detail as Japanese lines — field labels, before → after, ids shown as names.

Field labels come from the forms (the label a user saw when changing the field), with a few
names that only the audit detail uses; ids of staff, centers and clients are shown by name.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Center, Client, User
from .labels import METHODS, PEOPLE, field_label, value_labels

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
        self.codes = value_labels() if entries else {}

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
        if isinstance(value, str) and value in self.codes.get(key, {}):
            return self.codes[key][value]
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
            label = field_label(key, entry.object_type)
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
