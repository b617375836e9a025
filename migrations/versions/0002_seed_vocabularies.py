"""seed vocabularies: centers, channels, themes, JSIC majors, municipalities, event kinds, outcomes

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    from casework.seed import vocabulary_rows

    bind = op.get_bind()
    meta = sa.MetaData()
    for table_name, rows in vocabulary_rows().items():
        table = sa.Table(table_name, meta, autoload_with=bind)
        op.bulk_insert(table, rows)
    if bind.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table_name in ("centers", "dispatch_programs"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), (SELECT max(id) FROM {table_name}))")


def downgrade():
    from casework.seed import vocabulary_rows

    for table_name in reversed(list(vocabulary_rows())):
        op.execute(f"DELETE FROM {table_name}")
