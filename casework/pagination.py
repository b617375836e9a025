"""Keyset pagination for long lists: deep pages cost what the first page costs.

A page is asked for with ?after=<cursor>, the cursor being the sort key of the last row shown
(e.g. "2024-05-01~12345" for opened_on, id). The query adds `WHERE (sort key) < (cursor)` and
LIMIT per_page + 1, so no page ever skips rows with a large OFFSET (measured at 300k cases:
OFFSET deep pages ran at 14 req/s). The total is counted only on the first page, where it is a
single aggregate; later pages say where they are by the cursor, with a link back to the start.

The sort columns must end with a unique column (id) so the order is total; the list is ordered
by all of them in the same direction (the lists here are newest first: descending).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Date, DateTime, Integer, func, select, tuple_

from .extensions import db

SEPARATOR = "~"
MAX_PAGE = 1_000_000  # ?page= / ?n= above this are read as this (an empty page), never an overflow
_INT_LIMIT = 2**63 - 1  # a cursor's integer part outside 64 bits is malformed


def page_number(name: str = "page", args=None) -> int:
    """The page number of a query string argument: 1 when missing or not a number, at most
    MAX_PAGE (so OFFSET always fits the database's integers). Every list reads ?page= here
    (db.paginate included: casework.extensions)."""
    if args is None:
        from flask import has_request_context, request

        if not has_request_context():
            return 1
        args = request.args
    text = (args.get(name) or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text) > 7:
        return MAX_PAGE
    return min(max(int(text), 1), MAX_PAGE)


@dataclass
class KeysetPage:
    items: list
    per_page: int
    after: str | None = None  # the cursor this page starts after (None: first page)
    next_cursor: str | None = None
    total: int | None = None  # counted on the first page only
    number: int = 1  # page number when known (first page, or carried in ?n=)
    extra: dict = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def is_first(self) -> bool:
        return self.after is None

    @property
    def pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))


def encode(values) -> str:
    return SEPARATOR.join(v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else str(v) for v in values)


def decode(cursor: str | None, columns) -> list | None:
    """The cursor's values typed like the columns, or None when it is missing or malformed."""
    if not cursor or len(cursor) > 200 or not cursor.isascii():
        return None
    parts = cursor.split(SEPARATOR)
    if len(parts) != len(columns):
        return None
    values = []
    try:
        for part, column in zip(parts, columns):
            kind = column.type
            if isinstance(kind, DateTime):
                values.append(dt.datetime.fromisoformat(part))
            elif isinstance(kind, Date):
                values.append(dt.date.fromisoformat(part))
            elif isinstance(kind, Integer):
                number = int(part)
                if abs(number) > _INT_LIMIT:
                    return None
                values.append(number)
            else:
                values.append(part)
    except ValueError:
        return None
    return values


def keyset_paginate(stmt, columns, *, after: str | None = None, per_page: int = 25, count: bool = True,
                    number: int = 1, rows: bool = False) -> KeysetPage:
    """One page of stmt (a Select of one entity, without ORDER BY) in descending order of columns;
    with `rows`, a Select of columns whose rows (not the first column) are the page's items."""
    stmt = stmt.order_by(None)
    values = decode(after, columns)
    if values is None:
        after, number = None, 1
    total = None
    if count and after is None:
        total = db.session.scalar(select(func.count()).select_from(stmt.options().subquery()))
    page_stmt = stmt.order_by(*[c.desc() for c in columns]).limit(per_page + 1)
    if values is not None:
        page_stmt = page_stmt.where(tuple_(*columns) < tuple_(*values))
    items = list(db.session.execute(page_stmt) if rows else db.session.scalars(page_stmt))
    next_cursor = None
    if len(items) > per_page:
        items = items[:per_page]
        last = items[-1]
        next_cursor = encode(getattr(last, c.key) for c in columns)
    return KeysetPage(items=items, per_page=per_page, after=after, next_cursor=next_cursor, total=total, number=number)



def capped_paginate(stmt, *, page: int = 1, per_page: int = 25, cap: int = 1000):
    """A numbered page (Flask-SQLAlchemy's Pagination) whose total is counted up to cap + 1 rows.

    A frequent search term at 100k clients matches tens of thousands of rows; counting them all
    costs more than finding the page. The template says "1,000件以上" (page.capped) and the
    staff member narrows the search; page links still reach every counted row."""
    page = min(max(page or 1, 1), MAX_PAGE)
    found = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=False)
    limited = stmt.order_by(None).limit(cap + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(limited))
    found.capped = total > cap
    found.total = min(total, cap)
    return found
