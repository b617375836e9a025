"""report tables in the FY2023 report's shape: per-商談会 tables (全体 / うち県内 from event
attendances), 「令和4年度 (令和5年度事業)」 year headers, 2(7)'s research-theme list, 6(1)②'s 商談等,
the printed list headers; the よろず themes 事業計画策定 and 販路提案; JSIC middle divisions
(industry_divisions) and clients.industry_division_code for 主な業種 as printed (食料品製造業 …).

The rows are written out here (a revision never imports app code); they equal what
casework/reporting/defaults.py (SECTION_CHANGES_0008 … NEW_ROWS_0008) and casework/seed/report_vocabulary.py
add (tests/test_report_definitions.py). A definition an admin changed keeps the admin's values
except where noted: the changes below apply to the default sections and rows by key.

Revision ID: 0008
Revises: 0007
"""
import datetime as dt
import runpy
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

THEMES = [{'code': 'business_planning', 'label': '事業計画策定', 'sort_order': 150, 'active': True},
 {'code': 'sales_proposal', 'label': '販路提案', 'sort_order': 160, 'active': True}]

# JSIC middle divisions (revision 14), each of one major (casework/seed/jsic_middle.csv)
INDUSTRY_DIVISIONS = [
    {'code': '01', 'major_code': 'A', 'name': '農業', 'report_label': '農業'},
    {'code': '02', 'major_code': 'A', 'name': '林業', 'report_label': '林業'},
    {'code': '03', 'major_code': 'B', 'name': '漁業（水産養殖業を除く）', 'report_label': '漁業'},
    {'code': '04', 'major_code': 'B', 'name': '水産養殖業', 'report_label': '水産養殖業'},
    {'code': '05', 'major_code': 'C', 'name': '鉱業，採石業，砂利採取業', 'report_label': '鉱業，採石業，砂利採取業'},
    {'code': '06', 'major_code': 'D', 'name': '総合工事業', 'report_label': '総合工事業'},
    {'code': '07', 'major_code': 'D', 'name': '職別工事業（設備工事業を除く）', 'report_label': '職別工事業'},
    {'code': '08', 'major_code': 'D', 'name': '設備工事業', 'report_label': '設備工事業'},
    {'code': '09', 'major_code': 'E', 'name': '食料品製造業', 'report_label': '食料品製造業'},
    {'code': '10', 'major_code': 'E', 'name': '飲料・たばこ・飼料製造業', 'report_label': '飲料・たばこ・飼料製造業'},
    {'code': '11', 'major_code': 'E', 'name': '繊維工業', 'report_label': '繊維工業'},
    {'code': '12', 'major_code': 'E', 'name': '木材・木製品製造業（家具を除く）', 'report_label': '木材・木製品製造業'},
    {'code': '13', 'major_code': 'E', 'name': '家具・装備品製造業', 'report_label': '家具・装備品製造業'},
    {'code': '14', 'major_code': 'E', 'name': 'パルプ・紙・紙加工品製造業', 'report_label': 'パルプ・紙・紙加工品製造業'},
    {'code': '15', 'major_code': 'E', 'name': '印刷・同関連業', 'report_label': '印刷・同関連業'},
    {'code': '16', 'major_code': 'E', 'name': '化学工業', 'report_label': '化学工業'},
    {'code': '17', 'major_code': 'E', 'name': '石油製品・石炭製品製造業', 'report_label': '石油製品・石炭製品製造業'},
    {'code': '18', 'major_code': 'E', 'name': 'プラスチック製品製造業（別掲を除く）', 'report_label': 'プラスチック製品製造業'},
    {'code': '19', 'major_code': 'E', 'name': 'ゴム製品製造業', 'report_label': 'ゴム製品製造業'},
    {'code': '20', 'major_code': 'E', 'name': 'なめし革・同製品・毛皮製造業', 'report_label': 'なめし革・同製品・毛皮製造業'},
    {'code': '21', 'major_code': 'E', 'name': '窯業・土石製品製造業', 'report_label': '窯業・土石製品製造業'},
    {'code': '22', 'major_code': 'E', 'name': '鉄鋼業', 'report_label': '鉄鋼業'},
    {'code': '23', 'major_code': 'E', 'name': '非鉄金属製造業', 'report_label': '非鉄金属製造業'},
    {'code': '24', 'major_code': 'E', 'name': '金属製品製造業', 'report_label': '金属製品製造業'},
    {'code': '25', 'major_code': 'E', 'name': 'はん用機械器具製造業', 'report_label': 'はん用機械器具製造業'},
    {'code': '26', 'major_code': 'E', 'name': '生産用機械器具製造業', 'report_label': '生産用機械器具製造業'},
    {'code': '27', 'major_code': 'E', 'name': '業務用機械器具製造業', 'report_label': '業務用機械器具製造業'},
    {'code': '28', 'major_code': 'E', 'name': '電子部品・デバイス・電子回路製造業', 'report_label': '電子部品・デバイス・電子回路製造業'},
    {'code': '29', 'major_code': 'E', 'name': '電気機械器具製造業', 'report_label': '電気機械器具製造業'},
    {'code': '30', 'major_code': 'E', 'name': '情報通信機械器具製造業', 'report_label': '情報通信機械器具製造業'},
    {'code': '31', 'major_code': 'E', 'name': '輸送用機械器具製造業', 'report_label': '輸送用機械器具製造業'},
    {'code': '32', 'major_code': 'E', 'name': 'その他の製造業', 'report_label': 'その他の製造業'},
    {'code': '33', 'major_code': 'F', 'name': '電気業', 'report_label': '電気業'},
    {'code': '34', 'major_code': 'F', 'name': 'ガス業', 'report_label': 'ガス業'},
    {'code': '35', 'major_code': 'F', 'name': '熱供給業', 'report_label': '熱供給業'},
    {'code': '36', 'major_code': 'F', 'name': '水道業', 'report_label': '水道業'},
    {'code': '37', 'major_code': 'G', 'name': '通信業', 'report_label': '通信業'},
    {'code': '38', 'major_code': 'G', 'name': '放送業', 'report_label': '放送業'},
    {'code': '39', 'major_code': 'G', 'name': '情報サービス業', 'report_label': '情報サービス業'},
    {'code': '40', 'major_code': 'G', 'name': 'インターネット附随サービス業', 'report_label': 'インターネット附随サービス業'},
    {'code': '41', 'major_code': 'G', 'name': '映像・音声・文字情報制作業', 'report_label': '映像・音声・文字情報制作業'},
    {'code': '42', 'major_code': 'H', 'name': '鉄道業', 'report_label': '鉄道業'},
    {'code': '43', 'major_code': 'H', 'name': '道路旅客運送業', 'report_label': '道路旅客運送業'},
    {'code': '44', 'major_code': 'H', 'name': '道路貨物運送業', 'report_label': '道路貨物運送業'},
    {'code': '45', 'major_code': 'H', 'name': '水運業', 'report_label': '水運業'},
    {'code': '46', 'major_code': 'H', 'name': '航空運輸業', 'report_label': '航空運輸業'},
    {'code': '47', 'major_code': 'H', 'name': '倉庫業', 'report_label': '倉庫業'},
    {'code': '48', 'major_code': 'H', 'name': '運輸に附帯するサービス業', 'report_label': '運輸に附帯するサービス業'},
    {'code': '49', 'major_code': 'H', 'name': '郵便業（信書便事業を含む）', 'report_label': '郵便業'},
    {'code': '50', 'major_code': 'I', 'name': '各種商品卸売業', 'report_label': '各種商品卸売業'},
    {'code': '51', 'major_code': 'I', 'name': '繊維・衣服等卸売業', 'report_label': '繊維・衣服等卸売業'},
    {'code': '52', 'major_code': 'I', 'name': '飲食料品卸売業', 'report_label': '飲食料品卸売業'},
    {'code': '53', 'major_code': 'I', 'name': '建築材料，鉱物・金属材料等卸売業', 'report_label': '建築材料，鉱物・金属材料等卸売業'},
    {'code': '54', 'major_code': 'I', 'name': '機械器具卸売業', 'report_label': '機械器具卸売業'},
    {'code': '55', 'major_code': 'I', 'name': 'その他の卸売業', 'report_label': 'その他の卸売業'},
    {'code': '56', 'major_code': 'I', 'name': '各種商品小売業', 'report_label': '各種商品小売業'},
    {'code': '57', 'major_code': 'I', 'name': '織物・衣服・身の回り品小売業', 'report_label': '織物・衣服・身の回り品小売業'},
    {'code': '58', 'major_code': 'I', 'name': '飲食料品小売業', 'report_label': '飲食料品小売業'},
    {'code': '59', 'major_code': 'I', 'name': '機械器具小売業', 'report_label': '機械器具小売業'},
    {'code': '60', 'major_code': 'I', 'name': 'その他の小売業', 'report_label': 'その他の小売業'},
    {'code': '61', 'major_code': 'I', 'name': '無店舗小売業', 'report_label': '無店舗小売業'},
    {'code': '62', 'major_code': 'J', 'name': '銀行業', 'report_label': '銀行業'},
    {'code': '63', 'major_code': 'J', 'name': '協同組織金融業', 'report_label': '協同組織金融業'},
    {'code': '64', 'major_code': 'J', 'name': '貸金業，クレジットカード業等非預金信用機関', 'report_label': '貸金業，クレジットカード業等非預金信用機関'},
    {'code': '65', 'major_code': 'J', 'name': '金融商品取引業，商品先物取引業', 'report_label': '金融商品取引業，商品先物取引業'},
    {'code': '66', 'major_code': 'J', 'name': '補助的金融業等', 'report_label': '補助的金融業等'},
    {'code': '67', 'major_code': 'J', 'name': '保険業（保険媒介代理業，保険サービス業を含む）', 'report_label': '保険業'},
    {'code': '68', 'major_code': 'K', 'name': '不動産取引業', 'report_label': '不動産取引業'},
    {'code': '69', 'major_code': 'K', 'name': '不動産賃貸業・管理業', 'report_label': '不動産賃貸業・管理業'},
    {'code': '70', 'major_code': 'K', 'name': '物品賃貸業', 'report_label': '物品賃貸業'},
    {'code': '71', 'major_code': 'L', 'name': '学術・開発研究機関', 'report_label': '学術・開発研究機関'},
    {'code': '72', 'major_code': 'L', 'name': '専門サービス業（他に分類されないもの）', 'report_label': '専門サービス業'},
    {'code': '73', 'major_code': 'L', 'name': '広告業', 'report_label': '広告業'},
    {'code': '74', 'major_code': 'L', 'name': '技術サービス業（他に分類されないもの）', 'report_label': '技術サービス業'},
    {'code': '75', 'major_code': 'M', 'name': '宿泊業', 'report_label': '宿泊業'},
    {'code': '76', 'major_code': 'M', 'name': '飲食店', 'report_label': '飲食店'},
    {'code': '77', 'major_code': 'M', 'name': '持ち帰り・配達飲食サービス業', 'report_label': '持ち帰り・配達飲食サービス業'},
    {'code': '78', 'major_code': 'N', 'name': '洗濯・理容・美容・浴場業', 'report_label': '洗濯・理容・美容・浴場業'},
    {'code': '79', 'major_code': 'N', 'name': 'その他の生活関連サービス業', 'report_label': 'その他の生活関連サービス業'},
    {'code': '80', 'major_code': 'N', 'name': '娯楽業', 'report_label': '娯楽業'},
    {'code': '81', 'major_code': 'O', 'name': '学校教育', 'report_label': '学校教育'},
    {'code': '82', 'major_code': 'O', 'name': 'その他の教育，学習支援業', 'report_label': 'その他の教育，学習支援業'},
    {'code': '83', 'major_code': 'P', 'name': '医療業', 'report_label': '医療業'},
    {'code': '84', 'major_code': 'P', 'name': '保健衛生', 'report_label': '保健衛生'},
    {'code': '85', 'major_code': 'P', 'name': '社会保険・社会福祉・介護事業', 'report_label': '社会保険・社会福祉・介護事業'},
    {'code': '86', 'major_code': 'Q', 'name': '郵便局', 'report_label': '郵便局'},
    {'code': '87', 'major_code': 'Q', 'name': '協同組合（他に分類されないもの）', 'report_label': '協同組合'},
    {'code': '88', 'major_code': 'R', 'name': '廃棄物処理業', 'report_label': '廃棄物処理業'},
    {'code': '89', 'major_code': 'R', 'name': '自動車整備業', 'report_label': '自動車整備業'},
    {'code': '90', 'major_code': 'R', 'name': '機械等修理業（別掲を除く）', 'report_label': '機械等修理業'},
    {'code': '91', 'major_code': 'R', 'name': '職業紹介・労働者派遣業', 'report_label': '職業紹介・労働者派遣業'},
    {'code': '92', 'major_code': 'R', 'name': 'その他の事業サービス業', 'report_label': 'その他の事業サービス業'},
    {'code': '93', 'major_code': 'R', 'name': '政治・経済・文化団体', 'report_label': '政治・経済・文化団体'},
    {'code': '94', 'major_code': 'R', 'name': '宗教', 'report_label': '宗教'},
    {'code': '95', 'major_code': 'R', 'name': 'その他のサービス業', 'report_label': 'その他のサービス業'},
    {'code': '96', 'major_code': 'R', 'name': '外国公務', 'report_label': '外国公務'},
    {'code': '97', 'major_code': 'S', 'name': '国家公務', 'report_label': '国家公務'},
    {'code': '98', 'major_code': 'S', 'name': '地方公務', 'report_label': '地方公務'},
    {'code': '99', 'major_code': 'T', 'name': '分類不能の産業', 'report_label': '分類不能の産業'},
]

