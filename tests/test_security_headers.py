"""Security headers on every response, no-store on authenticated pages, error pages that leak
nothing, cookies flags, and no inline script or style in any template."""
import re

import pytest
from pathlib import Path

from casework.permissions import LOGGED_IN, requires
from casework.security import CSP

from .conftest import text_of

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_response_carries_the_security_headers(client, logged_in):
    for url in ("/", "/clients/", "/auth/password", "/static/casework.css", "/no-such-page"):
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"] == CSP, url
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_csp_forbids_inline_script_and_framing():
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert "frame-ancestors 'none'" in CSP


def test_authenticated_pages_are_not_cached_but_static_files_may_be(client, logged_in):
    assert client.get("/clients/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/casework.css").headers.get("Cache-Control", "")


def test_login_page_has_headers_when_logged_out(client):
    response = client.get("/auth/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_session_cookie_is_httponly_samesite_and_secure_when_configured(app, client, coordinator, auth):
    response = auth.login(coordinator)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    other = app.test_client()
    cookie = other.post("/auth/login", data={"login": coordinator.login, "password": "correct-horse-battery-staple"}).headers["Set-Cookie"]
    assert "Secure" in cookie


def test_server_error_page_is_generic(app, client, auth, coordinator):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    @requires(LOGGED_IN)
    def boom():
        raise RuntimeError("secret detail: SELECT * FROM clients")

    auth.login(coordinator)
    response = client.get("/boom")
    assert response.status_code == 500
    page = text_of(response)
    assert "システムエラーが発生しました" in page
    assert "secret detail" not in page and "Traceback" not in page and "RuntimeError" not in page


def test_debug_is_off_by_default(app):
    assert not app.debug


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "email" in path.name:
            continue  # e-mail bodies are not served over HTTP; mail clients need inline styles
        html = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) or re.search(r"\sstyle\s*=", html) \
                or re.search(r"<style[\s>]", html) or re.search(r"\son[a-z]+\s*=\s*[\"']", html):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert not offenders, f"inline script/style (forbidden by the CSP) in: {offenders}"


def test_hsts_is_sent_when_cookies_are_secure(app, client):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/auth/login").headers["Strict-Transport-Security"] == "max-age=31536000"
    assert client.get("/static/casework.css").headers["Strict-Transport-Security"] == "max-age=31536000"


def _server_header(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get_all("Server")


def test_the_development_server_does_not_name_werkzeug_or_python(app):
    """`casework up` serves with QuietRequestHandler."""
    import threading

    from werkzeug.serving import make_server

    from casework.security import QuietRequestHandler

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert _server_header(f"http://127.0.0.1:{server.port}/static/casework.css") == ["casework"]
    finally:
        server.shutdown()
        thread.join(5)


@pytest.mark.slow
def test_gunicorn_with_the_shipped_config_does_not_name_itself(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, CASEWORK_INSTANCE_PATH=str(tmp_path), CASEWORK_SECRET_KEY="x",
               CASEWORK_DATABASE_URL=f"sqlite:///{tmp_path / 'g.db'}")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "-c", "python:casework.gunicorn_conf", "-w", "1", "-b", f"127.0.0.1:{port}",
                             "casework:create_app()"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                headers = _server_header(f"http://127.0.0.1:{port}/static/casework.css")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert headers == ["casework"]
    finally:
        proc.terminate()
        proc.wait(10)
