"""/api/v1/clients and /api/v1/cases: the same services and visibility as the web's pages."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..access import get_client_or_404, get_in_center_or_404
from ..dates import today_jst
from ..models import Case, Client
from ..permissions import blueprint_requires
from ..services import cases as case_service
from ..services import clients as client_service
from .common import PageArgs, edit, listed, merged, page_schema, service_errors, with_etag
from .helpers import center_or_422, colleague_or_422
from .schemas import CaseArgs, CaseIn, CaseOut, CasePatch, ClientArgs, ClientIn, ClientOut, ClientPatch

ETAG = {"ETag": {"description": "記録の版（更新時に If-Match で送る）", "schema": {"type": "string"}}}
IF_MATCH = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
            "description": "取得時の ETag（または本文の version）。どちらもなければ 428"}

clients = Blueprint("api_clients", __name__, url_prefix="/api/v1/clients", description="相談先")
cases = Blueprint("api_cases", __name__, url_prefix="/api/v1/cases", description="案件")
blueprint_requires(clients, "api.use")
blueprint_requires(cases, "api.use")


class ClientQuery(ClientArgs, PageArgs):
    pass


class CaseQuery(CaseArgs, PageArgs):
    pass


# --- clients -----------------------------------------------------------------------------------

@clients.route("", methods=["GET"])
@clients.arguments(ClientQuery, location="query", as_kwargs=True)
@clients.response(200, page_schema(ClientOut, "ClientPage"))
def list_clients(q=None, kind=None, **page):
    """相談先の一覧（id の昇順、?after= で次のページ）"""
    return listed(client_service.search_query(current_user, q, kind=kind), Client, page, "api_clients.list_clients")


@clients.route("", methods=["POST"])
@clients.arguments(ClientIn)
@clients.response(201, ClientOut, headers=ETAG)
def create_client(body):
    """相談先を登録する（似た相談先があれば 409、confirm_duplicate: true で登録）"""
    confirm = body.pop("confirm_duplicate", False)
    with service_errors():
        data = client_service.ClientData(**body)
        data.cleaned()
        duplicates = client_service.likely_duplicates(current_user, data.name, data.name_kana, data.corporate_number)
        if duplicates and not confirm:
            abort(409, detail="似た名称・同じ法人番号の相談先が既に登録されています。同じ相談先でないか確認し、"
                              "別の相談先なら confirm_duplicate: true を付けて送ってください。",
                  duplicates=[{"id": c.id, "name": c.name} for c in duplicates])
        client = client_service.register_client(data, by=current_user)
    return with_etag(client, 201, url_for("api_clients.get_client", client_id=client.id))


@clients.route("/<int:client_id>", methods=["GET"])
@clients.response(200, ClientOut, headers=ETAG)
def get_client(client_id):
    """相談先（秘匿の相談先は所属者以外には 404、閲覧は監査ログへ）"""
    return with_etag(get_client_or_404(current_user, client_id))


CLIENT_FIELDS = [name for name in ClientIn().fields if name != "confirm_duplicate"]


@clients.route("/<int:client_id>", methods=["PATCH"])
@clients.arguments(ClientPatch(partial=True))
@clients.response(200, ClientOut, headers=ETAG)
@clients.doc(parameters=[IF_MATCH])
def update_client(body, client_id):
    """相談先を更新する（If-Match か version が必要）"""
    client = get_client_or_404(current_user, client_id)
    body.pop("confirm_duplicate", None)
    return edit(client, body, lambda values, version: client_service.update_client(
        client, client_service.ClientData(**merged(client, values, CLIENT_FIELDS)), expected_version=version,
        by=current_user))


# --- cases -------------------------------------------------------------------------------------

@cases.route("", methods=["GET"])
@cases.arguments(CaseQuery, location="query", as_kwargs=True)
@cases.response(200, page_schema(CaseOut, "CasePage"))
def list_cases(client_id=None, center_id=None, status=None, **page):
    """案件の一覧（所属センターの案件、id の昇順）"""
    stmt = case_service.case_list_query(current_user, case_service.CaseFilter(center_id=center_id, status=status))
    if client_id is not None:
        stmt = stmt.where(Case.client_id == client_id)
    return listed(stmt, Case, page, "api_cases.list_cases")


@cases.route("", methods=["POST"])
@cases.arguments(CaseIn)
@cases.response(201, CaseOut, headers=ETAG)
def create_case(body):
    """案件を開始する"""
    client = get_client_or_404(current_user, body.pop("client_id"))
    home = current_user.home_center
    center_id = center_or_422(body.get("center_id") or (home.id if home else None))
    if center_id is None:
        abort(422, errors=[{"field": "center_id", "message": "センターを指定してください。"}])
    data = case_service.CaseData(center_id=center_id, opened_on=body.get("opened_on") or today_jst(),
                                 assignee_id=colleague_or_422(current_user, body.get("assignee_id"), "assignee_id"),
                                 title=body.get("title"), theme_codes=body.get("theme_codes") or [],
                                 program_id=body.get("program_id"))
    with service_errors():
        case = case_service.open_case(client, data, by=current_user)
    return with_etag(case, 201, url_for("api_cases.get_case", case_id=case.id))


@cases.route("/<int:case_id>", methods=["GET"])
@cases.response(200, CaseOut, headers=ETAG)
def get_case(case_id):
    """案件（秘匿のセンターの案件は所属者以外には 404、閲覧は監査ログへ）"""
    return with_etag(get_in_center_or_404(current_user, Case, case_id))


@cases.route("/<int:case_id>", methods=["PATCH"])
@cases.arguments(CasePatch(partial=True))
@cases.response(200, CaseOut, headers=ETAG)
@cases.doc(parameters=[IF_MATCH])
def update_case(body, case_id):
    """案件を更新する（開始日・担当者・件名・テーマ・事業; If-Match か version が必要）"""
    case = get_in_center_or_404(current_user, Case, case_id)

    def change(body, version):
        values = merged(case, body, ["opened_on", "assignee_id", "title", "program_id"])
        values["theme_codes"] = body["theme_codes"] if "theme_codes" in body else [t.code for t in case.themes]
        values["assignee_id"] = colleague_or_422(current_user, values["assignee_id"], "assignee_id", case.assignee_id)
        case_service.update_case(case, case_service.CaseData(center_id=case.center_id, **values),
                                 expected_version=version, by=current_user)

    return edit(case, body, change)
