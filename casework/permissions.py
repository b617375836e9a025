"""The one permission table: role × permission, plus center membership and confidentiality.

Every endpoint declares what it needs, with `@requires("perm")` on the view or
`blueprint_requires(bp, "perm")` for a whole blueprint; one before_request hook
(`check_endpoint`) enforces it. An endpoint that declares nothing is refused (deny by default),
and tests/test_permissions.py fails for it. Services ask `can(user, perm)`, templates ask
`can("perm")`, the menu is built from the same table.

A refusal of a permission whose entry is `hidden` answers 404 (the page does not exist for this
user: admin pages, succession/M&A); others answer 403. Both are on the audit log as 'denied'.
Record-level checks (which centers' records a user sees, confidential clients) live in
casework/access.py and use `center_ids_for`.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, request
from flask_login import current_user

ROLES = ("admin", "manager", "coordinator", "im", "succession")
STAFF = frozenset(ROLES)
MANAGERS = frozenset({"admin", "manager"})
ADMINS = frozenset({"admin"})

PUBLIC = "public"  # no login needed (login page, static files)
LOGGED_IN = "logged_in"  # any logged-in user, no further rule


@dataclass(frozen=True)
class Permission:
    label: str  # what the permission is called on screen (管理画面: 権限一覧)
    roles: frozenset[str]
    hidden: bool = False  # refused with 404 instead of 403
    confidential: bool = False  # also needs membership of a confidential center (admins: all)


# The table. Add a permission here, then declare it on the endpoints that need it; the menu,
# the templates (`can("…")`) and the services ask the same entries. 管理 → 権限一覧 shows it.
PERMISSIONS: dict[str, Permission] = {
    PUBLIC: Permission("ログイン不要（ログイン画面）", STAFF),
    LOGGED_IN: Permission("相談先・案件・相談・催し・派遣の申請・フォローアップ（所属センターの記録）", STAFF),
    "records.all_centers": Permission("全センターの記録の閲覧（所属に関係なく）", ADMINS),
    "report.view": Permission("報告書・ダッシュボードの閲覧（所属センターの数値）", STAFF),
    "founder.use": Permission("創業支援（段階・創業・助成金）", frozenset({"admin", "manager", "im"})),
    "succession.use": Permission("事業承継・M&A（事業承継センターの所属者）", STAFF, hidden=True, confidential=True),
    "expert.manage": Permission("専門家の登録・謝金の変更", MANAGERS),
    "dispatch.decide": Permission("専門家派遣の承認・却下", MANAGERS),
    "record.void": Permission("他の職員の記録・相談先・案件の取消", MANAGERS),
    "record.restore": Permission("取り消した記録の復元", ADMINS, hidden=True),
    "client.merge": Permission("重複した相談先の統合（統括責任者は所属センターの範囲で）", MANAGERS),
    "tally.view": Permission("月次集計の閲覧", MANAGERS),
    "tally.store": Permission("月次集計の保存・再計算", MANAGERS),
    "admin.manage": Permission("管理（職員・センター・語彙・権限一覧）", ADMINS, hidden=True),
    "audit.view": Permission("監査ログの閲覧", ADMINS),
    "privacy.export": Permission("個人情報の開示", ADMINS),
    "import.run": Permission("データの取込", ADMINS),
    "report.define": Permission("報告書の定義（事業・行）の編集", ADMINS, hidden=True),
    "program.manage": Permission("事業と事業の語彙の管理", ADMINS, hidden=True),
    "outreach.plan": Permission("出張相談会の予定（日・会場・職員・時間枠）の作成・変更・取消",
                                frozenset({"admin", "manager", "coordinator", "im"})),
    "program.record": Permission("事業の記録（登録企業・あっせん紹介・助成金・到達段階・参加企業）", STAFF),
    # The JSON API (casework/api/, docs/api.md): its endpoints need api.use and what the same
    # page needs on the web (tally.view, report.view …); records are the user's as on the web.
    "api.use": Permission("JSON API の利用（画面と同じ記録・同じ権限で）", STAFF),
    "api.token": Permission("自分の API トークンの発行・取消", STAFF),
}


def permission(name: str) -> Permission:
    try:
        return PERMISSIONS[name]
    except KeyError:
        raise LookupError(f"unknown permission {name!r}: add it to casework.permissions.PERMISSIONS") from None


def can(user, name: str) -> bool:
    """Whether this user holds the permission (role, and for confidential ones membership of a
    confidential center). Record-level visibility is casework.access's business."""
    if name == PUBLIC:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    entry = permission(name)
    if user.role not in entry.roles:
        return False
    if entry.confidential and name != "records.all_centers" and not can(user, "records.all_centers"):
        from .access import confidential_center_ids, sees_succession

        return sees_succession(user) and bool(confidential_center_ids(user))
    return True


