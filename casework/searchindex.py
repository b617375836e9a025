"""The client search index: substring search over clients.search_text that stays fast at 100k+.

- SQLite: an FTS5 table with the trigram tokenizer (external content = clients), kept in sync by
  triggers. A term of 3+ characters is looked up in the index; shorter terms use LIKE.
- PostgreSQL: a pg_trgm GIN index on clients.search_text; LIKE '%term%' uses it as it is.
  When the pg_trgm extension cannot be created, search still works (sequential LIKE) and
  install() says so in the log.

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
        for sql in _SQLITE_CREATE:
            conn.exec_driver_sql(sql)
        return True
    if name == "postgresql":
        if not trigram_available(conn):
            log.warning("pg_trgm is not available: client search falls back to a sequential LIKE scan "
                        "(ask the DBA for `CREATE EXTENSION pg_trgm`, then run `casework db upgrade` again)")
            return False
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON clients USING gin (search_text gin_trgm_ops)")
        return True
    return False


def uninstall(conn) -> None:
    if conn.dialect.name == "sqlite":
        for sql in _SQLITE_DROP:
            conn.exec_driver_sql(sql)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


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
    """True for the FTS5 table and its shadow tables and the trigram index, which the models don't
    declare (alembic's compare_metadata / autogenerate must ignore them)."""
    return bool(name) and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_") or name == TRGM_INDEX)


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


def register(table) -> None:
    """Install the index whenever metadata.create_all creates the clients table."""
    event.listen(table, "after_create", lambda target, connection, **kw: install(connection))
    event.listen(table, "before_drop", lambda target, connection, **kw: uninstall(connection))

