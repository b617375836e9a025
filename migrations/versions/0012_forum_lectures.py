"""2(6)【講演】: a forum's lectures as events of kind 講演 (テーマ = title, 講師 = the new
events.speaker); the forum's 実績 table lists its events of every kind but 講演, the new 講演 table
its lectures.

The rows are written out here (a revision never imports app code); they equal what
casework/reporting/defaults.py (ROW_CHANGES_0012, NEW_ROWS_0012) and
casework/seed/report_vocabulary.py (EVENT_KINDS) add (tests/test_report_definitions.py compares).
The 実績 row is changed only where an admin left its event kinds empty.

Revision ID: 0012
Revises: 0011
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

EVENT_KINDS = [{'code': 'lecture', 'label': '講演', 'sort_order': 90}]
ROW_CHANGES = {'industry_forum.list': {'event_kinds': 'outreach_day;seminar;training;trade_fair;exhibition;consultation_day;briefing;forum'}}  # every kind but lecture
NEW_ROWS = [{'section': 'industry_forum', 'key': 'lectures', 'label': '講演', 'source': 'events', 'kind': 'list',
             'program_code': 'industry_forum', 'event_kinds': 'lecture', 'list_columns': 'title=テーマ;speaker'}]
ROW_COLUMNS = ("kind", "date_column", "center_code", "program_code", "channels", "event_kinds", "outcome", "decision",
               "activity", "category", "side", "course", "milestone", "null_center_is", "aggregation", "sum_of", "unit",
               "cumulative_from", "combine_with", "breakdown_of", "breakdown_by", "list_columns")
ROW_DEFAULTS = dict(kind="figure", aggregation="records", unit="件")


def _tables():
    sections = sa.table('report_sections', sa.column('id'), sa.column('key'))
    rows = sa.table('report_rows', *[sa.column(c) for c in (
        'id', 'section_id', 'key', 'label', 'source', 'sort_order', 'active', 'version', 'created_at', 'updated_at')
        + ROW_COLUMNS])
    return sections, rows


def upgrade():
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    op.add_column('events', sa.Column('speaker', sa.String(length=200), nullable=True))
    bind = op.get_bind()
    kinds = sa.table('event_kinds', sa.column('code'), sa.column('label'), sa.column('sort_order'))
    known = set(bind.execute(sa.select(kinds.c.code)).scalars())
    op.bulk_insert(kinds, [k for k in EVENT_KINDS if k['code'] not in known])

    sections, rows = _tables()
    section_ids = dict(bind.execute(sa.select(sections.c.key, sections.c.id)).all())
    for ident, values in ROW_CHANGES.items():
        section, key = ident.split('.')
        if section in section_ids:
            bind.execute(rows.update()
                         .where(rows.c.section_id == section_ids[section], rows.c.key == key,
                                sa.func.coalesce(rows.c.event_kinds, '') == '')
                         .values(**values, version=rows.c.version + 1, updated_at=now))
    for row in NEW_ROWS:  # after the section's other rows, unless an admin already made one of that key
        section_id = section_ids.get(row['section'])
        in_section = rows.c.section_id == section_id
        if section_id is None or bind.execute(sa.select(rows.c.id).where(in_section, rows.c.key == row['key'])).first():
            continue
        last = bind.execute(sa.select(sa.func.max(rows.c.sort_order)).where(in_section)).scalar() or 0
        bind.execute(rows.insert().values(
            {**{c: None for c in ROW_COLUMNS}, **ROW_DEFAULTS, **{k: v for k, v in row.items() if k != 'section'},
             'section_id': section_id, 'sort_order': last + 10, 'active': True, 'version': 1,
             'created_at': now, 'updated_at': now}))


def downgrade():
    bind = op.get_bind()
    sections, rows = _tables()
    openings = sa.table('report_opening_balances', sa.column('row_id'))
    section_ids = dict(bind.execute(sa.select(sections.c.key, sections.c.id)).all())
    for row in NEW_ROWS:  # the new rows go, with any opening balance an admin gave them
        added = (rows.c.section_id == section_ids.get(row['section'], -1)) & (rows.c.key == row['key'])
        bind.execute(openings.delete().where(openings.c.row_id.in_(sa.select(rows.c.id).where(added))))
        bind.execute(rows.delete().where(added))
    for ident, values in ROW_CHANGES.items():
        section, key = ident.split('.')
        if section in section_ids:
            bind.execute(rows.update().where(rows.c.section_id == section_ids[section], rows.c.key == key,
                                             *[rows.c[c] == v for c, v in values.items()])
                         .values(**{c: None for c in values}))
    events = sa.table('events', sa.column('kind_code'))
    if not bind.execute(sa.select(sa.func.count()).select_from(events)
                        .where(events.c.kind_code.in_([k['code'] for k in EVENT_KINDS]))).scalar():
        kinds = sa.table('event_kinds', sa.column('code'))
        bind.execute(kinds.delete().where(kinds.c.code.in_([k['code'] for k in EVENT_KINDS])))
    if bind.dialect.name == 'sqlite':  # a plain DROP COLUMN (SQLite 3.35+): a batch rebuild of events would
        op.execute('ALTER TABLE events DROP COLUMN speaker')  # rewrite its foreign keys, which 0006's downgrade drops by column
    else:
        op.drop_column('events', 'speaker')
