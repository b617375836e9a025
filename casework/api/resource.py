"""One pattern for every API resource: list, get, create, patch, actions and void.

A `Resource` is a flask-smorest blueprint over one model. Each operation is declared once with
what differs (its schemas, its query, the service it calls, its summary) and gets the same
habits: `api.use` plus the permission the web's page needs, the record loaded through
casework/access.py *before* the body is read (a record you may not see is 404 and audited as
on the web, whatever you send), keyset pages with their confidential records audited, the
version you edited (If-Match 412 / version 409 / neither 428), a service's DomainError as 422.
"""
from __future__ import annotations

import functools

from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from ..access import get_in_center_or_404
from ..extensions import db
from ..permissions import blueprint_requires, refuse, requires
from ..services import voiding
from .common import PageArgs, edit, listed, page_schema, service_errors, with_etag

ETAG = {"ETag": {"description": "記録の版（更新時に If-Match で送る）", "schema": {"type": "string"}}}
IF_MATCH = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
            "description": "取得時の ETag（または本文の version）。どちらもなければ 428"}


class ApiParser(FlaskParser):
    """webargs' parser, plus `multipart`: a multipart/form-data body's fields and files in one
    schema (the report step: its date, its version and the file), documented as one requestBody."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema)


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = ApiParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "multipart": "multipart/form-data"}


def in_center(model):
    """The loader of a record kept at a center: the web's get_in_center_or_404."""
    return lambda user, record_id: get_in_center_or_404(user, model, record_id)


class Resource:
    """`/api/v1/<path>` over `model`: endpoints list_<plural>, create_<singular>, get_<singular>,
    update_<singular> and the actions, each a URL parameter <singular>_id."""

    def __init__(self, singular: str, plural: str, path: str, model, out, *, description: str, load=None,
                 title: str | None = None):
        self.singular, self.plural, self.model, self.out = singular, plural, model, out
        self.title = title or singular.title()  # the schemas' names: <title>Page, <title>Query
        self.blp = ApiBlueprint(f"api_{plural}", __name__, url_prefix=f"/api/v1/{path}", description=description)
        blueprint_requires(self.blp, "api.use")
        self.load = load or in_center(model)
        self.id_name = f"{singular}_id"

    # --- registering ---------------------------------------------------------------------------

    def endpoint(self, name: str) -> str:
        return f"{self.blp.name}.{name}"

    def url_of(self, record) -> str:
        return url_for(self.endpoint(f"get_{self.singular}"), **{self.id_name: record.id})

    def _register(self, rule: str, method: str, name: str, view, summary: str, decorators, *, load=None,
                  needs: tuple[str, ...] = ()):
        """decorators: the flask-smorest ones, outermost first. `load(user, id)`: the record, loaded
        before the body is parsed and handed to the view as `record`."""
        view.__name__, view.__doc__ = name, summary
        for decorator in reversed(decorators):
            view = decorator(view)
        if load is not None:
            inner, id_name = view, self.id_name

            @functools.wraps(inner)
            def view(*args, **kwargs):
                return inner(*args, record=load(current_user, kwargs.pop(id_name)), **kwargs)
        if needs:
            view = requires(*needs)(view)
        self.blp.route(rule, methods=[method], endpoint=name)(view)
        return view

    # --- the operations ------------------------------------------------------------------------

    def lists(self, args_schema, query, summary: str):
        """GET "": `query(**filters)` is the web list's statement; a keyset page of it."""
        schema = type(f"{self.title}Query", (args_schema, PageArgs), {})
        name = f"list_{self.plural}"

        def view(**args):
            page = {key: args.pop(key) for key in ("after", "limit") if key in args}
            return listed(query(**args), self.model, page, self.endpoint(name))

        self._register("", "GET", name, view, summary, [
            self.blp.arguments(schema, location="query", as_kwargs=True),
            self.blp.response(200, page_schema(self.out, f"{self.title}Page"))])

    def reads(self, summary: str):
        self._register(f"/<int:{self.id_name}>", "GET", f"get_{self.singular}", lambda record: with_etag(record),
                       summary, [self.blp.response(200, self.out, headers=ETAG)], load=self.load)

    def creates(self, schema, create, summary: str):
        """POST "": `create(body)` calls the service and returns the new record (201, Location, ETag)."""
        def view(body):
            with service_errors():
                record = create(body)
            return with_etag(record, 201, self.url_of(record))

        self._register("", "POST", f"create_{self.singular}", view, summary, [
            self.blp.arguments(schema), self.blp.response(201, self.out, headers=ETAG)])

    def patches(self, schema, change, summary: str):
        """PATCH /<id>: `change(record, body, version)` through the service, at the version edited."""
        self.action("", f"update_{self.singular}", schema, change, summary, method="PATCH")

    def action(self, rule: str, name: str, schema, act, summary: str, *, out=None, method: str = "POST",
               location: str = "json", needs: tuple[str, ...] = (), versioned: bool = True,
               created=None):
        """A step on one record (POST /<id>/<rule>): `act(record, body, version)` through the
        service; versioned ones need If-Match / version like a PATCH. Answers `out` (the record's
        schema by default) with the record's ETag; `created(new)`: the step makes a new record
        (not versioned), answered 201 with its ETag and this Location."""
        versioned = versioned and not created
        decorators = [self.blp.arguments(schema, location=location)]
        decorators.append(self.blp.response(201 if created else 200, out or self.out, headers=ETAG))
        if versioned:
            decorators.append(self.blp.doc(parameters=[IF_MATCH]))

        def view(body, *, record):
            if not versioned:
                with service_errors():
                    result = act(record, body, None)
                return with_etag(result, 201, created(result)) if created else with_etag(result)
            answer = {}
            edited = edit(record, body, lambda values, version: answer.update(result=act(record, values, version)))
            result = answer.get("result")
            return edited if result is None or result is record else (result, 200, edited[2])

        return self._register(f"/<int:{self.id_name}>{rule}", method, name, view, summary, decorators,
                              load=self.load, needs=needs)

    def voids(self, void, void_in, void_out, what: str):
        """POST /<id>/void: the web's 取消 (services/voiding: who may, a reason, the version, what
        goes along). Not yours to void: 403 and audited, as on the void page."""
        def act(record, body, version):
            if not voiding.may_void(current_user, record):
                refuse("record.void")
            along = void(record, body.get("reason"), current_user, expected_version=version)
            db.session.flush()  # the version the answer names is the stored one
            return {"id": record.id, "kind": voiding.kind_label(record), "voided_at": record.voided_at,
                    "void_reason": record.void_reason, "along": [voiding.describe(r) for r in along],
                    "version": record.version}

        self.action("/void", f"void_{self.singular}", void_in, act,
                    f"{what}を取り消す（理由が必要、If-Match か version が必要; 画面の取消と同じ）", out=void_out)
