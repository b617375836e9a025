"""Registrations in a program on one side for a period (受発注: 発注登録 / 受注登録)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import Registration, User
from .errors import DomainError
from .program_records import add_record, change_record, not_future, record_list_query, strip, void_program_record
from .programs import check_program, check_term


@dataclass
class RegistrationData:
    program_id: int | None
    side_id: int | None
    client_id: int
    registered_on: dt.date
    ended_on: dt.date | None = None
    notes: str | None = None

    def cleaned(self, by: User | None) -> dict:
        program = check_program(by, self.program_id)
        side = check_term(program, self.side_id, "side", "side_id", required=True)
        not_future(self.registered_on, "登録日", "registered_on", by)
        if self.ended_on is not None and self.ended_on < self.registered_on:
            raise DomainError("登録終了日が登録日より前です。", "ended_on")
        return {"program_id": program.id, "center_id": program.center_id, "side_id": side.id,
                "client_id": self.client_id, "registered_on": self.registered_on, "ended_on": self.ended_on,
                "notes": strip(self.notes)}


def _duplicate(values: dict, exclude_id: int | None = None) -> None:
    """One live registration per client, program and side at a time."""
    stmt = select(Registration.id).where(
        Registration.client_id == values["client_id"], Registration.program_id == values["program_id"],
        Registration.side_id == values["side_id"], Registration.voided_at.is_(None),
        or_(Registration.ended_on.is_(None), Registration.ended_on >= values["registered_on"]))
    if values["ended_on"] is not None:
        stmt = stmt.where(Registration.registered_on <= values["ended_on"])
    if exclude_id is not None:
        stmt = stmt.where(Registration.id != exclude_id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise DomainError("この相談先は同じ期間にこの区分で既に登録されています。", "client_id")


def register(data: RegistrationData, by: User | None = None, ref: str | None = None) -> Registration:
    values = data.cleaned(by)
    _duplicate(values)
    return add_record(Registration, values, by=by, ref=ref,
                      detail={"client_id": data.client_id, "program_id": values["program_id"]})


def update_registration(registration: Registration, data: RegistrationData, *, expected_version: int | None,
                        by: User | None = None) -> Registration:
    values = data.cleaned(by)
    _duplicate(values, exclude_id=registration.id)
    return change_record(registration, values, expected_version=expected_version, by=by)


void_registration = void_program_record


def registration_list_query(user: User, *, program_id=None, side_id=None, q=None, registered_from=None,
                            registered_to=None, active_on: dt.date | None = None):
    stmt = record_list_query(Registration, user, dated="registered_on", date_from=registered_from, date_to=registered_to,
                             q=q, load=("client", "program", "side"), program_id=program_id, side_id=side_id)
    if active_on:
        stmt = stmt.where(and_(Registration.registered_on <= active_on,
                               or_(Registration.ended_on.is_(None), Registration.ended_on > active_on)))
    return stmt
