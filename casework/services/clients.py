"""Clients: registration, edits, voiding, search and duplicate detection."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Text, and_, cast, column, func, literal_column, or_, select, table
from sqlalchemy.dialects import postgresql

from .. import searchindex
from ..access import client_filter
from ..extensions import db
from ..models import CLIENT_KINDS, Client, Industry, IndustryDivision, Municipality, User
from ..textnorm import client_search_text, fold, valid_corporate_number
from . import audit
from .errors import Checks
from .filters import where_equal
from .locking import apply_values
from .voiding import void_record
from ..searchindex import search_terms

CORPORATE_NUMBER_WRONG = "法人番号が正しくありません（13桁・チェックディジットを確認してください）。"


@dataclass
class ClientData:
    name: str
    kind: str = "corporation"
    name_kana: str | None = None
    corporate_number: str | None = None
    industry_code: str | None = None
    industry_division_code: str | None = None  # JSIC 中分類 (主な業種 as the report prints it)
    municipality_code: str | None = None
    address: str | None = None
    employees: int | None = None
    representative: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    notes: str | None = None

    def cleaned(self) -> dict:
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in self.__dict__.items()}
        values = {k: (None if v == "" else v) for k, v in values.items()}
        checks = Checks()  # every problem at once, each beside its field
        if not values["name"]:
            checks.fail("名称を入力してください。", "name")
        if values["kind"] not in CLIENT_KINDS:
            checks.fail("区分が不正です。", "kind")
        number = values["corporate_number"]
        if number is not None:
            number = number.replace("-", "").replace(" ", "")
            if not valid_corporate_number(number):
                checks.fail(CORPORATE_NUMBER_WRONG, "corporate_number")
            values["corporate_number"] = number
        if values["employees"] is not None and values["employees"] < 0:
            checks.fail("従業員数は0以上にしてください。", "employees")
        if values["industry_code"] and not db.session.get(Industry, values["industry_code"]):
            checks.fail("業種が見つかりません。", "industry_code")
        if values["industry_division_code"]:
            division = db.session.get(IndustryDivision, values["industry_division_code"])
            if division is None:
                checks.fail("業種（中分類）が見つかりません。", "industry_division_code")
            elif values["industry_code"] is None:
                values["industry_code"] = division.major_code  # the middle division names its major
            elif values["industry_code"] != division.major_code:
                checks.fail("中分類が大分類と合いません（中分類に合う大分類を選ぶか、大分類を空欄にしてください）。",
                            "industry_division_code")
        if values["municipality_code"] and not db.session.get(Municipality, values["municipality_code"]):
            checks.fail("市町村が見つかりません。", "municipality_code")
        checks.raise_if_any()
        return values


def register_client(data: ClientData, by: User | None = None, ref: str | None = None) -> Client:
    values = data.cleaned()
    client = Client(ref=ref, created_by_id=getattr(by, "id", None), **values)
    client.search_text = client_search_text(client.name, client.name_kana, client.corporate_number)
    db.session.add(client)
    db.session.flush()
    audit.record("create", client, user=by, detail={"name": client.name})
    return client


def update_client(client: Client, data: ClientData, *, expected_version: int | None, by: User | None = None) -> Client:
    values = data.cleaned()
    apply_values(client, values, expected_version=expected_version, by=by)
    client.search_text = client_search_text(client.name, client.name_kana, client.corporate_number)
    return client


def void_client(client: Client, reason: str, by: User, *, expected_version: int | None = None) -> list:
    return void_record(client, reason, by, expected_version=expected_version)


def search_query(user: User, q: str | None = None, kind: str | None = None, municipality: str | None = None,
                 industry: str | None = None):
    """Substring search over folded name, kana and 法人番号, limited to what the user may see."""
    stmt = select(Client).where(Client.voided_at.is_(None), client_filter(user))
    terms = search_terms(q)  # each word must match
    if terms:
        stmt = stmt.where(search_text_matches(terms))
    stmt = where_equal(stmt, (Client.kind, kind), (Client.municipality_code, municipality),
                       (Client.industry_code, industry))
    return stmt.order_by(Client.id.desc())


def search_text_matches(terms: list[str]):
    """WHERE clause: clients.search_text contains every (folded) term.

    A term matches where it occurs in search_text (LIKE '%term%'); the indexes only find the
    candidates, the results are exactly LIKE's.
    SQLite: terms of 3+ characters go through the FTS5 trigram index (clients_fts), whose match
    is that substring test; 2-character terms through the bigram index (clients_bigram_fts),
    then LIKE.
    PostgreSQL: LIKE, which the pg_trgm GIN index serves for 3+ characters; 2-character terms
    ask the bigram GIN index (casework_bigrams(search_text) @> ARRAY[...]) and strpos instead:
    pg_trgm finds no trigram in a 2-character pattern and would read the whole index.
    1-character terms: LIKE alone.
    """
    dialect = db.session.get_bind().dialect.name
    long_terms = [t for t in terms if len(t) >= searchindex.MIN_TRIGRAM]
    two_char = [t for t in terms if searchindex.bigram_indexable(t)]
    conditions = []
    if dialect == "sqlite":
        for fts_table, indexed in ((searchindex.FTS_TABLE, long_terms), (searchindex.BIGRAM_FTS_TABLE, two_char)):
            if indexed:
                fts = table(fts_table, column("rowid"))
                conditions.append(Client.id.in_(select(fts.c.rowid).where(literal_column(fts_table).op("MATCH")(
                    searchindex.fts_match_string(indexed)))))
        terms = [t for t in terms if len(t) < searchindex.MIN_TRIGRAM]
    elif dialect == "postgresql" and two_char:
        conditions.append(func.casework_bigrams(Client.search_text).op("@>")(
            cast(two_char, postgresql.ARRAY(Text))))
        # strpos, not LIKE: the same substring test, which pg_trgm cannot serve. A generic plan
        # (a prepared statement run 5+ times) would AND in the trigram index's scan of all of
        # itself for a LIKE of 2 characters, and recheck casework_bigrams() per row (120 + 150 ms).
        conditions += [func.strpos(Client.search_text, t) > 0 for t in two_char]
        terms = [t for t in terms if t not in two_char]
    for term in terms:
        conditions.append(Client.search_text.like("%" + _escape_like(term) + "%", escape="\\"))
    return and_(*conditions)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def likely_duplicates(user: User, name: str, name_kana: str | None = None, corporate_number: str | None = None,
                      exclude_id: int | None = None, limit: int = 5) -> list[Client]:
    """Clients that look like the one being registered: same 法人番号, or the same folded name
    or kana once legal-form words (株式会社, 有限会社, ...) are removed."""
    stmt = _duplicates_query(name, name_kana, corporate_number, exclude_id)
    if stmt is None:
        return []
    return list(db.session.scalars(stmt.where(client_filter(user)).order_by(Client.id).limit(limit)))


def hidden_duplicates(user: User, name: str, name_kana: str | None = None, corporate_number: str | None = None,
                      exclude_id: int | None = None) -> int:
    """How many look-alike clients exist that this user may not see (known only to a
    confidential center): the form warns without saying who they are."""
    stmt = _duplicates_query(name, name_kana, corporate_number, exclude_id)
    visible = client_filter(user)
    if stmt is None or visible is True:  # nothing is hidden from this user
        return 0
    return db.session.scalar(select(func.count()).select_from(stmt.where(~visible).subquery()))


def _duplicates_query(name, name_kana, corporate_number, exclude_id):
    conditions = []
    if corporate_number:
        conditions.append(Client.corporate_number == corporate_number.replace("-", ""))
    for text in (name, name_kana):
        core = _core_name(text)
        if len(core) >= 2:
            conditions.append(Client.search_text.contains(core, autoescape=True))
    if not conditions:
        return None
    stmt = select(Client).where(Client.voided_at.is_(None), or_(*conditions))
    return stmt.where(Client.id != exclude_id) if exclude_id else stmt


def tell_admins_of_hidden_duplicate(client: Client, by: User | None) -> None:
    """A client registered although a look-alike exists that the registering staff may not see:
    the administrators are told, so that one of them checks it (and merges if it is the same)."""
    from ..dates import today_jst
    from .reminders import Item, record_link, save_items, staff_with

    save_items([Item(admin.id, "duplicate_check", f"client:{client.id}:duplicate",
                     f"重複の確認: 「{client.name}」に似た相談先があります",
                     f"{by.name if by else ''}さんが登録しました（本人には見えないセンターの相談先と似ています）。"
                     "同じ相談先なら統合してください。", record_link("client", client.id, client_id=client.id), None)
                for admin in staff_with("records.all_centers")], today_jst())


_LEGAL_FORMS = [fold(w) for w in ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)", "(同)",
                                   "カブシキガイシャ", "ユウゲンガイシャ", "ゴウドウガイシャ")]


def _core_name(text: str | None) -> str:
    s = fold(text)
    for word in _LEGAL_FORMS:
        s = s.replace(word, "")
    return s


def count_clients(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Client).where(Client.voided_at.is_(None), client_filter(user)))
