"""report definitions as data: report_sections, report_rows, report_opening_balances, with
the default definitions (the business report's tables casework fills)

The seed rows are written out here (a released revision never imports app code); they equal
casework/reporting/defaults.py at the time of writing (tests/test_report_definitions.py).

Revision ID: 0007
Revises: 0006
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SECTIONS = [
    {'id': 1, 'key': 'onestop', 'number': '1(1)①', 'title': 'ワンストップ総合相談事業', 'center_code': 'onestop', 'optional': False, 'note': None, 'sort_order': 10, 'active': True, 'version': 1},
    {'id': 2, 'key': 'yorozu', 'number': '1(1)②', 'title': 'よろず支援拠点事業', 'center_code': 'yorozu', 'optional': False, 'note': None, 'sort_order': 20, 'active': True, 'version': 1},
    {'id': 3, 'key': 'dispatch', 'number': '1(1)③', 'title': '専門家派遣事業', 'center_code': 'onestop', 'optional': False, 'note': None, 'sort_order': 30, 'active': True, 'version': 1},
    {'id': 4, 'key': 'startup', 'number': '1(3)①', 'title': '創業・起業伴走型支援事業', 'center_code': 'startup', 'optional': False, 'note': None, 'sort_order': 40, 'active': True, 'version': 1},
    {'id': 5, 'key': 'succession', 'number': '7(3)', 'title': '事業承継・引継ぎ支援センター事業', 'center_code': 'succession', 'optional': False, 'note': None, 'sort_order': 50, 'active': True, 'version': 1},
    {'id': 6, 'key': 'seminars', 'number': None, 'title': '研修・セミナー', 'center_code': None, 'optional': True, 'note': None, 'sort_order': 60, 'active': True, 'version': 1},
    {'id': 7, 'key': 'trade_fairs', 'number': None, 'title': '商談会', 'center_code': None, 'optional': True, 'note': None, 'sort_order': 70, 'active': True, 'version': 1},
    {'id': 8, 'key': 'grants', 'number': '1(3)②', 'title': '移住起業支援金等（助成）', 'center_code': 'startup', 'optional': True, 'note': None, 'sort_order': 80, 'active': True, 'version': 1},
]

ROW_COLUMNS = ("kind", "date_column", "center_code", "program_code", "channels", "event_kinds", "outcome", "decision",
               "activity", "category", "side", "null_center_is", "aggregation", "sum_of", "unit", "cumulative_from",
               "combine_with", "breakdown_of", "breakdown_by", "list_columns")
ROW_DEFAULTS = dict(kind="figure", aggregation="records", unit="件")

ROWS = [
    {'kind': 'figure', 'center_code': 'onestop', 'channels': 'window', 'aggregation': 'records', 'unit': '件', 'id': 1, 'section_id': 1, 'key': 'window', 'label': '窓口相談', 'source': 'consultations', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'onestop', 'channels': 'visit', 'aggregation': 'records', 'unit': '件', 'id': 2, 'section_id': 1, 'key': 'visit', 'label': '巡回相談', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'onestop', 'channels': 'window;visit', 'aggregation': 'records', 'unit': '件', 'id': 3, 'section_id': 1, 'key': 'total', 'label': '計', 'source': 'consultations', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'breakdown', 'aggregation': 'records', 'unit': '件', 'breakdown_of': 'total', 'breakdown_by': 'theme', 'id': 4, 'section_id': 1, 'key': 'top_themes', 'label': '主な相談テーマ', 'source': 'consultations', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'yorozu', 'event_kinds': 'outreach_day', 'aggregation': 'records', 'unit': '回', 'id': 5, 'section_id': 2, 'key': 'outreach_days', 'label': '出張相談会開催回数', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'yorozu', 'channels': 'window', 'aggregation': 'records', 'unit': '件', 'id': 6, 'section_id': 2, 'key': 'visitor_consultations', 'label': '来訪相談件数', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'breakdown', 'aggregation': 'records', 'unit': '件', 'breakdown_of': 'visitor_consultations', 'breakdown_by': 'theme', 'id': 7, 'section_id': 2, 'key': 'top_themes', 'label': '主な相談テーマ', 'source': 'consultations', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'onestop', 'aggregation': 'clients', 'unit': '社', 'combine_with': 'visits', 'id': 8, 'section_id': 3, 'key': 'companies', 'label': '派遣企業', 'source': 'dispatch_visits', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'onestop', 'aggregation': 'records', 'unit': '回', 'id': 9, 'section_id': 3, 'key': 'visits', 'label': '派遣延べ回数', 'source': 'dispatch_visits', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'breakdown', 'aggregation': 'clients', 'unit': '社', 'breakdown_of': 'companies', 'breakdown_by': 'industry', 'id': 10, 'section_id': 3, 'key': 'by_industry', 'label': '業種内訳', 'source': 'dispatch_visits', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'startup', 'outcome': 'founded', 'aggregation': 'records', 'unit': '名', 'id': 11, 'section_id': 4, 'key': 'founders', 'label': '創業者数', 'source': 'cases', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'startup', 'aggregation': 'records', 'unit': '件', 'id': 12, 'section_id': 4, 'key': 'consultations', 'label': '相談件数', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'breakdown', 'aggregation': 'records', 'unit': '名', 'breakdown_of': 'founders', 'breakdown_by': 'industry', 'id': 13, 'section_id': 4, 'key': 'top_industries', 'label': '主な業種', 'source': 'cases', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'succession', 'aggregation': 'clients', 'unit': '社', 'id': 14, 'section_id': 5, 'key': 'companies', 'label': '相談企業数', 'source': 'consultations', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'succession', 'aggregation': 'records', 'unit': '件', 'id': 15, 'section_id': 5, 'key': 'consultations', 'label': '相談件数', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'null_center_is': 'succession', 'aggregation': 'records', 'unit': '件', 'id': 16, 'section_id': 5, 'key': 'diagnoses', 'label': '事業承継診断件数', 'source': 'diagnoses', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'succession', 'aggregation': 'records', 'unit': '回', 'id': 17, 'section_id': 5, 'key': 'expert_dispatches', 'label': '専門家派遣回数', 'source': 'dispatch_visits', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'figure', 'event_kinds': 'seminar;training', 'aggregation': 'records', 'unit': '回', 'id': 18, 'section_id': 6, 'key': 'sessions', 'label': '開催回数', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'event_kinds': 'seminar;training', 'aggregation': 'sum', 'sum_of': 'participants', 'unit': '名', 'id': 19, 'section_id': 6, 'key': 'participants', 'label': '参加人数', 'source': 'events', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'event_kinds': 'trade_fair', 'aggregation': 'records', 'unit': '回', 'id': 20, 'section_id': 7, 'key': 'sessions', 'label': '開催回数', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'event_kinds': 'trade_fair', 'aggregation': 'sum', 'sum_of': 'participants', 'unit': '名', 'id': 21, 'section_id': 7, 'key': 'participants', 'label': '参加者数', 'source': 'events', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'startup', 'decision': 'adopted', 'aggregation': 'records', 'unit': '件', 'id': 22, 'section_id': 8, 'key': 'adopted', 'label': '採択件数', 'source': 'grants', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'startup', 'decision': 'adopted', 'aggregation': 'sum', 'sum_of': 'amount', 'unit': '円', 'id': 23, 'section_id': 8, 'key': 'amount', 'label': '交付金額', 'source': 'grants', 'sort_order': 20, 'active': True, 'version': 1},
]

OPENINGS = [

]


def _create_tables():
    op.create_table('report_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('center_code', sa.String(length=32), nullable=True),
    sa.Column('optional', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_sections')),
    sa.UniqueConstraint('key', name=op.f('uq_report_sections_key'))
    )
    op.create_table('report_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('date_column', sa.String(length=32), nullable=True),
    sa.Column('center_code', sa.String(length=32), nullable=True),
    sa.Column('program_code', sa.String(length=32), nullable=True),
    sa.Column('channels', sa.String(length=200), nullable=True),
    sa.Column('event_kinds', sa.String(length=200), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('activity', sa.String(length=64), nullable=True),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('side', sa.String(length=16), nullable=True),
    sa.Column('null_center_is', sa.String(length=32), nullable=True),
    sa.Column('aggregation', sa.String(length=16), nullable=False),
    sa.Column('sum_of', sa.String(length=32), nullable=True),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('cumulative_from', sa.Integer(), nullable=True),
    sa.Column('combine_with', sa.String(length=40), nullable=True),
    sa.Column('breakdown_of', sa.String(length=40), nullable=True),
    sa.Column('breakdown_by', sa.String(length=16), nullable=True),
    sa.Column('list_columns', sa.String(length=200), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("aggregation IN ('records','clients','sum')", name=op.f('ck_report_rows_aggregation')),
    sa.CheckConstraint("kind IN ('figure','breakdown','list')", name=op.f('ck_report_rows_kind')),
    sa.ForeignKeyConstraint(['section_id'], ['report_sections.id'], name=op.f('fk_report_rows_section_id_report_sections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_rows')),
    sa.UniqueConstraint('section_id', 'key', name='uq_report_rows_section_key')
    )
    op.create_index(op.f('ix_report_rows_section_id'), 'report_rows', ['section_id'], unique=False)
    op.create_table('report_opening_balances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('as_of_fy', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['row_id'], ['report_rows.id'], name=op.f('fk_report_opening_balances_row_id_report_rows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_opening_balances')),
    sa.UniqueConstraint('row_id', 'as_of_fy', name='uq_report_opening_balances_row_fy')
    )
    op.create_index(op.f('ix_report_opening_balances_row_id'), 'report_opening_balances', ['row_id'], unique=False)


def upgrade():
    _create_tables()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    stamped = dict(created_at=now, updated_at=now)
    tables = {name: sa.table(name, *[sa.column(c) for c in columns]) for name, columns in {
        "report_sections": ("id", "key", "number", "title", "center_code", "optional", "note", "sort_order", "active",
                            "version", "created_at", "updated_at"),
        "report_rows": ("id", "section_id", "key", "label", "source", "sort_order", "active", "version", "created_at",
                        "updated_at") + ROW_COLUMNS,
        "report_opening_balances": ("id", "row_id", "as_of_fy", "value", "note", "created_at", "updated_at"),
    }.items()}
    op.bulk_insert(tables["report_sections"], [dict(s, **stamped) for s in SECTIONS])
    op.bulk_insert(tables["report_rows"], [{**{c: None for c in ROW_COLUMNS}, **ROW_DEFAULTS, **r, **stamped}
                                           for r in ROWS])
    if OPENINGS:
        op.bulk_insert(tables["report_opening_balances"], [dict(o, **stamped) for o in OPENINGS])
    if op.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for name in tables:
            op.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                       f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)")


def downgrade():
    op.drop_index(op.f('ix_report_opening_balances_row_id'), table_name='report_opening_balances')
    op.drop_table('report_opening_balances')
    op.drop_index(op.f('ix_report_rows_section_id'), table_name='report_rows')
    op.drop_table('report_rows')
    op.drop_table('report_sections')
