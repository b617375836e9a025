"""The client search index as migration 0014 left it (frozen: never edit; a changed index is a
new file, clients_search_v3.py, used by a new revision).

- The trigram index of clients_search_v1 (0003), unchanged: FTS5 trigram table + triggers
  (SQLite), pg_trgm GIN index (PostgreSQL).
- The bigram index for 2-character terms (0014): SQLite, a contentless FTS5 table
  clients_bigram_fts (unicode61) whose document is the space-separated 2-grams of search_text,
  kept by triggers on clients with the numbers table search_positions; PostgreSQL, the IMMUTABLE
  function casework_bigrams(text) → text[] and a GIN index on casework_bigrams(search_text).
- clients.confidential_only (0014), kept by triggers on cases, diagnoses, centers and programs.

A revision that rebuilds `clients` in SQLite batch mode must wrap the batch block:

    with load("clients_search_v2").clients_rebuild(op.get_bind()):
        with op.batch_alter_table("clients") as batch:
            ...

SQLite refuses to rename the rebuilt copy to `clients` while triggers on other tables name
`clients` (the confidential_only triggers); before_clients_rebuild() drops them, and
after_clients_rebuild() recreates every trigger and rebuilds both FTS indexes.

Revisions load this file by path, never through the casework package.
"""
from __future__ import annotations

import contextlib
import logging

log = logging.getLogger("alembic.runtime.migration")

# --- trigram index (as clients_search_v1) ----------------------------------------------------

FTS_TABLE = "clients_fts"
TRGM_INDEX = "ix_clients_search_text_trgm"

