"""Engine tuning: SQLite gets WAL, foreign keys, a busy timeout and immediate write transactions."""
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Read-only requests (GET/HEAD) begin deferred so they never take the write lock;
# everything else (POSTs, CLI, jobs) begins IMMEDIATE so two writers never deadlock on upgrade.
immediate_transactions: ContextVar[bool] = ContextVar("immediate_transactions", default=True)


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # reports scan a few hundred thousand rows: keep pages in memory, read the file by mmap
            cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB per connection
            cursor.execute("PRAGMA mmap_size = 1073741824")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate_transactions.get() else "BEGIN")


# Tables the app database holds but the models do not declare: APScheduler's job store creates
# and owns its own table (see casework/commands/scheduler.py). Migrations leave it alone.
FOREIGN_TABLE_PREFIXES = ("apscheduler_",)


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic hook: skip tables owned by other libraries when comparing or autogenerating, and
    the client search index (FTS5 tables, pg_trgm index: see casework/searchindex.py)."""
    from . import searchindex

    if not searchindex.include_object(obj, name, type_, reflected, compare_to):
        return False
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not (table or "").startswith(FOREIGN_TABLE_PREFIXES)
