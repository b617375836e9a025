"""client search at national size: clients.confidential_only (kept by triggers on cases,
diagnoses, centers and programs, backfilled here) so the coordinator's filter asks its costly rule
of the few flagged clients only; a bigram index for 2-character terms (SQLite: FTS5 table
clients_bigram_fts + triggers on clients; PostgreSQL: GIN index on casework_bigrams(search_text))

The SQL is frozen in migrations/frozen/clients_search_v2.py (loaded by path). The column is added
without a batch rebuild of clients (SQLite ADD COLUMN), so the trigram index and its triggers stay.

Revision ID: 0014
Revises: 0013
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
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
    search = load("clients_search_v2")
    conn = op.get_bind()
    op.add_column("clients", sa.Column("confidential_only", sa.Boolean(), nullable=False, server_default=sa.false()))
    search.install_confidential(conn)  # the triggers, then one UPDATE filling the flag
    op.create_index("ix_clients_confidential_only", "clients", ["id"], sqlite_where=sa.text("confidential_only = 1"),
                    postgresql_where=sa.text("confidential_only"))
    search.install_bigrams(conn)  # beside the trigram index
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE clients")  # statistics for the new column and indexes


def downgrade():
    search = load("clients_search_v2")
    conn = op.get_bind()
    search.uninstall_bigrams(conn)
    search.uninstall_confidential(conn)
    op.drop_index("ix_clients_confidential_only", table_name="clients")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("confidential_only")
    load("clients_search_v1").after_clients_rebuild(conn)
