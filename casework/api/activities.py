"""/api/v1/consultations, /events, /dispatches, /follow-ups: the web's services and visibility."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint

from ..access import get_client_or_404, get_in_center_or_404
from ..dates import today_jst
from ..models import Consultation, Dispatch, Event, FollowUp
from ..permissions import blueprint_requires
from ..services import consultations as consultation_service
from ..services import dispatch as dispatch_service
from ..services import events as event_service
from ..services import followups as followup_service
from .clients import ETAG, IF_MATCH
from .common import PageArgs, edit, listed, merged, page_schema, service_errors, with_etag
from .helpers import center_or_422, colleague_or_422
from .schemas import (
    CompleteIn, ConsultationArgs, ConsultationIn, ConsultationOut, ConsultationPatch, DispatchArgs, DispatchIn,
    DispatchOut, EventArgs, EventIn, EventOut, EventPatch, FollowUpArgs, FollowUpIn, FollowUpOut,
)

consultations = Blueprint("api_consultations", __name__, url_prefix="/api/v1/consultations", description="相談記録")
events = Blueprint("api_events", __name__, url_prefix="/api/v1/events", description="相談会・セミナー")
dispatches = Blueprint("api_dispatches", __name__, url_prefix="/api/v1/dispatches", description="専門家派遣")
followups = Blueprint("api_followups", __name__, url_prefix="/api/v1/follow-ups", description="フォローアップ")
for _bp in (consultations, events, dispatches, followups):
    blueprint_requires(_bp, "api.use")


class ConsultationQuery(ConsultationArgs, PageArgs):
    pass


class EventQuery(EventArgs, PageArgs):
    pass


class DispatchQuery(DispatchArgs, PageArgs):
    pass


class FollowUpQuery(FollowUpArgs, PageArgs):
    pass


# --- consultations -----------------------------------------------------------------------------

CONSULTATION_FIELDS = [n for n in ConsultationPatch().fields if n != "version"]


@consultations.route("", methods=["GET"])
@consultations.arguments(ConsultationQuery, location="query", as_kwargs=True)
@consultations.response(200, page_schema(ConsultationOut, "ConsultationPage"))
def list_consultations(client_id=None, case_id=None, center_id=None, held_from=None, held_to=None, **page):
    """相談記録の一覧（所属センターの記録、id の昇順）"""
    f = consultation_service.ConsultationFilter(center_id=center_id, held_from=held_from, held_to=held_to)
    stmt = consultation_service.consultation_list_query(current_user, f)
    if client_id is not None:
        stmt = stmt.where(Consultation.client_id == client_id)
    if case_id is not None:
        stmt = stmt.where(Consultation.case_id == case_id)
    return listed(stmt, Consultation, page, "api_consultations.list_consultations")


@consultations.route("", methods=["POST"])
@consultations.arguments(ConsultationIn)
@consultations.response(201, ConsultationOut, headers=ETAG)
def create_consultation(body):
    """相談を記録する（案件を省くと、その日に開いている案件に入るか新しい案件が開く）"""
    client = get_client_or_404(current_user, body.pop("client_id"))
    center_or_422(body.get("center_id"))
    body["staff_id"] = colleague_or_422(current_user, body.get("staff_id"), "staff_id")
    data = consultation_service.ConsultationData(**{**body, "theme_codes": body.get("theme_codes") or []})
    with service_errors():
        consultation = consultation_service.log_consultation(client, data, by=current_user)
    return with_etag(consultation, 201,
                     url_for("api_consultations.get_consultation", consultation_id=consultation.id))


@consultations.route("/<int:consultation_id>", methods=["GET"])
@consultations.response(200, ConsultationOut, headers=ETAG)
def get_consultation(consultation_id):
    """相談記録"""
    return with_etag(get_in_center_or_404(current_user, Consultation, consultation_id))


@consultations.route("/<int:consultation_id>", methods=["PATCH"])
@consultations.arguments(ConsultationPatch(partial=True))
@consultations.response(200, ConsultationOut, headers=ETAG)
@consultations.doc(parameters=[IF_MATCH])
def update_consultation(body, consultation_id):
    """相談記録を更新する（If-Match か version が必要）"""
    consultation = get_in_center_or_404(current_user, Consultation, consultation_id)

    def change(body, version):
        values = merged(consultation, body, [n for n in CONSULTATION_FIELDS if n != "theme_codes"])
        values["theme_codes"] = body.get("theme_codes", [t.code for t in consultation.themes]) or []
        values["staff_id"] = colleague_or_422(current_user, values["staff_id"], "staff_id", consultation.staff_id)
        center_or_422(values.get("center_id"))
        consultation_service.update_consultation(consultation, consultation_service.ConsultationData(**values),
                                                 expected_version=version, by=current_user)

    return edit(consultation, body, change)


# --- events ------------------------------------------------------------------------------------

EVENT_FIELDS = [n for n in EventIn().fields]


@events.route("", methods=["GET"])
@events.arguments(EventQuery, location="query", as_kwargs=True)
@events.response(200, page_schema(EventOut, "EventPage"))
def list_events(center_id=None, kind_code=None, held_from=None, held_to=None, **page):
    """相談会・セミナーの一覧（id の昇順）"""
    stmt = event_service.event_list_query(current_user, center_id=center_id, kind_code=kind_code,
                                          held_from=held_from, held_to=held_to)
    return listed(stmt, Event, page, "api_events.list_events")


@events.route("", methods=["POST"])
@events.arguments(EventIn)
@events.response(201, EventOut, headers=ETAG)
def create_event(body):
    """相談会・セミナーを登録する"""
    center_or_422(body["center_id"])
    with service_errors():
        event = event_service.create_event(event_service.EventData(**body), by=current_user)
    return with_etag(event, 201, url_for("api_events.get_event", event_id=event.id))


@events.route("/<int:event_id>", methods=["GET"])
@events.response(200, EventOut, headers=ETAG)
def get_event(event_id):
    """相談会・セミナー"""
    return with_etag(get_in_center_or_404(current_user, Event, event_id))


@events.route("/<int:event_id>", methods=["PATCH"])
@events.arguments(EventPatch(partial=True))
@events.response(200, EventOut, headers=ETAG)
@events.doc(parameters=[IF_MATCH])
def update_event(body, event_id):
    """相談会・セミナーを更新する（If-Match か version が必要）"""
    event = get_in_center_or_404(current_user, Event, event_id)

    def change(body, version):
        values = merged(event, body, EVENT_FIELDS)
        center_or_422(values["center_id"])
        event_service.update_event(event, event_service.EventData(**values), expected_version=version, by=current_user)

    return edit(event, body, change)


# --- dispatches --------------------------------------------------------------------------------

@dispatches.route("", methods=["GET"])
@dispatches.arguments(DispatchQuery, location="query", as_kwargs=True)
@dispatches.response(200, page_schema(DispatchOut, "DispatchPage"))
def list_dispatches(center_id=None, status=None, **page):
    """専門家派遣の一覧（id の昇順）"""
    stmt = dispatch_service.dispatch_list_query(current_user, dispatch_service.DispatchFilter(
        center_id=center_id, status=status))
    return listed(stmt, Dispatch, page, "api_dispatches.list_dispatches")


@dispatches.route("", methods=["POST"])
@dispatches.arguments(DispatchIn)
@dispatches.response(201, DispatchOut, headers=ETAG)
def create_dispatch(body):
    """専門家派遣を申請する（承認・却下は画面で統括責任者が行う）"""
    data = dispatch_service.DispatchRequest(**{**body, "requested_on": body.get("requested_on") or today_jst()})
    with service_errors():
        dispatch = dispatch_service.request_dispatch(data, by=current_user)
    return with_etag(dispatch, 201, url_for("api_dispatches.get_dispatch", dispatch_id=dispatch.id))


@dispatches.route("/<int:dispatch_id>", methods=["GET"])
@dispatches.response(200, DispatchOut, headers=ETAG)
def get_dispatch(dispatch_id):
    """専門家派遣"""
    return with_etag(get_in_center_or_404(current_user, Dispatch, dispatch_id))


# --- follow-ups --------------------------------------------------------------------------------

@followups.route("", methods=["GET"])
@followups.arguments(FollowUpQuery, location="query", as_kwargs=True)
@followups.response(200, page_schema(FollowUpOut, "FollowUpPage"))
def list_followups(scope="all", status="all", **page):
    """フォローアップの一覧（id の昇順）"""
    stmt = followup_service.followup_list_query(current_user, followup_service.FollowUpFilter(scope=scope,
                                                                                             status=status))
    return listed(stmt, FollowUp, page, "api_followups.list_followups")


@followups.route("", methods=["POST"])
@followups.arguments(FollowUpIn)
@followups.response(201, FollowUpOut, headers=ETAG)
def create_followup(body):
    """フォローアップを登録する"""
    with service_errors():
        followup = followup_service.create_followup(followup_service.FollowUpData(**body), by=current_user)
    return with_etag(followup, 201, url_for("api_followups.get_followup", followup_id=followup.id))


@followups.route("/<int:followup_id>", methods=["GET"])
@followups.response(200, FollowUpOut, headers=ETAG)
def get_followup(followup_id):
    """フォローアップ"""
    return with_etag(get_in_center_or_404(current_user, FollowUp, followup_id))


@followups.route("/<int:followup_id>/complete", methods=["POST"])
@followups.arguments(CompleteIn)
@followups.response(200, FollowUpOut, headers=ETAG)
@followups.doc(parameters=[IF_MATCH])
def complete_followup(body, followup_id):
    """フォローアップの結果を記録して完了にする（If-Match か version が必要）"""
    followup = get_in_center_or_404(current_user, FollowUp, followup_id)
    return edit(followup, body, lambda values, version: followup_service.complete_followup(
        followup, followup_service.Findings(**{**values, "completed_on": values.get("completed_on") or today_jst()}),
        expected_version=version, by=current_user))
