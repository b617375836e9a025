"""/api/v1/clients and /api/v1/cases: the same services and visibility as the web's pages."""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import abort

from ..access import get_client_or_404
from ..dates import today_jst
from ..models import Case, Client
from ..services import cases as case_service
from ..services import clients as client_service
from .common import merged
from .helpers import center_or_422, colleague_or_422
from .resource import Resource
from .schemas import (
    CaseArgs, CaseIn, CaseOut, CasePatch, ClientArgs, ClientIn, ClientOut, ClientPatch, CloseIn, VersionIn, VoidIn,
    VoidOut,
)

client_resource = Resource("client", "clients", "clients", Client, ClientOut, description="相談先",
                           load=get_client_or_404)
case_resource = Resource("case", "cases", "cases", Case, CaseOut, description="案件")
clients, cases = client_resource.blp, case_resource.blp


# --- clients -----------------------------------------------------------------------------------

CLIENT_FIELDS = [name for name in ClientIn().fields if name != "confirm_duplicate"]


def _register_client(body):
    confirm = body.pop("confirm_duplicate", False)
    data = client_service.ClientData(**body)
    data.cleaned()
    duplicates = client_service.likely_duplicates(current_user, data.name, data.name_kana, data.corporate_number)
    if duplicates and not confirm:
        abort(409, detail="似た名称・同じ法人番号の相談先が既に登録されています。同じ相談先でないか確認し、"
                          "別の相談先なら confirm_duplicate: true を付けて送ってください。",
              duplicates=[{"id": c.id, "name": c.name} for c in duplicates])
    return client_service.register_client(data, by=current_user)


def _update_client(client, body, version):
    body.pop("confirm_duplicate", None)
    client_service.update_client(client, client_service.ClientData(**merged(client, body, CLIENT_FIELDS)),
                                 expected_version=version, by=current_user)


client_resource.lists(ClientArgs, lambda q=None, kind=None: client_service.search_query(current_user, q, kind=kind),
                      "相談先の一覧（id の昇順、?after= で次のページ）")
client_resource.creates(ClientIn, _register_client, "相談先を登録する（似た相談先があれば 409、confirm_duplicate: true で登録）")
client_resource.reads("相談先（秘匿の相談先は所属者以外には 404、閲覧は監査ログへ）")
client_resource.patches(ClientPatch(partial=True), _update_client, "相談先を更新する（If-Match か version が必要）")
client_resource.voids(client_service.void_client, VoidIn, VoidOut, "相談先")


# --- cases -------------------------------------------------------------------------------------

def _case_list(client_id=None, center_id=None, status=None):
    stmt = case_service.case_list_query(current_user, case_service.CaseFilter(center_id=center_id, status=status))
    return stmt if client_id is None else stmt.where(Case.client_id == client_id)


def _open_case(body):
    client = get_client_or_404(current_user, body.pop("client_id"))
    home = current_user.home_center
    center_id = center_or_422(body.get("center_id") or (home.id if home else None))
    if center_id is None:
        abort(422, errors=[{"field": "center_id", "message": "センターを指定してください。"}])
    data = case_service.CaseData(center_id=center_id, opened_on=body.get("opened_on") or today_jst(),
                                 assignee_id=colleague_or_422(current_user, body.get("assignee_id"), "assignee_id"),
                                 title=body.get("title"), theme_codes=body.get("theme_codes") or [],
                                 program_id=body.get("program_id"))
    return case_service.open_case(client, data, by=current_user)


def _update_case(case, body, version):
    values = merged(case, body, ["opened_on", "assignee_id", "title", "program_id"])
    values["theme_codes"] = body["theme_codes"] if "theme_codes" in body else [t.code for t in case.themes]
    values["assignee_id"] = colleague_or_422(current_user, values["assignee_id"], "assignee_id", case.assignee_id)
    case_service.update_case(case, case_service.CaseData(center_id=case.center_id, **values),
                             expected_version=version, by=current_user)


def _close_case(case, body, version):
    case_service.close_case(case, closed_on=body["closed_on"], outcome_code=body.get("outcome_code") or None,
                            outcome_on=body.get("outcome_on"), note=body.get("note"), expected_version=version,
                            by=current_user)


case_resource.lists(CaseArgs, _case_list, "案件の一覧（所属センターの案件、id の昇順）")
case_resource.creates(CaseIn, _open_case, "案件を開始する")
case_resource.reads("案件（秘匿のセンターの案件は所属者以外には 404、閲覧は監査ログへ）")
case_resource.patches(CasePatch(partial=True), _update_case,
                      "案件を更新する（開始日・担当者・件名・テーマ・事業; If-Match か version が必要）")
case_resource.action("/close", "close_case", CloseIn, _close_case,
                     "案件を終了する（終了日・成果; 成果があればフォローアップが作られる; If-Match か version が必要）")
case_resource.action("/reopen", "reopen_case", VersionIn, lambda case, body, version: case_service.reopen_case(
    case, expected_version=version, by=current_user), "終了した案件を再開する（If-Match か version が必要）")
case_resource.voids(case_service.void_case, VoidIn, VoidOut, "案件")
