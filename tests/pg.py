"""Test database selection: SQLite by default, PostgreSQL with CASEWORK_TEST_DATABASE_URL.

On PostgreSQL the schema and vocabularies are built once per session into a template database,
copied once into the session's test database, which is emptied back to the vocabularies after
each test (see _Database). Every test therefore starts from the same state as on SQLite.
"""
import atexit
import contextlib
import hashlib
import os
import uuid

_template: dict[str, str] = {}


def database_url(tmp_path):
    """Context manager yielding (url, prepared): prepared means the schema and vocabularies exist."""
    base = os.environ.get("CASEWORK_TEST_DATABASE_URL")
    if not base:
        return _sqlite(tmp_path)
    return _postgresql(base)


@contextlib.contextmanager
def _sqlite(tmp_path):
    yield f"sqlite:///{tmp_path / 'test.db'}", False


def _url(base, name):
    import sqlalchemy as sa

    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)


def _schema_hash() -> str:
    from sqlalchemy.schema import CreateTable

    from casework.extensions import db
    from casework import models  # noqa: F401  (declares every table)

    h = hashlib.sha1()
    for table in db.metadata.sorted_tables:
        h.update(str(CreateTable(table)).encode())
    return h.hexdigest()[:10]


def _template_name(base) -> str:
    """Build (once per session) a template database holding the schema and the vocabularies."""
    if base in _template:
        return _template[base]
    import sqlalchemy as sa

    from casework.extensions import db
    from casework.seed import seed_rows

    name = f"cw_template_{os.getpid()}_{_schema_hash()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = sa.create_engine(_url(base, name))
    with engine.begin() as conn:
        db.metadata.create_all(conn)
        for table_name, rows in seed_rows().items():
            if rows:
                conn.execute(sa.insert(db.metadata.tables[table_name]), rows)
        _advance_sequences(conn)
    engine.dispose()
    _template[base] = name

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    atexit.register(drop)
    return name


def _advance_sequences(conn) -> None:
    """Rows inserted with explicit ids leave their sequences behind: move them past max(id)."""
    from casework.extensions import db

    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement in (True, "auto"):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)")


_FINGERPRINT = """
    SELECT md5(coalesce(string_agg(c.relkind::text || ':' || c.relname::text, ',' ORDER BY c.relname), ''))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'S', 'v')
"""


class _Database:
    """One database per test session, emptied between tests (DELETE + vocabularies again, ~60 ms;
    CREATE DATABASE costs 0.4-1 s on a busy disk). A test that changed the schema (drop_all,
    `db upgrade`) gets a fresh copy of the template instead."""

    def __init__(self, base):
        import sqlalchemy as sa

        self.base = base
        self.template = _template_name(base)
        self.admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self.name = None
        self.fingerprint = None
        atexit.register(self.drop)
        self._fresh()

    def _fresh(self):
        import sqlalchemy as sa

        self.drop()
        self.name = f"cw_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
        self.engine = sa.create_engine(_url(self.base, self.name), poolclass=sa.pool.NullPool)
        with self.engine.connect() as conn:
            self.fingerprint = conn.exec_driver_sql(_FINGERPRINT).scalar()

    def drop(self):
        if self.name:
            self.engine.dispose()
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.name = None

    @property
    def url(self):
        return _url(self.base, self.name)

    def reset(self):
        """Back to schema + vocabularies, sequences restarted, as a fresh copy would be."""
        import sqlalchemy as sa

        from casework.extensions import db
        from casework.seed import seed_rows

        try:
            with self.engine.begin() as conn:
                if conn.exec_driver_sql(_FINGERPRINT).scalar() != self.fingerprint:
                    raise LookupError("schema changed")
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # no FK checks
                for table in reversed(db.metadata.sorted_tables):
                    conn.exec_driver_sql(f'DELETE FROM "{table.name}"')
                conn.exec_driver_sql("SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n "
                                     "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = 'public'")
                for table_name, rows in seed_rows().items():
                    if rows:
                        conn.execute(sa.insert(db.metadata.tables[table_name]), rows)
                _advance_sequences(conn)
        except Exception:  # schema changed, or not allowed to skip FK checks: a fresh copy
            self._fresh()


_databases: dict[str, _Database] = {}


@contextlib.contextmanager
def _postgresql(base):
    database = _databases.get(base) or _databases.setdefault(base, _Database(base))
    try:
        yield database.url, True
    finally:
        database.reset()