# program, kind, code, label (2(6) 表彰の部門)
PROGRAM_TERMS = [
    ('industry_forum', 'side', 'management_innovation', '経営革新部門'),
    ('industry_forum', 'side', 'startup', '創業部門'),
    ('industry_forum', 'side', 'industry_academia', '産学連携部門'),
    ('industry_forum', 'side', 'dx', 'DX部門'),
]

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
 'startup_trainings.list': {'list_columns': 'title=区分;dates;area;participants'},
 'sales_advisors.top_industries': {'breakdown_by': 'industry_middle'}}

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
 {'section': 'industry_forum',
  'key': 'awards',
  'label': '「21あおりアワード」表彰',
  'source': 'event_attendances',
  'kind': 'list',
  'program_code': 'industry_forum',
  'list_columns': 'side;company'},
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
    op.create_table('industry_divisions',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('major_code', sa.String(length=1), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('report_label', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['major_code'], ['industries.code'], name=op.f('fk_industry_divisions_major_code_industries')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_industry_divisions'))
    )
    divisions = sa.table('industry_divisions', sa.column('code'), sa.column('major_code'), sa.column('name'),
                         sa.column('report_label'))
    op.bulk_insert(divisions, INDUSTRY_DIVISIONS)
    # a plain ADD COLUMN (no batch rebuild of clients: its search index triggers stay as they are)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE clients ADD COLUMN industry_division_code VARCHAR(2) "
                   "CONSTRAINT fk_clients_industry_division_code_industry_divisions "
                   "REFERENCES industry_divisions (code)")
    else:
        op.add_column('clients', sa.Column('industry_division_code', sa.String(length=2), nullable=True))
        op.create_foreign_key(op.f('fk_clients_industry_division_code_industry_divisions'), 'clients',
                              'industry_divisions', ['industry_division_code'], ['code'])
    bind = op.get_bind()
    programs = sa.table('programs', sa.column('id'), sa.column('code'))
    terms = sa.table('program_terms', *[sa.column(c) for c in (
        'program_id', 'kind', 'code', 'label', 'unit', 'sort_order', 'active', 'version', 'created_at', 'updated_at')])
    program_ids = dict(bind.execute(sa.select(programs.c.code, programs.c.id)).all())
    have = set(bind.execute(sa.select(terms.c.program_id, terms.c.kind, terms.c.code)).all())
    for i, (program, kind, code, label) in enumerate(PROGRAM_TERMS, 1):
        if program in program_ids and (program_ids[program], kind, code) not in have:
            bind.execute(terms.insert().values(program_id=program_ids[program], kind=kind, code=code, label=label,
                                               unit=None, sort_order=i * 10, active=True, version=1,
                                               created_at=now, updated_at=now))
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
    breakdowns = sa.table('report_rows', sa.column('breakdown_by'))
    bind.execute(breakdowns.update().where(breakdowns.c.breakdown_by == 'industry_middle')
                 .values(breakdown_by='industry'))
    programs = sa.table('programs', sa.column('id'), sa.column('code'))
    terms = sa.table('program_terms', sa.column('id'), sa.column('program_id'), sa.column('kind'), sa.column('code'))
    attendances = sa.table('event_attendances', sa.column('side_id'))
    program_ids = dict(bind.execute(sa.select(programs.c.code, programs.c.id)).all())
    for program, kind, code, _label in PROGRAM_TERMS:
        if program in program_ids:
            ids = sa.select(terms.c.id).where(terms.c.program_id == program_ids[program], terms.c.kind == kind,
                                              terms.c.code == code)
            bind.execute(attendances.update().where(attendances.c.side_id.in_(ids)).values(side_id=None))
            bind.execute(terms.delete().where(terms.c.program_id == program_ids[program], terms.c.kind == kind,
                                              terms.c.code == code))
    codes = [t['code'] for t in THEMES]
    for link in ('consultation_themes', 'case_themes'):
        table = sa.table(link, sa.column('theme_code'))
        bind.execute(table.delete().where(table.c.theme_code.in_(codes)))
    themes = sa.table('themes', sa.column('code'))
    bind.execute(themes.delete().where(themes.c.code.in_(codes)))
    if bind.dialect.name == 'sqlite':  # a column of a foreign key: SQLite copies the table to drop it
        with op.batch_alter_table('clients', recreate='always') as batch:
            batch.drop_column('industry_division_code')
        helper = Path(__file__).resolve().parent.parent / 'frozen' / 'clients_search_v1.py'
        runpy.run_path(str(helper))['after_clients_rebuild'](bind)  # the copy lost the search triggers
    else:
        op.drop_constraint(op.f('fk_clients_industry_division_code_industry_divisions'), 'clients', type_='foreignkey')
        op.drop_column('clients', 'industry_division_code')
    op.drop_table('industry_divisions')
    with op.batch_alter_table('report_sections') as batch:
        batch.drop_column('column_labels')
        batch.drop_column('split_by')
        batch.drop_column('project_year_offset')
