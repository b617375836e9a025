"""Keyset pages: every row exactly once across pages, ties on the date broken by id, a bad
cursor falls back to the first page, and the total is counted on the first page only."""
import datetime as dt

from sqlalchemy import select

from casework.models import Case
from casework.pagination import decode, encode, keyset_paginate

from .conftest import text_of


def test_pages_cover_every_row_once_with_ties(app, make):
    client = make.client()
    for day in (1, 1, 1, 2, 2, 3, 5):
        make.case(client, opened_on=dt.date(2024, 4, day))
    stmt = select(Case)
    seen, after, number = [], None, 1
    while True:
        page = keyset_paginate(stmt, [Case.opened_on, Case.id], after=after, per_page=3, number=number)
        assert (page.total is not None) == (after is None)
        seen += [(k.opened_on, k.id) for k in page.items]
        if not page.has_next:
            break
        after, number = page.next_cursor, number + 1
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 7 and number == 3


def test_cursor_round_trip_and_bad_cursors(app):
    cols = [Case.opened_on, Case.id]
    assert decode(encode([dt.date(2024, 4, 1), 12]), cols) == [dt.date(2024, 4, 1), 12]
    for bad in ("", "2024-04-01", "yesterday~1", "2024-04-01~x", "2024-04-01~1~2"):
        assert decode(bad, cols) is None


def test_bad_cursor_in_the_url_shows_the_first_page(client, logged_in, make):
    make.case(make.client("カーソル商店"))
    page = text_of(client.get("/cases/?after=garbage&n=9"))
    assert "カーソル商店" in page and "全1件" in page


def test_case_list_search_uses_the_index(client, logged_in, make):
    make.case(make.client("株式会社りんご加工", name_kana="リンゴカコウ"))
    make.case(make.client("ホタテ水産", name_kana="ホタテスイサン"))
    page = text_of(client.get("/cases/?q=りんご加工"))
    assert "株式会社りんご加工" in page and "ホタテ水産" not in page