SQLITE_TRIGRAM_CREATE = [
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

# --- bigram index (0014) ---------------------------------------------------------------------

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
SQLITE_BIGRAM_CREATE = [
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
SQLITE_BIGRAM_DROP = [
    "DROP TRIGGER IF EXISTS clients_bigram_ai",
    "DROP TRIGGER IF EXISTS clients_bigram_ad",
    "DROP TRIGGER IF EXISTS clients_bigram_au",
    f"DROP TABLE IF EXISTS {BIGRAM_FTS_TABLE}",
    f"DROP TABLE IF EXISTS {POSITIONS_TABLE}",
]
PG_BIGRAM_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {BIGRAM_FUNCTION}(t text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
        $$ SELECT ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i) $$""",
    f"CREATE INDEX IF NOT EXISTS {BIGRAM_INDEX} ON clients USING gin ({BIGRAM_FUNCTION}(search_text))",
]
PG_BIGRAM_DROP = [f"DROP INDEX IF EXISTS {BIGRAM_INDEX}", f"DROP FUNCTION IF EXISTS {BIGRAM_FUNCTION}(text)"]


# --- clients.confidential_only (0014) --------------------------------------------------------

def flag_expression(client_id: str) -> str:
    """SQL: the flag of the client whose id is the SQL expression client_id (both dialects)."""
    return f"""(
        (EXISTS (SELECT 1 FROM diagnoses d WHERE d.client_id = {client_id} AND d.voided_at IS NULL)
         OR EXISTS (SELECT 1 FROM cases c WHERE c.client_id = {client_id} AND c.voided_at IS NULL
                    AND (c.center_id IN (SELECT id FROM centers WHERE confidential)
                         OR c.program_id IN (SELECT id FROM programs WHERE confidential))))
        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.client_id = {client_id} AND c.voided_at IS NULL
                        AND c.center_id NOT IN (SELECT id FROM centers WHERE confidential)
                        AND (c.program_id IS NULL
                             OR c.program_id NOT IN (SELECT id FROM programs WHERE confidential))))"""


def _sqlite_refresh(ids: str) -> str:
    """An UPDATE recomputing the flag of the clients whose id is in `ids` (an SQL list or subquery)."""
    flag = flag_expression("clients.id")
    return f"UPDATE clients SET confidential_only = {flag} WHERE clients.id IN {ids} AND confidential_only IS NOT {flag};"


SQLITE_TRIGGERS = {
    "cases_confidential_ai": f"AFTER INSERT ON cases BEGIN {_sqlite_refresh('(NEW.client_id)')} END",
    "cases_confidential_ad": f"AFTER DELETE ON cases BEGIN {_sqlite_refresh('(OLD.client_id)')} END",
    "cases_confidential_au": "AFTER UPDATE OF client_id, center_id, program_id, voided_at ON cases "
                             f"BEGIN {_sqlite_refresh('(OLD.client_id, NEW.client_id)')} END",
    "diagnoses_confidential_ai": f"AFTER INSERT ON diagnoses BEGIN {_sqlite_refresh('(NEW.client_id)')} END",
    "diagnoses_confidential_ad": f"AFTER DELETE ON diagnoses BEGIN {_sqlite_refresh('(OLD.client_id)')} END",
    "diagnoses_confidential_au": "AFTER UPDATE OF client_id, voided_at ON diagnoses "
                                 f"BEGIN {_sqlite_refresh('(OLD.client_id, NEW.client_id)')} END",
    "centers_confidential_au": "AFTER UPDATE OF confidential ON centers WHEN OLD.confidential IS NOT NEW.confidential "
                               f"BEGIN {_sqlite_refresh('(SELECT client_id FROM cases WHERE center_id = NEW.id)')} END",
    "programs_confidential_au": "AFTER UPDATE OF confidential ON programs WHEN OLD.confidential IS NOT NEW.confidential "
                                f"BEGIN {_sqlite_refresh('(SELECT client_id FROM cases WHERE program_id = NEW.id)')} END",
}

PG_REFRESH = "casework_refresh_confidential_only"
PG_HIDDEN = "casework_client_hidden"
PG_FUNCTIONS = {
    # client_filter's rule on PostgreSQL (access._hidden_by_rule on SQLite), a function so that
    # the planner costs it as one cheap call: as inline EXISTS subplans their estimated cost
    # (costed for every candidate, although the OR asks them only of flagged ones) turned JIT on.
    f"{PG_HIDDEN}(cid integer, hidden_centers integer[], hidden_programs integer[])": """RETURNS boolean
        LANGUAGE plpgsql STABLE AS $$
        BEGIN
            RETURN (EXISTS (SELECT 1 FROM cases c WHERE c.client_id = cid AND c.voided_at IS NULL
                            AND c.center_id = ANY (hidden_centers))
                    OR (cardinality(hidden_centers) > 0
                        AND EXISTS (SELECT 1 FROM diagnoses d WHERE d.client_id = cid AND d.voided_at IS NULL))
                    OR EXISTS (SELECT 1 FROM cases c WHERE c.client_id = cid AND c.voided_at IS NULL
                               AND c.program_id = ANY (hidden_programs)))
                AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.client_id = cid AND c.voided_at IS NULL
                                AND NOT c.center_id = ANY (hidden_centers)
                                AND (c.program_id IS NULL OR NOT c.program_id = ANY (hidden_programs)));
        END $$""",
    # The flag of the given clients, computed once each, written only where it changes.
    f"{PG_REFRESH}(ids integer[])": f"""RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE clients SET confidential_only = fresh.flag
            FROM (SELECT u.id, {flag_expression('u.id')} AS flag
                  FROM (SELECT DISTINCT unnest(ids) AS id) AS u) AS fresh
            WHERE clients.id = fresh.id AND clients.confidential_only IS DISTINCT FROM fresh.flag;
        END $$""",
    # cases and diagnoses, per statement over its transition tables (a row-level trigger ran the
    # refresh once per row: an import's bulk UPDATE of 5,000 cases took 8 s): the clients before
    # and after the change
    "casework_records_added_confidential_only()": f"""RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM {PG_REFRESH}(ARRAY(SELECT client_id FROM new_rows));
            RETURN NULL;
        END $$""",
    "casework_records_removed_confidential_only()": f"""RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM {PG_REFRESH}(ARRAY(SELECT client_id FROM old_rows));
            RETURN NULL;
        END $$""",
    **{f"casework_{table}_changed_confidential_only()": f"""RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM {PG_REFRESH}(ARRAY(
                SELECT unnest(ARRAY[o.client_id, n.client_id]) FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE {' OR '.join(f'o.{c} IS DISTINCT FROM n.{c}' for c in columns)}));
            RETURN NULL;
        END $$""" for table, columns in (("cases", ("client_id", "center_id", "program_id", "voided_at")),
                                          ("diagnoses", ("client_id", "voided_at")))},
    "casework_center_confidential_only()": f"""RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM {PG_REFRESH}(ARRAY(SELECT DISTINCT client_id FROM cases WHERE center_id = NEW.id));
            RETURN NULL;
        END $$""",
    "casework_program_confidential_only()": f"""RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM {PG_REFRESH}(ARRAY(SELECT DISTINCT client_id FROM cases WHERE program_id = NEW.id));
            RETURN NULL;
        END $$""",
}
PG_TRIGGERS = {
    # (a trigger with transition tables takes one event and no column list: the UPDATE's function
    # picks the rows whose counted columns changed)
    **{f"{table}_{event}_confidential_only": f"AFTER {event.upper()} ON {table} REFERENCING {tables} "
       f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
       for table in ("cases", "diagnoses")
       for event, tables, function in (
           ("insert", "NEW TABLE AS new_rows", "casework_records_added_confidential_only"),
           ("delete", "OLD TABLE AS old_rows", "casework_records_removed_confidential_only"),
           ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows", f"casework_{table}_changed_confidential_only"))},
    "centers_confidential_only": "AFTER UPDATE OF confidential ON centers FOR EACH ROW "
                                 "WHEN (OLD.confidential IS DISTINCT FROM NEW.confidential) "
                                 "EXECUTE FUNCTION casework_center_confidential_only()",
    "programs_confidential_only": "AFTER UPDATE OF confidential ON programs FOR EACH ROW "
                                  "WHEN (OLD.confidential IS DISTINCT FROM NEW.confidential) "
                                  "EXECUTE FUNCTION casework_program_confidential_only()",
}
TRIGGER_TABLES = {**{f"{table}_{event}_confidential_only": table for table in ("cases", "diagnoses")
                     for event in ("insert", "delete", "update")},
                  "centers_confidential_only": "centers", "programs_confidential_only": "programs"}


def backfill_sql(dialect: str) -> str:
    """One UPDATE setting every client's flag (the migration's backfill; install's too)."""
    flag = flag_expression("clients.id")
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    return f"UPDATE clients SET confidential_only = {flag} WHERE confidential_only {differs} {flag}"




