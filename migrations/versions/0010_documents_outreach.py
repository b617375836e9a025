"""documents on records (attachments), outreach days with slots, calendar feeds

attachments: the description of a file kept under ATTACHMENTS_DIR (never its bytes);
outreach_days / outreach_day_staff / outreach_slots: 出張相談会 planned ahead and booked;
calendar_feeds: each user's secret iCalendar URL (its token's SHA-256 only).

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _fk(table, column, target, **kw):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'), **kw)


def _columns(items):
    """(name, type, nullable) triples, and constraints as they are."""
    return [sa.Column(i[0], i[1], nullable=i[2]) if isinstance(i, tuple) else i for i in items]


def _record(table, *columns, versioned=True, voidable=False, fks=()):
    """A table with an id, the given columns, created_at/updated_at (and version, voided_*)."""
    extra = [sa.Column('version', sa.Integer(), nullable=False)] if versioned else []
    if voidable:
        extra += [sa.Column('voided_at', sa.DateTime(), nullable=True), sa.Column('void_reason', sa.Text(), nullable=True),
                  sa.Column('voided_by_id', sa.Integer(), nullable=True)]
        fks = (*fks, ('voided_by_id', 'users'))
    op.create_table(
        table, sa.Column('id', sa.Integer(), nullable=False), *_columns(columns),
        sa.Column('created_at', sa.DateTime(), nullable=False), sa.Column('updated_at', sa.DateTime(), nullable=False),
        *extra, *[_fk(table, column, target) for column, target in fks],
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')))


def _index(table, name, columns):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(name, columns, unique=False)


def upgrade():
    _record('attachments',
            ('record_kind', sa.String(length=16), False),
            ('record_id', sa.Integer(), False),
            ('stored_name', sa.String(length=64), False),
            ('original_name', sa.String(length=255), False),
            ('size', sa.BigInteger(), False),
            ('sha256', sa.String(length=64), False),
            ('content_type', sa.String(length=100), False),
            ('label', sa.String(length=100), True),
            ('uploaded_by_id', sa.Integer(), True),
            sa.CheckConstraint("record_kind IN ('client','case','dispatch','profile','deal')",
                               name=op.f('ck_attachments_record_kind')),
            sa.CheckConstraint('size >= 0', name=op.f('ck_attachments_size')),
            sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name')),
            voidable=True, fks=[('uploaded_by_id', 'users')])
    _index('attachments', 'ix_attachments_record', ['record_kind', 'record_id'])

    _record('calendar_feeds',
            ('user_id', sa.Integer(), False),
            ('token_hash', sa.String(length=64), True),
            ('revoked_at', sa.DateTime(), True),
            sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash')),
            sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id')),
            versioned=False, fks=[('user_id', 'users')])

    _record('outreach_days',
            ('center_id', sa.Integer(), False),
            ('held_on', sa.Date(), False),
            ('place', sa.String(length=200), False),
            ('title', sa.String(length=200), True),
            ('notes', sa.Text(), True),
            ('event_id', sa.Integer(), True),
            ('created_by_id', sa.Integer(), True),
            voidable=True, fks=[('center_id', 'centers'), ('created_by_id', 'users'), ('event_id', 'events')])
    _index('outreach_days', 'ix_outreach_days_center_held', ['center_id', 'held_on'])

    op.create_table(
        'outreach_day_staff',
        *_columns([('day_id', sa.Integer(), False), ('user_id', sa.Integer(), False)]),
        _fk('outreach_day_staff', 'day_id', 'outreach_days', ondelete='CASCADE'),
        _fk('outreach_day_staff', 'user_id', 'users'),
        sa.PrimaryKeyConstraint('day_id', 'user_id', name=op.f('pk_outreach_day_staff')))
    _index('outreach_day_staff', 'ix_outreach_day_staff_user', ['user_id'])

    _record('outreach_slots',
            ('day_id', sa.Integer(), False),
            ('starts_at', sa.Time(), False),
            ('ends_at', sa.Time(), False),
            ('staff_id', sa.Integer(), True),
            ('client_id', sa.Integer(), True),
            ('booked_by_id', sa.Integer(), True),
            ('booked_at', sa.DateTime(), True),
            ('note', sa.String(length=200), True),
            ('consultation_id', sa.Integer(), True),
            sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_outreach_slots_slot_times')),
            sa.UniqueConstraint('day_id', 'starts_at', name='uq_outreach_slots_day_start'),
            fks=[('booked_by_id', 'users'), ('client_id', 'clients'), ('consultation_id', 'consultations'),
                 ('day_id', 'outreach_days'), ('staff_id', 'users')])
    _index('outreach_slots', op.f('ix_outreach_slots_client_id'), ['client_id'])
    _index('outreach_slots', op.f('ix_outreach_slots_day_id'), ['day_id'])


def downgrade():
    for table in ('outreach_slots', 'outreach_day_staff', 'outreach_days', 'calendar_feeds', 'attachments'):
        op.drop_table(table)  # their indexes go with them
