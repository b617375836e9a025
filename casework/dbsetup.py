"""Engine tuning: SQLite gets WAL, foreign keys, a busy timeout and immediate write transactions
(taken at the request's first write for views that check a form first)."""
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Read-only requests (GET/HEAD) begin deferred so they never take the write lock;
# everything else (POSTs, CLI, jobs) begins IMMEDIATE so two writers never deadlock on upgrade.
immediate_transactions: ContextVar[bool] = ContextVar("immediate_transactions", default=True)
# …except a request whose view checks its form first (unit_of_work.checks_before_writing): it
# begins deferred and takes the write lock when it starts writing (take_write_lock), so SQLite's
# one lock is held over the service's reads and writes only, not over the form's checks.
write_lock_later: ContextVar[bool] = ContextVar("write_lock_later", default=False)

READING = "_cw_reading"  # connection.info: its transaction began deferred in a write_lock_later request


def take_write_lock(conn) -> None:
    """End this connection's deferred read transaction and begin an IMMEDIATE one (waiting for
    the write lock, busy_timeout). A deferred transaction that read and then writes fails at once
    with "database is locked" when another connection committed meanwhile; a fresh IMMEDIATE
    one cannot. The read transaction wrote nothing, so ending it loses nothing (the unit of work's
    records read in it are read again: unit_of_work.begin_writing)."""
    if conn.info.pop(READING, False):
        dbapi = conn.connection.dbapi_connection
        dbapi.execute("COMMIT")
        dbapi.execute("BEGIN IMMEDIATE")


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
        conn.info.pop(READING, None)  # (a transaction that ended reading left it)
        immediate = immediate_transactions.get()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        if not immediate and write_lock_later.get():
            conn.info[READING] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(conn, _cursor, statement, _parameters, _context, _executemany):
        # whatever writes first in a write_lock_later request (a flush, a Core UPDATE) takes the lock
        if conn.info.get(READING) and not statement.lstrip()[:6].upper() == "SELECT":
            take_write_lock(conn)


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