# --- install / uninstall ---------------------------------------------------------------------

def install_search(conn) -> None:
    """Both search indexes (idempotent). Without pg_trgm, PostgreSQL keeps the bigram index only."""
    if conn.dialect.name == "sqlite":
        for sql in SQLITE_TRIGRAM_CREATE + SQLITE_BIGRAM_CREATE:
            conn.exec_driver_sql(sql)
    elif conn.dialect.name == "postgresql":
        for sql in PG_BIGRAM_CREATE:
            conn.exec_driver_sql(sql)
        if _trigram_available(conn):
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON clients USING gin (search_text gin_trgm_ops)")
        else:
            log.warning("pg_trgm is not available: client search falls back to a sequential LIKE scan "
                        "(ask the DBA for `CREATE EXTENSION pg_trgm`, then run `casework db upgrade` again)")


def install_bigrams(conn) -> None:
    """The bigram index alone (0014 adds it beside the trigram index, which stays as it is)."""
    for sql in SQLITE_BIGRAM_CREATE if conn.dialect.name == "sqlite" else PG_BIGRAM_CREATE:
        conn.exec_driver_sql(sql)


def uninstall_bigrams(conn) -> None:
    for sql in SQLITE_BIGRAM_DROP if conn.dialect.name == "sqlite" else PG_BIGRAM_DROP:
        conn.exec_driver_sql(sql)


def install_confidential(conn) -> None:
    """The confidential_only triggers (idempotent) and one UPDATE bringing every flag up to date."""
    name = conn.dialect.name
    if name == "sqlite":
        for trigger, body in SQLITE_TRIGGERS.items():
            conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {trigger} {body}")
    else:
        for function, body in PG_FUNCTIONS.items():
            conn.exec_driver_sql(f"CREATE OR REPLACE FUNCTION {function} {body}")
        for trigger, body in PG_TRIGGERS.items():
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {TRIGGER_TABLES[trigger]}")
            conn.exec_driver_sql(f"CREATE TRIGGER {trigger} {body}")
    conn.exec_driver_sql(backfill_sql(name))


def uninstall_confidential(conn) -> None:
    if conn.dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    else:
        for trigger, table in TRIGGER_TABLES.items():
            if conn.exec_driver_sql(f"SELECT to_regclass('{table}')").scalar():  # (drop_all of a partial schema)
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in PG_FUNCTIONS:
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function.split('(')[0]}")


def before_clients_rebuild(conn) -> None:
    """Call before a SQLite batch rebuild of `clients` (see the module's docstring)."""
    if conn.dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")


def after_clients_rebuild(conn) -> None:
    """Call after a batch rebuild of `clients`: the copy has no triggers and both FTS indexes are
    rebuilt from it (rowids = clients.id). PostgreSQL alters in place: only what is missing."""
    install_search(conn)
    install_confidential(conn)


@contextlib.contextmanager
def clients_rebuild(conn):
    before_clients_rebuild(conn)
    yield
    after_clients_rebuild(conn)


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
