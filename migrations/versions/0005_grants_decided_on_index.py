"""restore ix_grants_decided_on where 0001 lacked it

Commit 251faac added this index by editing 0001 in place, so a database created before that
commit never got it. Create it when missing; a database that has it is left as it is.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    existing = {ix["name"] for ix in sa.inspect(op.get_bind()).get_indexes("grants")}
    if "ix_grants_decided_on" not in existing:
        op.create_index("ix_grants_decided_on", "grants", ["decided_on"])


def downgrade():
    pass  # 0001 as released today creates the index: 0004 keeps it
