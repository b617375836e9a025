"""What a client page shows: the client's cases and consultations across the centers the
viewer may see."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import and_visible
from ..extensions import db
from ..models import Case, Client, Consultation, User
from . import audit


def client_overview(user: User, client: Client, consultation_limit: int = 50) -> dict:
    cases = list(db.session.scalars(
        select(Case).where(Case.client_id == client.id, and_visible(Case, user))
        .options(selectinload(Case.center), selectinload(Case.assignee))
        .order_by(Case.opened_on.desc(), Case.id.desc())))
    consultations = list(db.session.scalars(
        select(Consultation).where(Consultation.client_id == client.id, and_visible(Consultation, user))
        .options(selectinload(Consultation.center), selectinload(Consultation.staff),
                 selectinload(Consultation.channel))
        .order_by(Consultation.held_on.desc(), Consultation.id.desc()).limit(consultation_limit)))
    if any(c.center.confidential for c in cases):
        audit.record("view", client, user=user, detail={"confidential_cases": [c.id for c in cases if c.center.confidential]})
    return {"cases": cases, "consultations": consultations}
