"""Database triggers that note a change to a closed month's counted records in report_month_changes.

The stored monthly figures (reporting/rollup.py) are right only while the records they were
counted from stay as they were. Triggers see every write whatever made it — the app, an import's
bulk inserts, a merge's SQL moves, a restore, SQL typed by hand — where Python hooks would miss
some: a consultation inserted, changed (its month, center, channel, program, client or voiding)
or deleted, a theme added to or taken from it, and a client voided or given another industry
(records of voided clients do not count; 主な業種 counts by the client's industry) add 1 to the
month's change count (a change, not a row: an update of 1,000 records of May adds 1 on
PostgreSQL, which triggers per statement, and 1,000 on SQLite, which triggers per row; either way
May is stale).

Which months: on SQLite, the months stored (report_rollup_months): one index probe per row, so an
import of old records into months nobody stored costs next to nothing. That is safe because
SQLite has one writer at a time: a refresh storing May holds the write lock from its first read
(or, begun deferred, could not write after another commit), so no write slips between its count
and its store. On PostgreSQL writers overlap: a record committed while a refresh counts may miss
its count, so every closed month's change is noted — months before the current UTC month (none
from it on is stored: the app stores a month from the 2nd of the next month, Japan time, which is
never earlier), so today's writers never queue on one shared row.

install() is idempotent and called by create_all (tests, benchmarks) through the hook below;
revision 0015 installs the same SQL from its frozen copy, migrations/frozen/report_month_changes_v1.py.
"""
from __future__ import annotations

from sqlalchemy import event

SQLITE_TRIGGERS = ("report_changes_consultations_ai", "report_changes_consultations_au", "report_changes_consultations_ad",
            "report_changes_themes_ai", "report_changes_themes_ad", "report_changes_clients_au")

_SQLITE_NOTE = "INSERT INTO report_month_changes(month, changes)"
_SQLITE_BUMP = "ON CONFLICT(month) DO UPDATE SET changes = changes + 1"  # (an upsert's SELECT needs a WHERE)


def _sqlite_stored(day: str) -> str:
    return f"EXISTS (SELECT 1 FROM report_rollup_months WHERE month = strftime('%Y-%m', {day}))"


def _sqlite_day(day: str, unless_month_of: str | None = None) -> str:
    """Note the month of one day (NEW.held_on / OLD.held_on) when it is stored (and not the
    month of the other day, noted already)."""
    other = f"strftime('%Y-%m', {day}) <> strftime('%Y-%m', {unless_month_of}) AND " if unless_month_of else ""
    return f"{_SQLITE_NOTE} SELECT strftime('%Y-%m', {day}), 1 WHERE {other}{_sqlite_stored(day)} {_SQLITE_BUMP};"


def _sqlite_days(source: str) -> str:
    """Note the stored months of the consultations a WHERE clause picks."""
    return (f"{_SQLITE_NOTE} SELECT strftime('%Y-%m', held_on), 1 FROM consultations "
            f"WHERE {source} AND {_sqlite_stored('held_on')} GROUP BY 1 {_SQLITE_BUMP};")


