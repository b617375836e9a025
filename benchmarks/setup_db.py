"""The benchmark database: SQLite under benchmarks/data/ (git-ignored), or CASEWORK_DATABASE_URL."""
from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import func, select, text

HERE = Path(__file__).parent
DATA = HERE / "data"


def database_url(scale: str) -> str:
    url = os.environ.get("CASEWORK_DATABASE_URL")
    if url:
        return url
    DATA.mkdir(exist_ok=True)
    return f"sqlite:///{DATA / f'bench-{scale}.db'}"


def make_app(url: str):
    from casework import create_app

    os.environ.setdefault("CASEWORK_INSTANCE_PATH", str(DATA / "instance"))
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret", "WTF_CSRF_ENABLED": True})


def ensure_dataset(app, scale: str, regenerate: bool = False, log=print) -> dict | None:
    """`db upgrade` (the real migrations), then the generator when the database holds no clients."""
    from flask_migrate import upgrade

    from casework.extensions import db
    from casework.models import Client

    from .generate import generate

    with app.app_context():
        if regenerate:
            _wipe(db)
        upgrade()
        have_data = db.session.scalar(select(func.count(Client.id)))
        db.session.commit()  # outside requests transactions BEGIN IMMEDIATE: release the lock
        if have_data:
            _add_missing_indexes(db)  # a dataset generated before an index was added to the models
            _store_closed_months(db)
            return None
        log(f"generating the {scale} dataset into {db.engine.url.render_as_string(hide_password=True)} ...")
        started = time.perf_counter()
        counts = generate(scale, log=log)
        _advance_sequences(db)
        counts["seconds"] = round(time.perf_counter() - started, 1)
        _store_closed_months(db)
        return counts


def _store_closed_months(db):
    """What the nightly `rollups` job keeps: the report's closed months stored (none is missing or
    stale on a center's morning), so the benchmarks measure the reports as staff meet them."""
    from casework.reporting import rollup

    rollup.refresh()
    db.session.commit()


def _add_missing_indexes(db):
    from sqlalchemy import inspect

    existing = {ix["name"] for t in inspect(db.engine).get_table_names() for ix in inspect(db.engine).get_indexes(t)}
    created = False
    for table in db.metadata.sorted_tables:
        for index in table.indexes:
            if index.name not in existing:
                index.create(db.engine, checkfirst=True)
                created = True
    if created:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def _wipe(db):
    if db.engine.dialect.name == "sqlite":
        path = Path(db.engine.url.database)
        db.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def _advance_sequences(db):
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false) "
                f"WHERE pg_get_serial_sequence('{table.name}', 'id') IS NOT NULL"))
    db.session.commit()
