"""Everything casework holds about one client, for disclosure requests (開示請求, APPI art. 33).

Admin only (the route checks); every export is audited as 'export'. Voided records are
included (they are still held), marked by their voided_at.
"""
from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import zipfile

from sqlalchemy import or_, select

from ..extensions import db
from ..models import (
    AuditEntry, Case, CaseStageChange, Client, Consultation, Deal, DealStep, Diagnosis, Dispatch, DispatchVisit,
    Event, FollowUp, Founding, Grant, MatchProfile, Referral, User,
)
from ..models import CaseMilestone, EventAttendance, Introduction, Registration
from . import audit
from .attachments import client_documents, document_path
from .labels import column_headers
from .spreadsheet import csv_text

SECRET_COLUMNS = {"search_text", "stored_name"}  # derived / where a file lies: not information about the client
# The record kind of each section, for its CSV's Japanese headers (services/labels.py).
SECTION_MODELS = {"client": "Client", "cases": "Case", "consultations": "Consultation", "events_attended": "Event",
                  "dispatches": "Dispatch", "dispatch_visits": "DispatchVisit", "diagnoses": "Diagnosis",
                  "match_profiles": "MatchProfile", "deals": "Deal", "audit_log": "AuditEntry", "documents": "Attachment"}


def client_export(client: Client, by: User | None = None) -> dict:
    """A JSON-ready dict: {section: [rows]} for the client and every record about it."""
    case_ids = list(db.session.scalars(select(Case.id).where(Case.client_id == client.id)))
    profiles = _rows(MatchProfile, MatchProfile.case_id.in_(case_ids))
    profile_ids = [p["id"] for p in profiles]
    deals = _rows(Deal, or_(Deal.seller_id.in_(profile_ids), Deal.buyer_id.in_(profile_ids)))
    consultations = _rows(Consultation, Consultation.client_id == client.id)
    event_ids = sorted({c["event_id"] for c in consultations if c["event_id"]})
    data = {
        "client": _row(client),
        "cases": _rows(Case, Case.client_id == client.id),
        "case_stage_changes": _rows(CaseStageChange, CaseStageChange.case_id.in_(case_ids)),
        "consultations": consultations,
        "events_attended": _rows(Event, Event.id.in_(event_ids)),
        "dispatches": _rows(Dispatch, Dispatch.client_id == client.id),
        "dispatch_visits": _rows(DispatchVisit, DispatchVisit.client_id == client.id),
        "diagnoses": _rows(Diagnosis, Diagnosis.client_id == client.id),
        "match_profiles": profiles,
        "deals": deals,
        "deal_steps": _rows(DealStep, DealStep.deal_id.in_([d["id"] for d in deals])),
        "foundings": _rows(Founding, Founding.case_id.in_(case_ids)),
        "grants": _rows(Grant, Grant.client_id == client.id),
        "follow_ups": _rows(FollowUp, FollowUp.client_id == client.id),
        "referrals": _rows(Referral, Referral.client_id == client.id),
        "registrations": _rows(Registration, Registration.client_id == client.id),
        "introductions": _rows(Introduction, or_(Introduction.buyer_client_id == client.id,
                                                 Introduction.supplier_client_id == client.id)),
        "case_milestones": _rows(CaseMilestone, CaseMilestone.client_id == client.id),
        "event_attendances": _rows(EventAttendance, EventAttendance.client_id == client.id),
        "attachments": [_row(a) for a, _path in client_documents(client)],  # the files go in the ZIP (to_zip)
    }
    about = [("Client", [client.id])] + [(name, [r["id"] for r in data[key]]) for name, key in (
        ("Case", "cases"), ("Consultation", "consultations"), ("Dispatch", "dispatches"),
        ("DispatchVisit", "dispatch_visits"), ("Diagnosis", "diagnoses"), ("MatchProfile", "match_profiles"),
        ("Deal", "deals"), ("Grant", "grants"), ("FollowUp", "follow_ups"), ("Referral", "referrals"),
        ("Registration", "registrations"), ("Introduction", "introductions"), ("CaseMilestone", "case_milestones"),
        ("EventAttendance", "event_attendances"), ("Attachment", "attachments"))]
    data["audit_log"] = _rows(AuditEntry, or_(*[
        (AuditEntry.object_type == name) & AuditEntry.object_id.in_(ids) for name, ids in about if ids]))
    audit.note("export", client, user=by, detail={"what": "client_data", "counts": {
        k: (len(v) if isinstance(v, list) else 1) for k, v in data.items()}})
    return {"exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "subject": {"client_id": client.id, "name": client.name}, "data": data}


def to_json(export: dict) -> bytes:
    return json.dumps(export, ensure_ascii=False, indent=2).encode("utf-8")


def to_zip(export: dict) -> bytes:
    """One UTF-8 (BOM, for Excel) CSV per section, plus the JSON itself. Cells are written by
    services/spreadsheet.py: text starting with = + - @ is escaped, never run as a formula."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for section, rows in export["data"].items():
            rows = [rows] if isinstance(rows, dict) else rows
            rows = [{k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in row.items()}
                    for row in rows]
            keys = list(rows[0]) if rows else []
            # Japanese headers (what the screens call each field); formula-safe cells (services/spreadsheet.py)
            headers = column_headers(keys, SECTION_MODELS.get(section))
            zf.writestr(f"{section}.csv", "\ufeff" + csv_text(headers, ([r.get(k) for k in keys] for r in rows)))
        zf.writestr("export.json", to_json(export))
        for row in export["data"].get("attachments", []):  # the documents themselves (voided ones too)
            path = document_path(row["id"])
            if path is not None and path.is_file():
                zf.write(path, f"documents/{row['id']}_{row['original_name']}")
    return buffer.getvalue()


def _rows(model, condition) -> list[dict]:
    return [_row(r) for r in db.session.scalars(select(model).where(condition).order_by(model.id))]


def _row(record) -> dict:
    return {c.key: _plain(getattr(record, c.key)) for c in record.__mapper__.column_attrs if c.key not in SECRET_COLUMNS}


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def find_subjects(q: str):
    """Clients whose name, kana, representative, contact person or e-mail contains q."""
    from ..textnorm import fold

    if not q:
        return select(Client).where(False)
    return select(Client).where(or_(
        Client.name.contains(q, autoescape=True), Client.name_kana.contains(q, autoescape=True),
        Client.search_text.contains(fold(q), autoescape=True), Client.representative.contains(q, autoescape=True),
        Client.contact_name.contains(q, autoescape=True), Client.contact_email.contains(q, autoescape=True),
    )).order_by(Client.name, Client.id)