# One plain statement per trigger where it can be: an import inserts thousands of rows.
_SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS report_changes_consultations_ai AFTER INSERT ON consultations BEGIN
        {_sqlite_day("NEW.held_on")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS report_changes_consultations_au AFTER UPDATE ON consultations BEGIN
        {_sqlite_day("OLD.held_on")}
        {_sqlite_day("NEW.held_on", unless_month_of="OLD.held_on")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS report_changes_consultations_ad AFTER DELETE ON consultations BEGIN
        {_sqlite_day("OLD.held_on")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS report_changes_themes_ai AFTER INSERT ON consultation_themes BEGIN
        {_sqlite_days("id = NEW.consultation_id")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS report_changes_themes_ad AFTER DELETE ON consultation_themes BEGIN
        {_sqlite_days("id = OLD.consultation_id")}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS report_changes_clients_au
        AFTER UPDATE OF voided_at, industry_code, industry_division_code ON clients
        WHEN OLD.voided_at IS NOT NEW.voided_at OR OLD.industry_code IS NOT NEW.industry_code
          OR OLD.industry_division_code IS NOT NEW.industry_division_code
    BEGIN
        {_sqlite_days("client_id = NEW.id")}
    END""",
]

# PostgreSQL: statement-level triggers reading the statement's transition tables. A row-level
# trigger would update the one row of a month once per record: an import's 25,000 rows of old
# months left 25,000 versions of that row in one transaction, each update slower than the last.
# Months are noted in order, so two writers changing the same old months never wait crosswise.
_PG_CLOSED = "date_trunc('month', now() AT TIME ZONE 'UTC')::date"


def _pg_note(days_sql: str) -> str:
    return (f"INSERT INTO report_month_changes(month, changes) SELECT to_char(d, 'YYYY-MM'), 1 "
            f"FROM ({days_sql}) AS days WHERE d < {_PG_CLOSED} GROUP BY 1 ORDER BY 1 "
            "ON CONFLICT (month) DO UPDATE SET changes = report_month_changes.changes + 1;")


_PG_TRIGGERS = {  # name: (table, event, transition tables, days of the changed rows)
    "report_changes_consultations_ins": ("consultations", "INSERT", "NEW TABLE AS new_rows",
                                         "SELECT held_on AS d FROM new_rows"),
    "report_changes_consultations_upd": ("consultations", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                                         "SELECT held_on AS d FROM old_rows UNION SELECT held_on FROM new_rows"),
    "report_changes_consultations_del": ("consultations", "DELETE", "OLD TABLE AS old_rows",
                                         "SELECT held_on AS d FROM old_rows"),
    "report_changes_themes_ins": ("consultation_themes", "INSERT", "NEW TABLE AS new_rows",
                                  "SELECT c.held_on AS d FROM new_rows t JOIN consultations c ON c.id = t.consultation_id"),
    "report_changes_themes_del": ("consultation_themes", "DELETE", "OLD TABLE AS old_rows",
                                  "SELECT c.held_on AS d FROM old_rows t JOIN consultations c ON c.id = t.consultation_id"),
    # (a trigger with transition tables cannot name its columns: the changed ones are picked here)
    "report_changes_clients_upd": ("clients", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                                   "SELECT c.held_on AS d FROM new_rows n JOIN old_rows o ON o.id = n.id "
                                   "JOIN consultations c ON c.client_id = n.id "
                                   "WHERE o.voided_at IS DISTINCT FROM n.voided_at OR o.industry_code IS DISTINCT FROM "
                                   "n.industry_code OR o.industry_division_code IS DISTINCT FROM n.industry_division_code"),
}
_PG_CREATE = []
_PG_DROP = []
for _name, (_table, _event, _tables, _days) in _PG_TRIGGERS.items():
    _PG_CREATE += [
        f"""CREATE OR REPLACE FUNCTION {_name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_pg_note(_days)}
            RETURN NULL;
        END $$""",
        f"DROP TRIGGER IF EXISTS {_name} ON {_table}",
        f"CREATE TRIGGER {_name} AFTER {_event} ON {_table} REFERENCING {_tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_name}()",
    ]
    _PG_DROP += [f"DROP TRIGGER IF EXISTS {_name} ON {_table}", f"DROP FUNCTION IF EXISTS {_name}()"]


def install(conn) -> None:
    if conn.dialect.name == "sqlite":
        statements = _SQLITE_CREATE
    elif conn.dialect.name == "postgresql":
        statements = _PG_CREATE
    else:
        return
    for sql in statements:
        conn.exec_driver_sql(sql)


def uninstall(conn) -> None:
    if conn.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    elif conn.dialect.name == "postgresql":
        for sql in _PG_DROP:
            conn.exec_driver_sql(sql)


def register(metadata) -> None:
    """Install the triggers whenever metadata.create_all has created the tables they watch."""
    event.listen(metadata, "after_create", lambda target, connection, **kw: install(connection))
    event.listen(metadata, "before_drop", lambda target, connection, **kw: uninstall(connection))
