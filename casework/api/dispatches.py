"""/api/v1/dispatches and /api/v1/dispatch-visits: 専門家派遣 through every step the web offers.

request (POST /dispatches) → decision (承認・却下, `dispatch.decide`: managers and admins) →
visits (訪問の記録, POST /dispatches/{id}/visits) → each visit's report (報告書の受領, multipart
with the report file, which becomes a document of the dispatch) → complete (完了); 取消 of a
dispatch or a visit. The same services (casework/services/dispatch.py) and checks as the web's
routes (casework/blueprints/dispatch/routes.py).
"""
from __future__ import annotations

from flask import current_app
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..dates import today_jst
from ..models import Dispatch, DispatchVisit
from ..services import attachments
from ..services import dispatch as dispatch_service
from ..services.errors import DomainError
from .common import PageArgs, listed, page_schema
from .resource import Resource
from .schemas import (
    DecisionIn, DispatchArgs, DispatchIn, DispatchOut, ReportIn, VersionIn, VisitIn, VisitOut, VoidIn,
    VoidOut,
)

dispatch_resource = Resource("dispatch", "dispatches", "dispatches", Dispatch, DispatchOut, description="専門家派遣")
visit_resource = Resource("visit", "visits", "dispatch-visits", DispatchVisit, VisitOut,
                          description="専門家派遣の訪問記録")
dispatches, visits = dispatch_resource.blp, visit_resource.blp


# --- requests and decisions --------------------------------------------------------------------

def _request(body):
    data = dispatch_service.DispatchRequest(**{**body, "requested_on": body.get("requested_on") or today_jst()})
    return dispatch_service.request_dispatch(data, by=current_user)


def _decide(dispatch, body, version):
    dispatch_service.decide_dispatch(dispatch, approve=body["decision"] == "approve",
                                     decided_on=body.get("decided_on") or today_jst(), note=body.get("note"),
                                     expected_version=version, by=current_user)


dispatch_resource.lists(DispatchArgs, lambda center_id=None, status=None: dispatch_service.dispatch_list_query(
    current_user, dispatch_service.DispatchFilter(center_id=center_id, status=status)), "専門家派遣の一覧（id の昇順）")
dispatch_resource.creates(DispatchIn, _request, "専門家派遣を申請する（承認・却下は decision で統括責任者が行う）")
dispatch_resource.reads("専門家派遣")
dispatch_resource.action("/decision", "decide_dispatch", DecisionIn, _decide,
                         "派遣を承認・却下する（統括責任者・管理者; 却下には理由; If-Match か version が必要）",
                         needs=("dispatch.decide",))
dispatch_resource.action("/complete", "complete_dispatch", VersionIn, lambda dispatch, body, version:
                         dispatch_service.complete_dispatch(dispatch, expected_version=version, by=current_user),
                         "承認済みの派遣を完了にする（If-Match か version が必要）")
dispatch_resource.voids(dispatch_service.void_dispatch, VoidIn, VoidOut, "専門家派遣（訪問記録もあわせて）")


# --- visits --------------------------------------------------------------------------------------

def _visits_page(args, *, record):
    stmt = select(DispatchVisit).where(DispatchVisit.dispatch_id == record.id, DispatchVisit.voided_at.is_(None))
    return listed(stmt, DispatchVisit, args, dispatch_resource.endpoint("list_dispatch_visits"),
                  dispatch_id=record.id)


dispatch_resource._register("/<int:dispatch_id>/visits", "GET", "list_dispatch_visits", _visits_page,
                            "派遣の訪問記録の一覧（id の昇順）", [
                                dispatches.arguments(PageArgs, location="query"),
                                dispatches.response(200, page_schema(VisitOut, "VisitPage"))],
                            load=dispatch_resource.load)


def _log_visit(dispatch, body, _version):
    return dispatch_service.log_visit(dispatch, dispatch_service.VisitData(**body), by=current_user)


dispatch_resource.action("/visits", "log_visit", VisitIn, _log_visit,
                         "訪問を記録する（承認済みの派遣; 謝金・企業負担を省くと標準額; 報告書のフォローアップが作られる）",
                         out=VisitOut, created=visit_resource.url_of)


def _receive_report(visit, body, version):
    """The web's report step: the received date, and the report file if one is sent."""
    dispatch_service.receive_report(visit, body["received_on"], expected_version=version, by=current_user)
    upload = body.get("report_file")
    if upload is not None and not isinstance(upload, FileStorage):
        raise DomainError("報告書ファイルは multipart/form-data のファイルとして送ってください"
                          "（例: curl -F \"report_file=@報告書.pdf\"）。", "report_file")
    if upload is not None and upload.filename:
        max_bytes = current_app.config["ATTACHMENT_MAX_BYTES"]
        dispatch_service.attach_report(visit, upload.filename, attachments.read_upload(upload.stream, max_bytes),
                                       by=current_user, max_bytes=max_bytes)


visit_resource.reads("派遣の訪問記録")
visit_resource.action("/report", "receive_report", ReportIn, _receive_report,
                      "報告書の受領を記録する（multipart/form-data: received_on, version, report_file（任意）; "
                      "ファイルは派遣の添付書類になる; If-Match か version が必要）",
                      location="multipart")
visit_resource.voids(dispatch_service.void_visit, VoidIn, VoidOut, "訪問記録")
