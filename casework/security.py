"""Request-level protections: security headers and idle and absolute session timeouts. (The audit
notes of confidential views and refusals are written by casework/unit_of_work.py.)

See docs/security.md for what is promised and which tests check it.
"""
from __future__ import annotations

import time

from flask import current_app, flash, g, request, session
from flask_login import current_user, logout_user, user_logged_in
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")

SERVER_NAME = "casework"  # the Server header: names neither the server software nor Python
HSTS = "max-age=31536000"  # one year, sent when cookies are Secure (the site is served over https)

LOGIN_AT = "_login_at"  # unix time of the login: the absolute timeout counts from here
SEEN_AT = "_seen_at"  # unix time of the last request: the idle timeout counts from here


def register(app) -> None:
    trust_proxies(app)
    app.before_request(_fresh_request_state)
    app.before_request(enforce_session_timeouts)
    app.after_request(set_security_headers)
    user_logged_in.connect(_stamp_login, app)


def trust_proxies(app) -> None:
    """Behind TRUSTED_PROXIES reverse proxies (CASEWORK_TRUSTED_PROXIES, default 0), take the
    client address, scheme and host from their X-Forwarded-For/-Proto/-Host headers (Werkzeug's
    ProxyFix, trusting exactly that many hops). With 0 the headers are ignored: anyone could
    send them, and the per-address login throttle and the audit log would believe them."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's development server (`casework up`) without "Werkzeug/3.x Python/3.x" in the
    Server header. (gunicorn: casework/gunicorn_conf.py.)"""

    def version_string(self) -> str:
        return SERVER_NAME


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
                "_uow_refused", "_uow_flushed", "_vocab_fingerprint"):
        g.pop(key, None)


def enforce_session_timeouts():
    """End the session after SESSION_IDLE_TIMEOUT seconds without a request, or
    PERMANENT_SESSION_LIFETIME seconds after login, whatever the cookie says."""
    if request.endpoint == "static" or g.get("api_token") is not None or not current_user.is_authenticated:
        return None  # a bearer token (casework/api/auth.py) is no session: nothing to time out
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
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static" and _authenticated():
        # Every authenticated page or download may carry client data: never keep it in a cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def _authenticated() -> bool:
    """Whether the request was answered for a logged-in user: the user Flask-Login loaded for it,
    asked without reading its columns (the unit of work has expired them: reading one would load
    the user again after the request's transaction ended)."""
    user = g.get("_login_user")
    return user is not None and not user.is_anonymous
