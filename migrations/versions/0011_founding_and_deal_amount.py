"""a client's founding date (set when an IM records the founding) and a deal's 成約金額

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('founded_on', sa.Date(), nullable=True))
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closing_amount', sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_deals_closing_amount'), 'closing_amount IS NULL OR closing_amount >= 0')


def downgrade():
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_deals_closing_amount'), type_='check')
        batch_op.drop_column('closing_amount')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('founded_on')
