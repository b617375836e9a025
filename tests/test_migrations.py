"""`casework db upgrade` on an empty database builds exactly the schema the models declare
(SecureDrop's test_alembic), with the vocabularies seeded."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from casework.dbsetup import include_object
from casework.extensions import db


def test_upgrade_from_empty_equals_models(app):
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object}), db.metadata)
    assert diff == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"clients", "cases", "consultations", "events", "users", "audit_log"} <= tables
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM municipalities")).scalar() == 40
        assert conn.execute(text("SELECT count(*) FROM industries")).scalar() == 20
        assert conn.execute(text("SELECT name FROM centers WHERE code = 'yorozu'")).scalar() == "よろず支援拠点"


def test_sqlite_connection_settings(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
