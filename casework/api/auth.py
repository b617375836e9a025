"""Who calls the API: a personal token (Authorization: Bearer …) or the browser's session.

- A bearer token (casework/services/api_tokens.py) logs its user in for this request only, before
  anything else asks who the user is, so casework.permissions.check_endpoint, casework.access
  and the audit log see the same user as on the web. A token nobody holds (mistyped, expired,
  revoked, of a disabled user) is 401 even beside a session cookie: the header decides.
- A token's scope: `read` answers GET/HEAD only; a write with it is 403.
- CSRF: the API blueprints are exempt from Flask-WTF's automatic check, and `check_scope`
  checks it again for every write that is not bearer-authenticated: a cookie session's
  POST/PATCH still needs the X-CSRFToken header, exactly like a form.
"""
from __future__ import annotations

from flask import abort, current_app, g, request

API_PREFIX = "/api/v1"
READS = ("GET", "HEAD", "OPTIONS")


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or ""


def authenticate_bearer():
    """App before_request, run right after the request state is reset: a bearer token on an API
    request is the request's user (Flask-Login's current_user), or the answer is 401."""
    g.pop("api_token", None)  # tests (and the CLI) serve several requests in one app context
    if not is_api_request():
        return None
    token = bearer_token()
    if token is None:
        return None
    from ..services.api_tokens import user_for_token

    found = user_for_token(token)
    if found is None:
        abort(401)
    g._login_user, g.api_token = found  # what flask_login.current_user returns for this request
    return None


def check_scope():
    """before_request (after the permission table's check): on the API, a read-only token may
    not write; a session's write needs CSRF."""
    if request.method in READS or not is_api_request():
        return None
    row = g.get("api_token")
    if row is not None:
        if row.scope != "write":
            from .problems import problem

            return problem(403, "このトークンは読み取り専用です（scope: read）。"
                                "書き込みには scope: write のトークンを発行してください。")
        return None
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        from ..extensions import csrf

        csrf.protect()
    return None


def install(app, blueprints) -> None:
    from ..extensions import csrf, login_manager

    funcs = app.before_request_funcs.setdefault(None, [])
    names = [getattr(f, "__name__", "") for f in funcs]
    at = names.index("_fresh_request_state") + 1  # casework/security.py resets the request's user first
    funcs.insert(at, authenticate_bearer)
    app.before_request(check_scope)
    for bp in blueprints:
        csrf.exempt(bp)
        login_manager.blueprint_login_views[bp.name] = None  # not logged in: 401, not the login page
