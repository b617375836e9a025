"""What a request may carry, bounded at the edge: every URL id, query value and form value.

- `<int:…>` in every rule is BoundedIntConverter: 0 … 2^31-1 (record ids are 32-bit integer
  columns on PostgreSQL). Werkzeug's own takes any run of digits, and 2^63 then overflowed
  SQLite's integers (500); now an id no record can have is simply 404.
- `<fy:…>` is a fiscal year in the sane range (casework.dates.fiscal_year_value), else 404.
- Query and form values lose control characters (NUL…; tab, CR and LF stay) before any view
  sees them: a NUL broke the FTS5 search ("unterminated string") and PostgreSQL refuses text
  containing NUL outright. Nothing typed in a browser carries them.
"""
from flask import Request
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict
from werkzeug.utils import cached_property
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import IntegerConverter, Map, MapAdapter, ValidationError

INT_URL_MAX = 2**31 - 1
_CONTROLS = {c: None for c in range(32) if chr(c) not in "\t\n\r"} | {0x7F: None}


class BoundedIntConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, 0 if min is None else min, INT_URL_MAX if max is None else max, signed)

    def to_python(self, value):
        if len(value.lstrip("-")) > 10:  # more digits than any id: also spares int() a huge string
            raise ValidationError()
        return super().to_python(value)


class FiscalYearConverter(IntegerConverter):
    """`<fy:fy>`: a fiscal year within the sane date range (casework.dates), else 404."""

    def to_python(self, value):
        from .dates import fiscal_year_value

        try:
            return fiscal_year_value(value)
        except ValueError:
            raise ValidationError() from None


def strip_controls(value):
    return value.translate(_CONTROLS) if isinstance(value, str) else value


def bounded_int(value) -> int:
    """int() of a query/form value that fits a 32-bit column; ValueError otherwise."""
    text = str(value).strip()
    if len(text.lstrip("+-")) > 10:
        raise ValueError(value)
    number = int(text)
    if not -INT_URL_MAX - 1 <= number <= INT_URL_MAX:
        raise ValueError(value)
    return number


class CleanMultiDict(ImmutableMultiDict):
    """request.args / request.form without control characters in keys or values; and
    .get(name, type=int) gives the default for a number no column can hold (2^64…)."""

    def __init__(self, mapping=None):
        if isinstance(mapping, (list, tuple)):
            mapping = [(strip_controls(k), strip_controls(v)) for k, v in mapping]
        super().__init__(mapping)

    def get(self, key, default=None, type=None):
        return super().get(key, default, bounded_int if type is int else type)


class CleanCombinedMultiDict(CombinedMultiDict):
    """request.values: args and form, with the same bounded .get(name, type=int)."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, bounded_int if type is int else type)


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict

    @cached_property
    def values(self):
        sources = [self.args] + ([self.form] if self.method != "GET" else [])
        return CleanCombinedMultiDict(sources)


class _IdsFirstAdapter(MapAdapter):
    """Werkzeug answers 405 when a rule of another method precedes the rule whose converter
    refused the value (POST /api/v1/dispatches/<2^63>/visits beside its GET rule). An id no
    record can have is 404 whatever the method: 405 only when the path exists for another one."""

    def match(self, path_info=None, method=None, return_rule=False, query_args=None, websocket=None):
        try:
            return super().match(path_info, method, return_rule, query_args, websocket)
        except MethodNotAllowed as refused:
            if any(self._exists(path_info, other, query_args, websocket) for other in refused.valid_methods or ()):
                raise
            raise NotFound() from None

    def _exists(self, path_info, method, query_args, websocket) -> bool:
        try:
            super().match(path_info, method, query_args=query_args, websocket=websocket)
        except (NotFound, MethodNotAllowed):
            return False
        except Exception:  # a redirect: the path exists
            return True
        return True


class _IdsFirstMap(Map):
    def bind(self, *args, **kwargs):
        adapter = super().bind(*args, **kwargs)
        adapter.__class__ = _IdsFirstAdapter
        return adapter

    def bind_to_environ(self, *args, **kwargs):  # werkzeug calls Map.bind itself here
        adapter = super().bind_to_environ(*args, **kwargs)
        adapter.__class__ = _IdsFirstAdapter
        return adapter


def register(app) -> None:
    app.url_map.__class__ = _IdsFirstMap  # Flask made the map (with its static rule) already
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["fy"] = FiscalYearConverter
    app.request_class = CleanRequest
