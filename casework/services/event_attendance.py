"""Who attended an event (商談会, 展示会) on which side, with meetings (商談件数), deals (成約件数)
and amount, and the part of each within the prefecture (うち県内)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Event, EventAttendance, User
from .errors import DomainError
from .program_records import add_record, change_record, live_records, non_negative, strip, void_program_record
from .programs import check_term, get_program

COUNTS = [("meetings", "商談件数"), ("deals", "成約件数"), ("amount", "成約金額")]


@dataclass
class AttendanceData:
    side_id: int | None = None
    client_id: int | None = None
    company_name: str | None = None
    companies: int | None = None
    companies_in_prefecture: int | None = None
    in_prefecture: bool = False  # one company in the prefecture: its figures are all うち県内
    meetings: int | None = None
    meetings_in_prefecture: int | None = None
    deals: int | None = None
    deals_in_prefecture: int | None = None
    amount: int | None = None
    amount_in_prefecture: int | None = None
    quote_requests: int | None = None
    notes: str | None = None

    def cleaned(self, event: Event) -> dict:
        program = get_program(event.program_id)
        side = check_term(program, self.side_id, "side", "side_id") if program is not None and self.side_id else None
        if self.side_id and side is None:
            raise DomainError("この催しの事業の区分から選んでください。", "side_id")
        name = strip(self.company_name)
        companies = self.companies if self.companies is not None else 1
        if self.client_id is None and name is None and companies <= 1:
            raise DomainError("相談先か企業名を入力してください（複数社の合計なら社数も）。", "client_id")
        if (self.client_id is not None or name is not None) and companies != 1:
            raise DomainError("1社ごとの記録では社数は1です。合計の記録では相談先・企業名を空欄にしてください。",
                              "companies")
        values = {"side_id": side.id if side else None, "client_id": self.client_id, "company_name": name,
                  "companies": companies, "quote_requests": self.quote_requests, "notes": strip(self.notes)}
        non_negative(companies, "社数", "companies")
        non_negative(self.quote_requests, "見積依頼", "quote_requests")
        for key, label in [("companies", "社数"), *COUNTS]:
            total = companies if key == "companies" else getattr(self, key)
            part = getattr(self, f"{key}_in_prefecture")
            non_negative(total, label, key)
            non_negative(part, f"{label}（うち県内）", f"{key}_in_prefecture")
            if self.in_prefecture and companies == 1:
                part = total
            if part is not None and total is not None and part > total:
                raise DomainError(f"うち県内の{label}が全体より多くなっています。", f"{key}_in_prefecture")
            if part is not None and total is None:
                raise DomainError(f"{label}（全体）を入力してください。", key)
            if key != "companies":
                values[key] = total
            values[f"{key}_in_prefecture"] = part
        if self.in_prefecture and companies == 1:
            values["companies_in_prefecture"] = 1
        elif companies == 1 and values["companies_in_prefecture"] is None:
            values["companies_in_prefecture"] = 0
        return values


def add_attendance(event: Event, data: AttendanceData, by: User | None = None, ref: str | None = None):
    if event is None or event.voided_at is not None:
        raise DomainError("催しが見つかりません。")
    return add_record(EventAttendance, {"event_id": event.id, "center_id": event.center_id, **data.cleaned(event)},
                      by=by, ref=ref, detail={"event_id": event.id})


def update_attendance(row: EventAttendance, data: AttendanceData, *, expected_version: int | None,
                      by: User | None = None):
    return change_record(row, data.cleaned(row.event), expected_version=expected_version, by=by)


void_attendance = void_program_record


def attendances_of(event: Event) -> list[EventAttendance]:
    return live_records(EventAttendance, event_id=event.id, load=("side", "client"), order_by=("side_id", "id"))


def totals_by_side(event: Event) -> list[dict]:
    """Per side: 社数, 商談件数, 成約件数, 成約金額 and their うち県内 (the report's 商談会 table)."""
    cols = ["companies", "companies_in_prefecture", "meetings", "meetings_in_prefecture", "deals",
            "deals_in_prefecture", "amount", "amount_in_prefecture", "quote_requests"]
    rows = db.session.execute(
        select(EventAttendance.side_id, *[func.sum(getattr(EventAttendance, c)) for c in cols])
        .where(EventAttendance.event_id == event.id, EventAttendance.voided_at.is_(None))
        .group_by(EventAttendance.side_id)).all()
    from ..models import ProgramTerm

    out = []
    for side_id, *sums in rows:
        side = db.session.get(ProgramTerm, side_id) if side_id else None
        out.append({"side": side.label if side else "区分なし", "sort": (side.sort_order if side else 9999),
                    **dict(zip(cols, sums))})
    return sorted(out, key=lambda r: r["sort"])
