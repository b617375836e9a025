"""/api/v1/consultations, /events, /follow-ups: the web's services and visibility.
(Dispatches and their visits: casework/api/dispatches.py.)"""
from __future__ import annotations

from flask_login import current_user

from ..access import get_client_or_404
from ..dates import today_jst
from ..models import Consultation, Event, FollowUp
from ..services import consultations as consultation_service
from ..services import events as event_service
from ..services import followups as followup_service
from .common import merged
from .helpers import center_or_422, colleague_or_422
from .resource import Resource
from .schemas import (
    CompleteIn, ConsultationArgs, ConsultationIn, ConsultationOut, ConsultationPatch, EventArgs, EventIn, EventOut,
    EventPatch, FollowUpArgs, FollowUpIn, FollowUpOut, VoidIn, VoidOut,
)

consultation_resource = Resource("consultation", "consultations", "consultations", Consultation, ConsultationOut,
                                 description="相談記録")
event_resource = Resource("event", "events", "events", Event, EventOut, description="相談会・セミナー")
followup_resource = Resource("followup", "followups", "follow-ups", FollowUp, FollowUpOut, description="フォローアップ",
                             title="FollowUp")
consultations, events, followups = consultation_resource.blp, event_resource.blp, followup_resource.blp


# --- consultations -----------------------------------------------------------------------------

CONSULTATION_FIELDS = [n for n in ConsultationPatch().fields if n not in ("version", "theme_codes")]


def _consultation_list(client_id=None, case_id=None, center_id=None, held_from=None, held_to=None):
    f = consultation_service.ConsultationFilter(center_id=center_id, held_from=held_from, held_to=held_to)
    stmt = consultation_service.consultation_list_query(current_user, f)
    if client_id is not None:
        stmt = stmt.where(Consultation.client_id == client_id)
    return stmt if case_id is None else stmt.where(Consultation.case_id == case_id)


def _log_consultation(body):
    client = get_client_or_404(current_user, body.pop("client_id"))
    center_or_422(body.get("center_id"))
    body["staff_id"] = colleague_or_422(current_user, body.get("staff_id"), "staff_id")
    data = consultation_service.ConsultationData(**{**body, "theme_codes": body.get("theme_codes") or []})
    return consultation_service.log_consultation(client, data, by=current_user)


def _update_consultation(consultation, body, version):
    values = merged(consultation, body, CONSULTATION_FIELDS)
    values["theme_codes"] = body.get("theme_codes", [t.code for t in consultation.themes]) or []
    values["staff_id"] = colleague_or_422(current_user, values["staff_id"], "staff_id", consultation.staff_id)
    center_or_422(values.get("center_id"))
    consultation_service.update_consultation(consultation, consultation_service.ConsultationData(**values),
                                             expected_version=version, by=current_user)


consultation_resource.lists(ConsultationArgs, _consultation_list, "相談記録の一覧（所属センターの記録、id の昇順）")
consultation_resource.creates(ConsultationIn, _log_consultation,
                              "相談を記録する（案件を省くと、その日に開いている案件に入るか新しい案件が開く）")
consultation_resource.reads("相談記録")
consultation_resource.patches(ConsultationPatch(partial=True), _update_consultation,
                              "相談記録を更新する（If-Match か version が必要）")
consultation_resource.voids(consultation_service.void_consultation, VoidIn, VoidOut, "相談記録")


# --- events ------------------------------------------------------------------------------------

EVENT_FIELDS = list(EventIn().fields)


def _update_event(event, body, version):
    values = merged(event, body, EVENT_FIELDS)
    center_or_422(values["center_id"])
    event_service.update_event(event, event_service.EventData(**values), expected_version=version, by=current_user)


def _create_event(body):
    center_or_422(body["center_id"])
    return event_service.create_event(event_service.EventData(**body), by=current_user)


event_resource.lists(EventArgs, lambda **f: event_service.event_list_query(current_user, **f),
                     "相談会・セミナーの一覧（id の昇順）")
event_resource.creates(EventIn, _create_event, "相談会・セミナーを登録する")
event_resource.reads("相談会・セミナー")
event_resource.patches(EventPatch(partial=True), _update_event, "相談会・セミナーを更新する（If-Match か version が必要）")
event_resource.voids(event_service.void_event, VoidIn, VoidOut, "相談会・セミナー")


# --- follow-ups --------------------------------------------------------------------------------

def _complete_followup(followup, values, version):
    findings = followup_service.Findings(**{**values, "completed_on": values.get("completed_on") or today_jst()})
    followup_service.complete_followup(followup, findings, expected_version=version, by=current_user)


followup_resource.lists(FollowUpArgs, lambda scope="all", status="all": followup_service.followup_list_query(
    current_user, followup_service.FollowUpFilter(scope=scope, status=status)), "フォローアップの一覧（id の昇順）")
followup_resource.creates(FollowUpIn, lambda body: followup_service.create_followup(
    followup_service.FollowUpData(**body), by=current_user), "フォローアップを登録する")
followup_resource.reads("フォローアップ")
followup_resource.action("/complete", "complete_followup", CompleteIn, _complete_followup,
                         "フォローアップの結果を記録して完了にする（If-Match か version が必要）")
followup_resource.voids(followup_service.void_followup, VoidIn, VoidOut, "フォローアップ")