# --- declaring -----------------------------------------------------------------------------------

def requires(*names: str):
    """View decorator: the endpoint needs every one of these permissions. Put it under @bp.route."""
    for name in names:
        permission(name)  # fail at import for a typo

    def decorator(view):
        view.required_permissions = tuple(names)
        return view
    return decorator


def blueprint_requires(bp, *names: str) -> None:
    """Every endpoint of this blueprint needs these permissions (besides its own)."""
    for name in names:
        permission(name)
    bp.required_permissions = tuple(names)


def endpoint_permissions(app, endpoint: str) -> tuple[str, ...] | None:
    """What an endpoint needs, or None when it declares nothing (refused)."""
    if endpoint == "static" or endpoint.endswith(".static"):
        return (PUBLIC,)
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    own = getattr(view, "required_permissions", None)
    blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0]) if "." in endpoint else None
    inherited = getattr(blueprint, "required_permissions", None)
    if own is None and inherited is None:
        return None
    return tuple(inherited or ()) + tuple(own or ())


def undeclared_endpoints(app) -> list[str]:
    return sorted(e for e in app.view_functions if endpoint_permissions(app, e) is None)


# --- enforcing -----------------------------------------------------------------------------------

def check_endpoint():
    """before_request: log in first, then the table decides. Deny by default."""
    if request.endpoint is None:
        return None  # 404/405 from routing: nothing to decide
    needed = endpoint_permissions(current_app, request.endpoint)
    if needed is None:
        current_app.logger.error("endpoint %s declares no permission: refused", request.endpoint)
        abort(404)
    if all(name == PUBLIC for name in needed):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    for name in needed:
        if not can(current_user, name):
            refuse(name)
    return None


def refuse(name: str):
    """Answer a refusal of this permission: 404 when hidden, else 403; audited as 'denied'."""
    from .services import audit

    audit.note_denied(None, None)
    abort(404 if permission(name).hidden else 403)


def roles_with(name: str) -> list[str]:
    """The roles holding a permission (for queries: e.g. staff who see every center)."""
    return sorted(permission(name).roles)


def may_open(user, endpoint: str, app=None) -> bool:
    """Whether the table lets this user open the endpoint (what the menu and links ask)."""
    needed = endpoint_permissions(app or current_app, endpoint)
    return needed is not None and all(can(user, name) for name in needed)


def require(user, name: str) -> None:
    """For services and views: refuse unless the user holds the permission."""
    if not can(user, name):
        refuse(name)


def table() -> list[dict]:
    """The table as people read it (管理 → 権限一覧): one row per permission, one column per role.
    A cell is "○" (allowed), "所属者のみ" (allowed to members of a confidential center) or ""."""
    rows = []
    for name, entry in PERMISSIONS.items():
        if name == PUBLIC:
            continue
        cells = {role: ("" if role not in entry.roles else
                        "所属者のみ" if entry.confidential and role != "admin" else "○") for role in ROLES}
        rows.append({"name": name, "label": entry.label, "cells": cells,
                     "refusal": "ページなし（404）" if entry.hidden else "拒否（403）"})
    return rows


def register(app) -> None:
    app.before_request(check_endpoint)

    @app.context_processor
    def _can():
        return {"can": lambda name: can(current_user, name),
                "may_open": lambda endpoint: may_open(current_user, endpoint)}
