"""client search index: FTS5 trigram table + triggers (SQLite), pg_trgm GIN index (PostgreSQL)

The SQL is frozen in migrations/frozen/clients_search_v1.py (loaded by path, not from the
casework package), so changing casework/searchindex.py never changes this revision.

Revision ID: 0003
Revises: 0002
"""
import importlib.util
from pathlib import Path

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def load(name):
    """A frozen helper module from migrations/frozen/, by path."""
    path = Path(__file__).resolve().parent.parent / "frozen" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"casework_migrations_frozen_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    load("clients_search_v1").install(op.get_bind())


def downgrade():
    load("clients_search_v1").uninstall(op.get_bind())
