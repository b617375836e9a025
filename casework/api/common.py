"""Pieces every API resource shares: bounded fields, keyset pages, ETag/If-Match, service errors."""
from __future__ import annotations

import contextlib
import datetime as dt

import marshmallow as ma
from flask import request, url_for
from flask_smorest import abort
from marshmallow import validate

from ..dates import DateError, check_date_range, read_date
from ..extensions import db
from ..inputs import INT_URL_MAX, strip_controls
from ..services.errors import DomainError, StaleRecord

MAX_LIMIT = 100
DEFAULT_LIMIT = 50


# --- fields --------------------------------------------------------------------------------------

class Text(ma.fields.String):
    """A string without control characters (tab and newlines stay) or lone surrogates, at most
    `length` characters (the column's size): nothing the database cannot store and give back."""

    def __init__(self, length: int | None = None, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        if length:
            validators.append(validate.Length(max=length))
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ma.ValidationError("文字として読めない値が含まれています。") from None
        return strip_controls(text)


class Day(ma.fields.Date):
    """A date: 2024-04-01 (also 2024/4/1, 令和6年4月1日, R6.4.1 as on the forms), within the app's
    range (casework/dates.py); `past_only` for things that have happened, as the form's field.
    Written back as ISO 8601."""

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ma.ValidationError("日付は文字列（例: 2024-04-01）で指定してください。")
        try:
            return check_date_range(read_date(value), past_only=self.past_only)
        except DateError as exc:
            raise ma.ValidationError(str(exc)) from None


def Id(**kwargs):
    """A record id in a body or a query: 1 … 2^31-1."""
    return ma.fields.Integer(strict=True, validate=validate.Range(1, INT_URL_MAX), **kwargs)


def Count(**kwargs):
    """A count (participants, employees …): 0 … 2^31-1."""
    return ma.fields.Integer(strict=True, validate=validate.Range(0, INT_URL_MAX), **kwargs)


def length_of(model, name: str) -> int | None:
    return getattr(model.__table__.c[name].type, "length", None)


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True


class Query(ma.Schema):
    """A list's query values: others in the query string are left alone."""

    class Meta:
        unknown = ma.EXCLUDE


class PageArgs(Query):
    """?after=<id>&limit=: ids ascending, at most MAX_LIMIT a page."""

    after = ma.fields.Integer(validate=validate.Range(0, INT_URL_MAX),
                              metadata={"description": "この id より後（大きい id）から返す"})
    limit = ma.fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT),
                              metadata={"description": f"1ページの件数（1〜{MAX_LIMIT}、既定 {DEFAULT_LIMIT}）"})


def page_schema(item_schema, name: str):
    """The envelope of a list: {"items": [...], "next": url or null}."""
    return ma.Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
        "next": ma.fields.String(allow_none=True, required=True,
                                 metadata={"description": "次のページの URL（最後のページでは null）"}),
    }, name=name)


# --- pages ---------------------------------------------------------------------------------------

def keyset(stmt, model, args: dict, endpoint: str, **url_args) -> dict:
    """One page of stmt ordered by id: rows with id > after, and the next page's link."""
    limit = args["limit"]
    stmt = stmt.order_by(None).order_by(model.id)
    if args.get("after") is not None:
        stmt = stmt.where(model.id > args["after"])
    items = list(db.session.scalars(stmt.limit(limit + 1)).unique())
    following = None
    if len(items) > limit:
        items = items[:limit]
        query = {k: v for k, v in request.args.items() if k not in ("after", "limit")}
        following = url_for(endpoint, **url_args, **query, after=items[-1].id, limit=limit)
    return {"items": items, "next": following}


# --- versions ------------------------------------------------------------------------------------

def etag(record) -> str:
    return f'"{record.version}"'


def with_etag(record, status: int = 200, location: str | None = None):
    """The record (dumped by the view's response schema) with its ETag (and Location when created)."""
    headers = {"ETag": etag(record)}
    if location:
        headers["Location"] = location
    return record, status, headers


def expected_version(record, body: dict) -> tuple[int, str]:
    """The version the client edited: If-Match ("3", W/"3" or 3) or the body's `version`. Neither: 428."""
    header = request.headers.get("If-Match")
    version = body.pop("version", None)
    if header is not None:
        text = header.strip()
        if text == "*":
            return record.version, "if-match"
        text = text.removeprefix("W/").strip('"')
        if not text.isascii() or not text.isdigit() or len(text) > 10:
            abort(412, detail=f"If-Match の値が版として読めません（例: If-Match: \"{record.version}\"）。",
                  current_version=record.version)
        return int(text), "if-match"
    if version is not None:
        return version, "version"
    abort(428)


def check_fresh(record, version: int, source: str) -> None:
    """412 (If-Match) before the service runs, with the stored version."""
    if source == "if-match" and version != record.version:
        abort(412, current_version=record.version)


@contextlib.contextmanager
def service_errors(source: str = "version"):
    """A service's DomainError is 422 with each field's message; StaleRecord is 409 (version in
    the body) or 412 (If-Match) with what changed. Either way nothing is saved (the unit of work
    rolls back any answer >= 400)."""
    try:
        yield
        db.session.flush()  # the new version is the answer's ETag
    except StaleRecord as exc:
        changes = {k: {"stored": _plain(stored), "submitted": _plain(sent)} for k, (stored, sent) in exc.changes.items()}
        abort(412 if source == "if-match" else 409, detail=exc.message, current_version=exc.record.version,
              changes=changes)
    except DomainError as exc:
        errors = [{"field": one.field, "message": one.message} for one in getattr(exc, "errors", None) or [exc]]
        abort(422, detail=exc.message if len(errors) == 1 else None, errors=errors)


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def listed(stmt, model, args: dict, endpoint: str, **url_args) -> dict:
    """A list's page, each confidential record on it put on the audit log (as its page would)."""
    from .helpers import audit_confidential

    found = keyset(stmt, model, args, endpoint, **url_args)
    audit_confidential(found["items"])
    return found


def edit(record, body: dict, change):
    """A PATCH (or an action on a record): the version the client edited (If-Match / version,
    else 428; a stale If-Match is 412 at once), then `change(values, version)` through the
    service, whose StaleRecord is 409/412 with what changed. Answers the record with its ETag."""
    version, source = expected_version(record, body)
    check_fresh(record, version, source)
    with service_errors(source):
        change(body, version)
    return with_etag(record)


def merged(record, body: dict, names) -> dict:
    """The record's current values of these fields, overlaid with what the PATCH body sends."""
    return {name: body[name] if name in body else getattr(record, name) for name in names}

