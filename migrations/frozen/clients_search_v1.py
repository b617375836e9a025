"""The client search index as migration 0003 created it (frozen: never edit; a changed index is
a new file, clients_search_v2.py, used by a new revision).

- SQLite: an FTS5 table with the trigram tokenizer (external content = clients), kept in sync by
  three triggers on clients.
- PostgreSQL: a pg_trgm GIN index on clients.search_text (skipped, with a warning, when the
  extension cannot be created).

A revision that rebuilds `clients` in SQLite batch mode (op.batch_alter_table on SQLite copies the
table and drops the old one, and its triggers with it) must call after_clients_rebuild() after
the batch block; see migrations/README.

Revisions load this file by path (load() in the revision), never through the casework package.
"""
from __future__ import annotations

import logging

log = logging.getLogger("alembic.runtime.migration")

FTS_TABLE = "clients_fts"
TRGM_INDEX = "ix_clients_search_text_trgm"

SQLITE_TRIGGERS = [
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
]
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='clients', content_rowid='id', tokenize='trigram')",
    *SQLITE_TRIGGERS,
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS clients_fts_ai",
    "DROP TRIGGER IF EXISTS clients_fts_ad",
    "DROP TRIGGER IF EXISTS clients_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def install(conn) -> bool:
    """Create the index for conn's dialect (idempotent). False when only LIKE search is left."""
    name = conn.dialect.name
    if name == "sqlite":
        for sql in SQLITE_CREATE:
            conn.exec_driver_sql(sql)
        return True
    if name == "postgresql":
        if not _trigram_available(conn):
            log.warning("pg_trgm is not available: client search falls back to a sequential LIKE scan "
                        "(ask the DBA for `CREATE EXTENSION pg_trgm`, then run `casework db upgrade` again)")
            return False
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON clients USING gin (search_text gin_trgm_ops)")
        return True
    return False


def uninstall(conn) -> None:
    if conn.dialect.name == "sqlite":
        for sql in SQLITE_DROP:
            conn.exec_driver_sql(sql)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


def after_clients_rebuild(conn) -> None:
    """Call after a batch rebuild of `clients`: on SQLite the copy has no triggers, and the FTS
    index must be rebuilt from the new table (rowids = clients.id). PostgreSQL alters the table in
    place and keeps its index: nothing to do there except create it if it is missing."""
    install(conn)


def _trigram_available(conn) -> bool:
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
