"""documents on records (attachments), outreach days with slots, calendar feeds

attachments: the description of a file kept under ATTACHMENTS_DIR (never its bytes);
outreach_days / outreach_day_staff / outreach_slots: 出張相談会 planned ahead and booked;
calendar_feeds: each user's secret iCalendar URL (its token's SHA-256 only).

Revision ID: 0010
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_kind', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("record_kind IN ('client','case','dispatch','profile','deal')", name=op.f('ck_attachments_record_kind')),
    sa.CheckConstraint('size >= 0', name=op.f('ck_attachments_size')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_attachments_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_record', ['record_kind', 'record_id'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('outreach_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_outreach_days_center_id_centers')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_outreach_days_created_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_outreach_days_event_id_events')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_outreach_days_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_days'))
    )
    with op.batch_alter_table('outreach_days', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_days_center_held', ['center_id', 'held_on'], unique=False)

    op.create_table('outreach_day_staff',
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['day_id'], ['outreach_days.id'], name=op.f('fk_outreach_day_staff_day_id_outreach_days'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outreach_day_staff_user_id_users')),
    sa.PrimaryKeyConstraint('day_id', 'user_id', name=op.f('pk_outreach_day_staff'))
    )
    with op.batch_alter_table('outreach_day_staff', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_day_staff_user', ['user_id'], unique=False)

    op.create_table('outreach_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('booked_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_outreach_slots_slot_times')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_outreach_slots_booked_by_id_users')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_outreach_slots_client_id_clients')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_outreach_slots_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['day_id'], ['outreach_days.id'], name=op.f('fk_outreach_slots_day_id_outreach_days')),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_outreach_slots_staff_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_slots')),
    sa.UniqueConstraint('day_id', 'starts_at', name='uq_outreach_slots_day_start')
    )
    with op.batch_alter_table('outreach_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_slots_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_slots_day_id'), ['day_id'], unique=False)



def downgrade():
    with op.batch_alter_table('outreach_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_slots_day_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_slots_client_id'))

    op.drop_table('outreach_slots')
    with op.batch_alter_table('outreach_day_staff', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_day_staff_user')

    op.drop_table('outreach_day_staff')
    with op.batch_alter_table('outreach_days', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_days_center_held')

    op.drop_table('outreach_days')
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_record')

    op.drop_table('attachments')
