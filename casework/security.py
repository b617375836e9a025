"""Request-level protections: security headers and idle and absolute session timeouts. (The audit
notes of confidential views and refusals are written by casework/unit_of_work.py.)

See docs/security.md for what is promised and which tests check it.
"""
from __future__ import annotations

import time

from flask import current_app, flash, g, request, session
from flask_login import current_user, logout_user, user_logged_in

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")

LOGIN_AT = "_login_at"  # unix time of the login: the absolute timeout counts from here
SEEN_AT = "_seen_at"  # unix time of the last request: the idle timeout counts from here


def register(app) -> None:
    app.before_request(_fresh_request_state)
    app.before_request(enforce_session_timeouts)
    app.after_request(set_security_headers)
    user_logged_in.connect(_stamp_login, app)


def _stamp_login(_app, user=None, **_extra):
    # login_user is also called after a password change; that must not extend the session.
    now = int(time.time())
    session.setdefault(LOGIN_AT, now)
    session[SEEN_AT] = now


def _fresh_request_state():
    """Per-request state lives on `g`, which is per app context. Tests (and CLI code that calls
    the app) may serve several requests inside one app context: never carry a user or pending
    audit notes from one request to the next."""
    for key in ("_login_user", "csrf_token", "audit_views", "audit_notes", "audit_denied", "audit_recorded",
                "_uow_refused", "_uow_flushed"):
        g.pop(key, None)


def enforce_session_timeouts():
    """End the session after SESSION_IDLE_TIMEOUT seconds without a request, or
    PERMANENT_SESSION_LIFETIME seconds after login, whatever the cookie says."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT, login_at)
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    idle = current_app.config["SESSION_IDLE_TIMEOUT"]
    if login_at is None or now - login_at > lifetime or now - (seen_at or 0) > idle:
        logout_user()
        session.clear()
        flash("一定時間操作がなかったため、またはログインから時間が経ったため、ログアウトしました。もう一度ログインしてください。", "info")
        return None  # casework.permissions.check_endpoint now sends the user to the login page
    session[SEEN_AT] = now
    return None


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static" and _authenticated():
        # Every authenticated page or download may carry client data: never keep it in a cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def _authenticated() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # no user loader context (e.g. very early errors)
        return False
