"""indexes the report counts read: covering consultation indexes, the voided clients

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

VOIDED = sa.text("voided_at IS NOT NULL")


def upgrade():
    op.drop_index("ix_consultations_center_held", table_name="consultations")
    op.create_index("ix_consultations_center_held", "consultations",
                    ["center_id", "held_on", "channel_code", "client_id", "voided_at"])
    op.create_index("ix_consultations_held_counted", "consultations",
                    ["held_on", "center_id", "channel_code", "client_id", "voided_at"])
    op.create_index("ix_clients_voided", "clients", ["id"], sqlite_where=VOIDED, postgresql_where=VOIDED)


def downgrade():
    op.drop_index("ix_clients_voided", table_name="clients")
    op.drop_index("ix_consultations_held_counted", table_name="consultations")
    op.drop_index("ix_consultations_center_held", table_name="consultations")
    op.create_index("ix_consultations_center_held", "consultations", ["center_id", "held_on", "channel_code"])
