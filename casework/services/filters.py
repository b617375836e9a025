"""The filters of list pages, said once: a blank filter (None, "", 0) narrows nothing."""
from __future__ import annotations


def where_equal(stmt, *pairs):
    """Rows whose column equals each given value: `where_equal(stmt, (Case.center_id, 3), ...)`."""
    for column, value in pairs:
        if value:
            stmt = stmt.where(column == value)
    return stmt


def where_within(stmt, column, first=None, last=None):
    """Rows whose (date) column is within [first, last]; either end may be open."""
    if first:
        stmt = stmt.where(column >= first)
    if last:
        stmt = stmt.where(column <= last)
    return stmt
