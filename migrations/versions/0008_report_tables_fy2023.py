"""report tables in the FY2023 report's shape: per-商談会 tables (全体 / うち県内 from event
attendances), 「令和4年度 (令和5年度事業)」 year headers, 2(7)'s research-theme list, 6(1)②'s 商談等,
the printed list headers; the よろず themes 事業計画策定 and 販路提案.

The rows are written out here (a revision never imports app code); they equal what
casework/reporting/defaults.py (SECTION_CHANGES_0008 … NEW_ROWS_0008) and casework/seed/report_vocabulary.py
add (tests/test_report_definitions.py). A definition an admin changed keeps the admin's values
except where noted: the changes below apply to the default sections and rows by key.

Revision ID: 0008
Revises: 0007
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

THEMES = [{'code': 'business_planning', 'label': '事業計画策定', 'sort_order': 150, 'active': True},
 {'code': 'sales_proposal', 'label': '販路提案', 'sort_order': 160, 'active': True}]

SECTION_CHANGES = {'advanced_manufacturing': {'project_year_offset': 1, 'note': None},
 'new_business': {'project_year_offset': 1, 'note': None},
 'trade_fairs_program': {'active': False}}

# key, number, title, center code, optional, note, sort order, split_by, column_labels
NEW_SECTIONS = [('trade_fair_results', '1(2)②', '商談会等開催事業', 'trade', True, None, 105, 'event', '全体;うち青森県（受注企業）')]

ROW_CHANGES = {'sales_experts.list': {'list_columns': 'title=専門アドバイザー;dates;area=開催場所;companies=参加企業;dealings'},
 'rd_seminars.list': {'list_columns': 'title=区分;dates;area;attendance=参加者'},
 'industry_forum.list': {'list_columns': 'dates;area;partners=参加機関;participants'},
 'gx_promotion.list': {'list_columns': 'dates;area;partners=参加機関;participants'},
 'specific_fields.list': {'list_columns': 'dates;area;participants'},
 'startup_trainings.list': {'list_columns': 'title=区分;dates;area;participants'}}

ROW_COLUMNS = ("kind", "date_column", "center_code", "program_code", "channels", "event_kinds", "outcome", "decision",
               "activity", "category", "side", "course", "milestone", "null_center_is", "aggregation", "sum_of", "unit",
               "cumulative_from", "combine_with", "breakdown_of", "breakdown_by", "list_columns")
ROW_DEFAULTS = dict(kind="figure", aggregation="records", unit="件")

# after the section's other rows
NEW_ROWS = [{'section': 'trade_fair_results',
  'key': 'buyer_companies',
  'label': '出席企業（発注企業）',
  'source': 'event_attendances',
  'program_code': 'trade_fairs',
  'side': 'buyer',
  'aggregation': 'sum',
  'sum_of': 'companies',
  'unit': '社'},
 {'section': 'trade_fair_results',
  'key': 'supplier_companies',
  'label': '出席企業（受注企業）',
  'source': 'event_attendances',
  'program_code': 'trade_fairs',
  'side': 'supplier',
  'aggregation': 'sum',
  'sum_of': 'companies',
  'unit': '社'},
 {'section': 'trade_fair_results',
  'key': 'meetings',
  'label': '商談件数',
  'source': 'event_attendances',
  'program_code': 'trade_fairs',
  'aggregation': 'sum',
  'sum_of': 'meetings'},
 {'section': 'trade_fair_results',
  'key': 'deals',
  'label': '商談成立件数',
  'source': 'event_attendances',
  'program_code': 'trade_fairs',
  'aggregation': 'sum',
  'sum_of': 'deals'},
 {'section': 'trade_fair_results',
  'key': 'deal_amount',
  'label': '商談成立金額',
  'source': 'event_attendances',
  'program_code': 'trade_fairs',
  'aggregation': 'sum',
  'sum_of': 'amount',
  'unit': '千円'},
 {'section': 'supporting_industry',
  'key': 'list',
  'label': '実績',
  'source': 'grants',
  'kind': 'list',
  'program_code': 'supporting_industry',
  'date_column': 'granted_on',
  'list_columns': 'title;project_years;partners;granted_amount'}]


def upgrade():
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    with op.batch_alter_table('report_sections') as batch:
        batch.add_column(sa.Column('project_year_offset', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('split_by', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('column_labels', sa.String(length=200), nullable=True))
    bind = op.get_bind()
    themes = sa.table('themes', sa.column('code'), sa.column('label'), sa.column('sort_order'), sa.column('active'))
    known = set(bind.execute(sa.select(themes.c.code)).scalars())
    op.bulk_insert(themes, [t for t in THEMES if t['code'] not in known])

    sections = sa.table('report_sections', *[sa.column(c) for c in (
        'id', 'key', 'number', 'title', 'center_code', 'optional', 'note', 'sort_order', 'active', 'version',
        'created_at', 'updated_at', 'project_year_offset', 'split_by', 'column_labels')])
    rows = sa.table('report_rows', *[sa.column(c) for c in (
        'id', 'section_id', 'key', 'label', 'source', 'sort_order', 'active', 'version', 'created_at', 'updated_at')
        + ROW_COLUMNS])
    for key, values in SECTION_CHANGES.items():
        bind.execute(sections.update().where(sections.c.key == key)
                     .values(**values, version=sections.c.version + 1, updated_at=now))
    section_ids = dict(bind.execute(sa.select(sections.c.key, sections.c.id)).all())
    for key, number, title, center, optional, note, sort_order, split_by, labels in NEW_SECTIONS:
        if key in section_ids:
            continue
        bind.execute(sections.insert().values(
            key=key, number=number, title=title, center_code=center, optional=optional, note=note,
            sort_order=sort_order, active=True, version=1, created_at=now, updated_at=now, split_by=split_by,
            column_labels=labels))
    section_ids = dict(bind.execute(sa.select(sections.c.key, sections.c.id)).all())
    for ident, values in ROW_CHANGES.items():
        section, key = ident.split('.')
        if section in section_ids:
            bind.execute(rows.update().where(rows.c.section_id == section_ids[section], rows.c.key == key)
                         .values(**values, version=rows.c.version + 1, updated_at=now))
    for row in NEW_ROWS:
        section_id = section_ids.get(row['section'])
        if section_id is None:
            continue
        taken = list(bind.execute(sa.select(rows.c.key, rows.c.sort_order).where(rows.c.section_id == section_id)))
        if row['key'] in {k for k, _o in taken}:
            continue
        values = {**{c: None for c in ROW_COLUMNS}, **ROW_DEFAULTS,
                  **{k: v for k, v in row.items() if k != 'section'}}
        bind.execute(rows.insert().values(**values, section_id=section_id,
                                          sort_order=max((o for _k, o in taken), default=0) + 10,
                                          active=True, version=1, created_at=now, updated_at=now))

# what 0007 wrote (downgrade)
LIST_COLUMNS_0007 = {'sales_experts.list': 'title;dates;area;companies', 'rd_seminars.list': 'title;dates;area;participants',
                     'industry_forum.list': 'dates;area;partners;participants',
                     'gx_promotion.list': 'dates;area;partners;participants',
                     'specific_fields.list': 'dates;area;participants',
                     'startup_trainings.list': 'title;dates;area;participants'}


def downgrade():
    bind = op.get_bind()
    sections = sa.table('report_sections', sa.column('id'), sa.column('key'), sa.column('note'),
                        sa.column('active'), sa.column('version'))
    rows = sa.table('report_rows', sa.column('id'), sa.column('section_id'), sa.column('key'), sa.column('list_columns'))
    openings = sa.table('report_opening_balances', sa.column('row_id'))
    section_ids = dict(bind.execute(sa.select(sections.c.key, sections.c.id)).all())
    for row in NEW_ROWS:
        if row['section'] in section_ids:
            ids = sa.select(rows.c.id).where(rows.c.section_id == section_ids[row['section']], rows.c.key == row['key'])
            bind.execute(openings.delete().where(openings.c.row_id.in_(ids)))
            bind.execute(rows.delete().where(rows.c.section_id == section_ids[row['section']], rows.c.key == row['key']))
    for key, *_rest in NEW_SECTIONS:
        if key in section_ids:
            bind.execute(rows.delete().where(rows.c.section_id == section_ids[key]))
            bind.execute(sections.delete().where(sections.c.id == section_ids[key]))
    bind.execute(sections.update().where(sections.c.key == 'trade_fairs_program').values(active=True))
    for key in ('advanced_manufacturing', 'new_business'):
        bind.execute(sections.update().where(sections.c.key == key, sections.c.note.is_(None))
                     .values(note='採択の年度で集計（採択の翌年度に事業を実施）'))
    for ident, list_columns in LIST_COLUMNS_0007.items():
        section, key = ident.split('.')
        if section in section_ids:
            bind.execute(rows.update().where(rows.c.section_id == section_ids[section], rows.c.key == key)
                         .values(list_columns=list_columns))
    codes = [t['code'] for t in THEMES]
    for link in ('consultation_themes', 'case_themes'):
        table = sa.table(link, sa.column('theme_code'))
        bind.execute(table.delete().where(table.c.theme_code.in_(codes)))
    themes = sa.table('themes', sa.column('code'))
    bind.execute(themes.delete().where(themes.c.code.in_(codes)))
    with op.batch_alter_table('report_sections') as batch:
        batch.drop_column('column_labels')
        batch.drop_column('split_by')
        batch.drop_column('project_year_offset')
