"""client search index: FTS5 trigram table + triggers (SQLite), pg_trgm GIN index (PostgreSQL)

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    from casework import searchindex

    searchindex.install(op.get_bind())


def downgrade():
    from casework import searchindex

    searchindex.uninstall(op.get_bind())
