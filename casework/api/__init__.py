"""The JSON API, /api/v1/ (docs/api.md): flask-smorest blueprints over the web's services.

- Who: a personal token (Authorization: Bearer, casework/services/api_tokens.py) or the session;
  what: the one permission table (every endpoint declares `api.use`, plus what the same page
  needs on the web); which records: casework/access.py, confidential reads audited.
- Writes go through the same services as the forms, in the request's unit of work.
- Errors are RFC 9457 problem details (casework/api/problems.py), for every /api/v1/ URL.
- The OpenAPI 3.1 document is generated from the code and served at /api/v1/openapi.json.
"""
from __future__ import annotations

import http

from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from ..permissions import PUBLIC, blueprint_requires
from .problems import PROBLEM_TYPE

API_VERSION = "1.0"


def _problem_schema():
    import marshmallow as ma

    class FieldError(ma.Schema):
        field = ma.fields.String(allow_none=True)
        message = ma.fields.String(required=True)
        message_en = ma.fields.String()

    class ProblemDetails(ma.Schema):
        class Meta:
            unknown = ma.INCLUDE

        type = ma.fields.String(required=True)
        status = ma.fields.Integer(required=True)
        title = ma.fields.String(required=True, metadata={"description": "日本語の見出し"})
        title_en = ma.fields.String(required=True, metadata={"description": "the title in English"})
        detail = ma.fields.String(required=True, metadata={"description": "日本語の説明"})
        errors = ma.fields.List(ma.fields.Nested(FieldError), metadata={"description": "項目ごとの誤り"})
        current_version = ma.fields.Integer()
        changes = ma.fields.Dict()

    return ProblemDetails


class CaseworkApi(Api):
    """flask-smorest's Api, with problem+json errors documented and handled for /api/v1/ only
    (the web's pages keep their Japanese HTML error pages)."""

    ERROR_SCHEMA = _problem_schema()

    def _register_responses(self):
        for status in http.HTTPStatus:
            if status >= 400:
                self.spec.components.response(status.name, {
                    "description": status.phrase,
                    "content": {PROBLEM_TYPE: {"schema": self.ERROR_SCHEMA}}}, lazy=True)
        self.spec.components.response("DEFAULT_ERROR", {
            "description": "エラー（RFC 9457 problem details）",
            "content": {PROBLEM_TYPE: {"schema": self.ERROR_SCHEMA}}}, lazy=True)

    def _register_error_handlers(self):
        install_error_handlers(self._app)


def install_error_handlers(app) -> None:
    """Every HTTP error of an /api/v1/ URL is problem+json; other URLs keep the app's handlers."""
    from .auth import is_api_request
    from .problems import http_error, problem

    spec = app.error_handler_spec[None]
    codes = sorted({code for code in spec if code is not None} | {400, 401, 403, 404, 405, 406, 409, 412, 413,
                                                                   415, 422, 428, 429, 500})
    for code in codes:
        original = spec.get(code, {}).get(HTTPException) or next(iter(spec.get(code, {}).values()), None)

        def handler(error, _original=original):
            if is_api_request():
                if not isinstance(error, HTTPException):
                    return problem(500)
                return http_error(error)
            if _original is not None:
                return _original(error)
            return error

        app.register_error_handler(code, handler)


def register(app) -> None:
    from .activities import consultations, events, followups
    from .auth import install
    from .clients import cases, clients
    from .dispatches import dispatches, visits
    from .reports import reports
    from .tokens_page import bp as tokens_page

    app.config.setdefault("API_TITLE", "casework API")
    app.config.setdefault("API_VERSION", API_VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "casework の JSON API（docs/api.md）。画面と同じ権限・同じ記録・同じ監査。"},
        "security": [{"bearerAuth": []}],
    })
    api = CaseworkApi()
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "アカウント → API トークンで発行した個人用トークン（Authorization: Bearer cw_…）"})
    from ..inputs import BoundedIntConverter, INT_URL_MAX

    api.register_converter(BoundedIntConverter, lambda _c: {"type": "integer", "minimum": 0, "maximum": INT_URL_MAX})
    blueprints = [clients, cases, consultations, events, dispatches, visits, followups, reports]
    for blp in blueprints:
        api.register_blueprint(blp)
    docs = app.blueprints[api._make_doc_blueprint_name()]
    blueprint_requires(docs, PUBLIC)  # the document names fields, never data
    install(app, blueprints + [docs])
    app.register_blueprint(tokens_page)
    app.extensions["casework_api"] = api
