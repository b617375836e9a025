"""The client search index: substring search over clients.search_text that stays fast at 100k+.

- SQLite: an FTS5 table with the trigram tokenizer (external content = clients), kept in sync by
  triggers. A term of 3+ characters is looked up in the index.
- PostgreSQL: a pg_trgm GIN index on clients.search_text; LIKE '%term%' uses it as it is.
  When the pg_trgm extension cannot be created, search still works (sequential LIKE) and
  install() says so in the log.
- 2-character terms (津軽, 青森), which no trigram serves, have a bigram index: on SQLite a
  contentless FTS5 table whose document is the space-separated 2-grams of search_text, built by
  triggers on clients with the numbers table search_positions (a trigger cannot use a recursive
  CTE); on PostgreSQL a GIN index on casework_bigrams(search_text), the text[] of its 2-grams.
  The index only narrows: the LIKE stays, so results are exactly LIKE's. 1-character terms use
  LIKE alone.

install() is idempotent: it is called by create_all (tests, benchmarks) through the after_create
hook below. Migrations never import this module: 0003 uses the frozen copy
migrations/frozen/clients_search_v1.py, whose after_clients_rebuild() any later migration that
rebuilds the clients table in SQLite batch mode must call (migrations/README, rule 3).
"""
from __future__ import annotations

import logging

from sqlalchemy import event

log = logging.getLogger(__name__)

FTS_TABLE = "clients_fts"
TRGM_INDEX = "ix_clients_search_text_trgm"
MIN_TRIGRAM = 3
BIGRAM_FTS_TABLE = "clients_bigram_fts"
POSITIONS_TABLE = "search_positions"
MAX_POSITION = 2000  # 2-grams past this character of search_text are not indexed on SQLite (it holds ≤ ~420)
BIGRAM_FUNCTION = "casework_bigrams"
BIGRAM_INDEX = "ix_clients_search_bigrams"


def _sqlite_bigram_document(text: str) -> str:
    return (f"(SELECT group_concat(substr({text}, n, 2), ' ') FROM {POSITIONS_TABLE} "
            f"WHERE n < length({text}))")


# unicode61 keeps CJK and kana as word characters, so each 2-gram of letters/digits is one token;
# a 2-gram holding a space or punctuation splits into shorter tokens no 2-character query asks for
# (such a term is looked up by LIKE alone, see bigram_indexable). remove_diacritics 0: は ≠ ば.
_SQLITE_BIGRAM_CREATE = [
    f"CREATE TABLE IF NOT EXISTS {POSITIONS_TABLE} (n INTEGER PRIMARY KEY)",
    f"INSERT OR IGNORE INTO {POSITIONS_TABLE} (n) "
    f"WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < {MAX_POSITION}) SELECT n FROM p",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {BIGRAM_FTS_TABLE} USING fts5("
    "bigrams, content='', detail=none, tokenize='unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER IF NOT EXISTS clients_bigram_ai AFTER INSERT ON clients BEGIN
        INSERT INTO {BIGRAM_FTS_TABLE}(rowid, bigrams) VALUES (new.id, {_sqlite_bigram_document('new.search_text')});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS clients_bigram_ad AFTER DELETE ON clients BEGIN
        INSERT INTO {BIGRAM_FTS_TABLE}({BIGRAM_FTS_TABLE}, rowid, bigrams)
            VALUES ('delete', old.id, {_sqlite_bigram_document('old.search_text')});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS clients_bigram_au AFTER UPDATE OF search_text ON clients BEGIN
        INSERT INTO {BIGRAM_FTS_TABLE}({BIGRAM_FTS_TABLE}, rowid, bigrams)
            VALUES ('delete', old.id, {_sqlite_bigram_document('old.search_text')});
        INSERT INTO {BIGRAM_FTS_TABLE}(rowid, bigrams) VALUES (new.id, {_sqlite_bigram_document('new.search_text')});
    END""",
    # (re)build: a contentless table has no 'rebuild'
    f"INSERT INTO {BIGRAM_FTS_TABLE}({BIGRAM_FTS_TABLE}) VALUES ('delete-all')",
    f"INSERT INTO {BIGRAM_FTS_TABLE}(rowid, bigrams) SELECT id, {_sqlite_bigram_document('clients.search_text')} "
    "FROM clients",
]
_SQLITE_BIGRAM_DROP = [
    "DROP TRIGGER IF EXISTS clients_bigram_ai",
    "DROP TRIGGER IF EXISTS clients_bigram_ad",
    "DROP TRIGGER IF EXISTS clients_bigram_au",
    f"DROP TABLE IF EXISTS {BIGRAM_FTS_TABLE}",
    f"DROP TABLE IF EXISTS {POSITIONS_TABLE}",
]
_PG_BIGRAM_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {BIGRAM_FUNCTION}(t text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
        $$ SELECT ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i) $$""",
    f"CREATE INDEX IF NOT EXISTS {BIGRAM_INDEX} ON clients USING gin ({BIGRAM_FUNCTION}(search_text))",
]
_PG_BIGRAM_DROP = [f"DROP INDEX IF EXISTS {BIGRAM_INDEX}", f"DROP FUNCTION IF EXISTS {BIGRAM_FUNCTION}(text)"]

_SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='clients', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS clients_fts_ai AFTER INSERT ON clients BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, coalesce(new.search_text, ''));
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS clients_fts_ad AFTER DELETE ON clients BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, coalesce(old.search_text, ''));
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS clients_fts_au AFTER UPDATE OF search_text ON clients BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, coalesce(old.search_text, ''));
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, coalesce(new.search_text, ''));
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS clients_fts_ai",
    "DROP TRIGGER IF EXISTS clients_fts_ad",
    "DROP TRIGGER IF EXISTS clients_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def install(conn) -> bool:
    """Create the index for conn's dialect. Returns False when only the LIKE fallback is available."""
    name = conn.dialect.name
    if name == "sqlite":
        for sql in _SQLITE_CREATE + _SQLITE_BIGRAM_CREATE:
            conn.exec_driver_sql(sql)
        return True
    if name == "postgresql":
        for sql in _PG_BIGRAM_CREATE:
            conn.exec_driver_sql(sql)
        if not trigram_available(conn):
            log.warning("pg_trgm is not available: client search falls back to a sequential LIKE scan "
                        "(ask the DBA for `CREATE EXTENSION pg_trgm`, then run `casework db upgrade` again)")
            return False
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON clients USING gin (search_text gin_trgm_ops)")
        return True
    return False


