"""Helpers for tests of released schema revisions: load a revision's file as a module (its
frozen rows, without running it) and bring the test database to an earlier revision."""
import importlib.util
from pathlib import Path

from sqlalchemy import text

from casework.extensions import db

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def revision_module(filename: str):
    """migrations/versions/<filename> as a module."""
    spec = importlib.util.spec_from_file_location(f"revision_{Path(filename).stem}", VERSIONS / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def empty_database_at(revision: str) -> None:
    """Drop everything and upgrade an empty database to `revision`."""
    from flask_migrate import upgrade

    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(revision=revision)
