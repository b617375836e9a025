"""Frozen copy of casework/month_changes.py as revision 0015 installed it (migrations/README,
rule 2: never edited; a changed trigger is a new file and a new revision).

Triggers that add 1 to report_month_changes for every change to a closed month's consultations,
their themes, or a client's voiding or industry (reporting/rollup.py: stored months go stale).
"""
from __future__ import annotations

TRIGGERS = ("report_changes_consultations_ai", "report_changes_consultations_au", "report_changes_consultations_ad",
            "report_changes_themes_ai", "report_changes_themes_ad", "report_changes_clients_au")

_SQLITE_CLOSED = "date('now', 'start of month')"
_SQLITE_NOTE = "INSERT INTO report_month_changes(month, changes)"
_SQLITE_BUMP = "ON CONFLICT(month) DO UPDATE SET changes = changes + 1"  # (an upsert's SELECT needs a WHERE)


def _sqlite_day(day: str, unless_month_of: str | None = None) -> str:
    """Note the month of one day (NEW.held_on / OLD.held_on) when it is closed (and not the
    month of the other day, noted already)."""
    other = f"strftime('%Y-%m', {day}) <> strftime('%Y-%m', {unless_month_of}) AND " if unless_month_of else ""
    return f"{_SQLITE_NOTE} SELECT strftime('%Y-%m', {day}), 1 WHERE {other}{day} < {_SQLITE_CLOSED} {_SQLITE_BUMP};"


def _sqlite_days(source: str) -> str:
    """Note the closed months of the consultations a WHERE clause picks."""
    return (f"{_SQLITE_NOTE} SELECT strftime('%Y-%m', held_on), 1 FROM consultations "
            f"WHERE {source} AND held_on < {_SQLITE_CLOSED} GROUP BY 1 {_SQLITE_BUMP};")


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

# PostgreSQL: one function notes a day's month; months are noted in order (two writers that
# change the same old months never wait for each other crosswise).
_PG_CREATE = [
    """CREATE OR REPLACE FUNCTION report_note_months(days date[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO report_month_changes(month, changes)
        SELECT to_char(d, 'YYYY-MM'), 1 FROM unnest(days) AS d
        WHERE d < date_trunc('month', now() AT TIME ZONE 'UTC')::date
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (month) DO UPDATE SET changes = report_month_changes.changes + 1
    $$""",
    """CREATE OR REPLACE FUNCTION report_changes_consultations() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN PERFORM report_note_months(ARRAY[NEW.held_on]);
        ELSIF TG_OP = 'UPDATE' THEN PERFORM report_note_months(ARRAY[OLD.held_on, NEW.held_on]);
        ELSE PERFORM report_note_months(ARRAY[OLD.held_on]);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION report_changes_themes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            PERFORM report_note_months(ARRAY(SELECT held_on FROM consultations WHERE id = OLD.consultation_id));
        ELSE
            PERFORM report_note_months(ARRAY(SELECT held_on FROM consultations WHERE id = NEW.consultation_id));
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION report_changes_clients() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM report_note_months(ARRAY(SELECT held_on FROM consultations WHERE client_id = NEW.id));
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS report_changes_consultations ON consultations",
    """CREATE TRIGGER report_changes_consultations AFTER INSERT OR UPDATE OR DELETE ON consultations
        FOR EACH ROW EXECUTE FUNCTION report_changes_consultations()""",
    "DROP TRIGGER IF EXISTS report_changes_themes ON consultation_themes",
    """CREATE TRIGGER report_changes_themes AFTER INSERT OR DELETE ON consultation_themes
        FOR EACH ROW EXECUTE FUNCTION report_changes_themes()""",
    "DROP TRIGGER IF EXISTS report_changes_clients ON clients",
    """CREATE TRIGGER report_changes_clients AFTER UPDATE OF voided_at, industry_code, industry_division_code ON clients
        FOR EACH ROW WHEN (OLD.voided_at IS DISTINCT FROM NEW.voided_at OR OLD.industry_code IS DISTINCT FROM
            NEW.industry_code OR OLD.industry_division_code IS DISTINCT FROM NEW.industry_division_code)
        EXECUTE FUNCTION report_changes_clients()""",
]
_PG_DROP = [
    "DROP TRIGGER IF EXISTS report_changes_consultations ON consultations",
    "DROP TRIGGER IF EXISTS report_changes_themes ON consultation_themes",
    "DROP TRIGGER IF EXISTS report_changes_clients ON clients",
    "DROP FUNCTION IF EXISTS report_changes_consultations()",
    "DROP FUNCTION IF EXISTS report_changes_themes()",
    "DROP FUNCTION IF EXISTS report_changes_clients()",
    "DROP FUNCTION IF EXISTS report_note_months(date[])",
]


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
        for name in TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    elif conn.dialect.name == "postgresql":
        for sql in _PG_DROP:
            conn.exec_driver_sql(sql)