def uninstall(conn) -> None:
    if conn.dialect.name == "sqlite":
        for sql in _SQLITE_DROP + _SQLITE_BIGRAM_DROP:
            conn.exec_driver_sql(sql)
    elif conn.dialect.name == "postgresql":
        for sql in [f"DROP INDEX IF EXISTS {TRGM_INDEX}", *_PG_BIGRAM_DROP]:
            conn.exec_driver_sql(sql)


def trigram_available(conn) -> bool:
    """pg_trgm installed, or installable here (CREATE EXTENSION inside a savepoint)."""
    if conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").scalar():
        return True
    if not conn.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").scalar():
        return False
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return True
    except Exception as exc:  # no privilege: fall back to LIKE
        log.warning("CREATE EXTENSION pg_trgm failed: %s", exc)
        return False


def is_index_object(name: str | None, type_: str) -> bool:
    """True for the FTS5 tables and their shadow tables, the numbers table and the trigram and
    bigram indexes, which the models don't declare (alembic's compare_metadata / autogenerate
    must ignore them)."""
    return bool(name) and (any(name == t or name.startswith(t + "_") for t in (FTS_TABLE, BIGRAM_FTS_TABLE))
                           or name in (TRGM_INDEX, BIGRAM_INDEX, POSITIONS_TABLE))


def include_object(obj, name, type_, reflected, compare_to):
    """alembic include_object hook."""
    return not (reflected and compare_to is None and is_index_object(name, type_))


MAX_TERMS = 8  # words of a search beyond this are ignored (1,000 words: "Expression tree is too large")
MAX_TERM_LENGTH = 100  # characters of one word (longer is cut: no name is longer)


def search_terms(q: str | None, *, folded: bool = True) -> list[str]:
    """The words of a search box, as every search uses them: control characters (NUL…) and
    double quotes dropped, split on spaces (full-width too), folded (casework.textnorm.fold)
    unless folded=False, duplicates dropped, at most MAX_TERMS words of MAX_TERM_LENGTH."""
    from .textnorm import fold

    text = "".join(ch for ch in (q or "")[: MAX_TERMS * (MAX_TERM_LENGTH + 1) * 4] if ch.isprintable() or ch.isspace())
    terms = []
    for word in text.replace('"', " ").split():
        term = fold(word) if folded else word
        term = term[:MAX_TERM_LENGTH]
        if term and term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts_match_string(terms: list[str]) -> str:
    """An FTS5 query: every term as a quoted phrase (substring with the trigram tokenizer), ANDed."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def bigram_indexable(term: str) -> bool:
    """A 2-character term of letters or digits (the bigram index's tokens); others use LIKE alone."""
    return len(term) == 2 and term.isalnum()


def register(table) -> None:
    """Install the index whenever metadata.create_all creates the clients table."""
    event.listen(table, "after_create", lambda target, connection, **kw: install(connection))
    event.listen(table, "before_drop", lambda target, connection, **kw: uninstall(connection))

