"""A canonical dump of a database: its schema objects and every row, for comparing what a
migration run produced (SQLite and PostgreSQL)."""
from __future__ import annotations

import base64
import datetime as dt
import decimal


def _value(v):
    if isinstance(v, (bytes, memoryview)):
        return "b64:" + base64.b64encode(bytes(v)).decode()
    if isinstance(v, (dt.date, dt.datetime, dt.time, decimal.Decimal)):
        return v.isoformat() if hasattr(v, "isoformat") else str(v)
    return v


def _rows(conn, table: str, quote: str = '"') -> list[list]:
    result = conn.exec_driver_sql(f"SELECT * FROM {quote}{table}{quote}")
    rows = [[_value(v) for v in row] for row in result]
    return sorted(rows, key=repr)


def dump(conn, *, rows: bool = True, skip_tables: tuple[str, ...] = ()) -> dict:
    if conn.dialect.name == "sqlite":
        objects = [list(r) for r in conn.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")]
        tables = [r[1] for r in objects if r[0] == "table"]
        out = {"objects": objects}
    else:
        out = {
            "columns": [list(r) for r in conn.exec_driver_sql(
                "SELECT table_name, ordinal_position, column_name, data_type, character_maximum_length, "
                "numeric_precision, numeric_scale, is_nullable, column_default FROM information_schema.columns "
                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")],
            "indexes": [list(r) for r in conn.exec_driver_sql(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname")],
            "constraints": [list(r) for r in conn.exec_driver_sql(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2")],
            "sequences": [list(r) for r in conn.exec_driver_sql(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")],
            "triggers": [list(r) for r in conn.exec_driver_sql(
                "SELECT event_object_table, trigger_name, action_statement FROM information_schema.triggers "
                "WHERE trigger_schema = 'public' ORDER BY 1, 2")],
            "extensions": [list(r) for r in conn.exec_driver_sql(
                "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1")],
        }
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
    if rows:
        out["rows"] = {t: _rows(conn, t) for t in tables if t not in skip_tables}
    return out
