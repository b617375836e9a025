"""clients.confidential_only, kept exact by database triggers.

A client is confidential-only when it is known to casework only through confidential records:
an unvoided 事業承継診断 (diagnosis), or an unvoided case in a confidential center or program, and
no unvoided case outside confidential centers and programs. Only such a client can be hidden
from a user (casework/access.py client_filter), so the search filter asks the costly rule of the
few flagged clients instead of every candidate.

The flag is kept by triggers rather than Python hooks, so every write path keeps it right: the
ORM, the legacy import's Core inserts, merge's SQL moves of records between clients, restoring
and voiding. Each trigger recomputes the flag of the clients concerned (never toggles it) and
writes only when it changes; it sets confidential_only alone, so it bumps neither the client's
version nor updated_at and fires no `AFTER UPDATE OF <other columns> ON clients` trigger.

On PostgreSQL this module also holds casework_client_hidden, client_filter's rule as a function
(see access._visible_clients_clause for why).

install() is idempotent: create_all calls it through the metadata hook (register); migrations use
the frozen copy in migrations/frozen/clients_search_v2.py.

A center's or program's confidential flag changes the flag of the clients with cases there.
(A program's center does not enter the flag: which confidential programs a user may not see is
asked by client_filter at query time.)
"""
from __future__ import annotations

from sqlalchemy import event


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


def install(conn) -> None:
    """Create the triggers (idempotent) and bring every flag up to date."""
    name = conn.dialect.name
    if name == "sqlite":
        for trigger, body in SQLITE_TRIGGERS.items():
            conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {trigger} {body}")
        conn.exec_driver_sql(backfill_sql(name))
    elif name == "postgresql":
        for function, body in PG_FUNCTIONS.items():
            conn.exec_driver_sql(f"CREATE OR REPLACE FUNCTION {function} {body}")
        for trigger, body in PG_TRIGGERS.items():
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {TRIGGER_TABLES[trigger]}")
            conn.exec_driver_sql(f"CREATE TRIGGER {trigger} {body}")
        conn.exec_driver_sql(backfill_sql(name))


def uninstall(conn) -> None:
    name = conn.dialect.name
    if name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    elif name == "postgresql":
        for trigger, table in TRIGGER_TABLES.items():
            if conn.exec_driver_sql(f"SELECT to_regclass('{table}')").scalar():  # (drop_all of a partial schema)
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in PG_FUNCTIONS:
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function.split('(')[0]}")


def register(metadata) -> None:
    """Install the triggers once create_all has made every table they name; drop them first on drop_all."""
    event.listen(metadata, "after_create", lambda target, connection, **kw: install(connection))
    event.listen(metadata, "before_drop", lambda target, connection, **kw: uninstall(connection))
