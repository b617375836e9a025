"""seed vocabularies: centers, channels, themes, JSIC majors, municipalities, event kinds, outcomes

The rows are a frozen copy of what casework.seed produced when this revision was released
(migrations/README): the revision does not read the live seed module, so editing casework/seed
never changes what this revision does. A vocabulary change is a new revision.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

VOCABULARY = {  # table: (columns, rows), inserted in this order
    'centers': (('id', 'code', 'name', 'report_title', 'confidential', 'sort_order', 'active', 'version'), [
        (1, 'onestop', 'ワンストップ総合相談', 'ワンストップ総合相談事業', False, 10, True, 1),
        (2, 'yorozu', 'よろず支援拠点', 'よろず支援拠点事業', False, 20, True, 1),
        (3, 'succession', '事業承継・引継ぎ支援センター', '事業承継・引継ぎ支援センター事業', True, 30, True, 1),
        (4, 'startup', '創業・起業支援', '創業・起業伴走型支援事業', False, 40, True, 1),
    ]),
    'channels': (('code', 'label', 'aliases', 'sort_order'), [
        ('window', '窓口', '来訪;来所', 10),
        ('visit', '巡回', '訪問', 20),
        ('outreach', '出張相談会', None, 30),
        ('online', 'オンライン', None, 40),
        ('phone', '電話', None, 50),
        ('email', 'メール', None, 60),
    ]),
    'themes': (('code', 'label', 'sort_order', 'active'), [
        ('business_plan', 'ビジネスプラン', 10, True),
        ('marketing', 'マーケティング', 20, True),
        ('technology', '技術', 30, True),
        ('management', '経営全般', 40, True),
        ('cash_flow', '資金繰り', 50, True),
        ('it', 'IT', 60, True),
        ('product_development', '商品開発', 70, True),
        ('sales_channel', '販路開拓', 80, True),
        ('succession', '事業承継', 90, True),
        ('startup', '創業', 100, True),
        ('hr', '人材', 110, True),
        ('dx', 'DX', 120, True),
        ('pricing', '価格転嫁', 130, True),
        ('turnaround', '事業再生', 140, True),
    ]),
    'industries': (('code', 'name', 'report_label', 'middle_from', 'middle_to'), [
        ('A', '農業、林業', '農業，林業', '01', '02'),
        ('B', '漁業', '漁業', '03', '04'),
        ('C', '鉱業、採石業、砂利採取業', '鉱業，採石業，砂利採取業', '05', '05'),
        ('D', '建設業', '建設業', '06', '08'),
        ('E', '製造業', '製造業', '09', '32'),
        ('F', '電気・ガス・熱供給・水道業', '電気・ガス・熱供給・水道業', '33', '36'),
        ('G', '情報通信業', '情報通信業', '37', '41'),
        ('H', '運輸業、郵便業', '運輸業，郵便業', '42', '49'),
        ('I', '卸売業、小売業', '卸売業，小売業', '50', '61'),
        ('J', '金融業、保険業', '金融業，保険業', '62', '67'),
        ('K', '不動産業、物品賃貸業', '不動産業，物品賃貸業', '68', '70'),
        ('L', '学術研究、専門・技術サービス業', '学術研究，専門・技術サービス業', '71', '74'),
        ('M', '宿泊業、飲食サービス業', '宿泊業，飲食サービス業', '75', '77'),
        ('N', '生活関連サービス業、娯楽業', '生活関連サービス業，娯楽業', '78', '80'),
        ('O', '教育、学習支援業', '教育，学習支援業', '81', '82'),
        ('P', '医療、福祉', '医療，福祉', '83', '85'),
        ('Q', '複合サービス事業', '複合サービス事業', '86', '87'),
        ('R', 'サービス業（他に分類されないもの）', 'サービス業（他に分類されないもの）', '88', '96'),
        ('S', '公務（他に分類されるものを除く）', '公務（他に分類されるものを除く）', '97', '98'),
        ('T', '分類不能の産業', '分類不能の産業', '99', '99'),
    ]),
    'municipalities': (('code', 'name', 'kind', 'region', 'prefecture', 'sort_order'), [
        ('022012', '青森市', '市', '東青', '青森県', 1),
        ('022021', '弘前市', '市', '中南', '青森県', 2),
        ('022039', '八戸市', '市', '三八', '青森県', 3),
        ('022047', '黒石市', '市', '中南', '青森県', 4),
        ('022055', '五所川原市', '市', '西北', '青森県', 5),
        ('022063', '十和田市', '市', '上北', '青森県', 6),
        ('022071', '三沢市', '市', '上北', '青森県', 7),
        ('022080', 'むつ市', '市', '下北', '青森県', 8),
        ('022098', 'つがる市', '市', '西北', '青森県', 9),
        ('022101', '平川市', '市', '中南', '青森県', 10),
        ('023019', '平内町', '町', '東青', '青森県', 11),
        ('023035', '今別町', '町', '東青', '青森県', 12),
        ('023043', '蓬田村', '村', '東青', '青森県', 13),
        ('023078', '外ヶ浜町', '町', '東青', '青森県', 14),
        ('023213', '鰺ヶ沢町', '町', '西北', '青森県', 15),
        ('023230', '深浦町', '町', '西北', '青森県', 16),
        ('023434', '西目屋村', '村', '中南', '青森県', 17),
        ('023612', '藤崎町', '町', '中南', '青森県', 18),
        ('023621', '大鰐町', '町', '中南', '青森県', 19),
        ('023671', '田舎館村', '村', '中南', '青森県', 20),
        ('023817', '板柳町', '町', '西北', '青森県', 21),
        ('023841', '鶴田町', '町', '西北', '青森県', 22),
        ('023876', '中泊町', '町', '西北', '青森県', 23),
        ('024015', '野辺地町', '町', '上北', '青森県', 24),
        ('024023', '七戸町', '町', '上北', '青森県', 25),
        ('024058', '六戸町', '町', '上北', '青森県', 26),
        ('024066', '横浜町', '町', '上北', '青森県', 27),
        ('024082', '東北町', '町', '上北', '青森県', 28),
        ('024112', '六ヶ所村', '村', '上北', '青森県', 29),
        ('024121', 'おいらせ町', '町', '上北', '青森県', 30),
        ('024236', '大間町', '町', '下北', '青森県', 31),
        ('024244', '東通村', '村', '下北', '青森県', 32),
        ('024252', '風間浦村', '村', '下北', '青森県', 33),
        ('024261', '佐井村', '村', '下北', '青森県', 34),
        ('024414', '三戸町', '町', '三八', '青森県', 35),
        ('024422', '五戸町', '町', '三八', '青森県', 36),
        ('024431', '田子町', '町', '三八', '青森県', 37),
        ('024457', '南部町', '町', '三八', '青森県', 38),
        ('024465', '階上町', '町', '三八', '青森県', 39),
        ('024503', '新郷村', '村', '三八', '青森県', 40),
    ]),
    'event_kinds': (('code', 'label', 'sort_order'), [
        ('outreach_day', '出張相談会', 10),
        ('seminar', 'セミナー', 20),
        ('training', '研修', 30),
        ('trade_fair', '商談会', 40),
    ]),
    'outcomes': (('code', 'label', 'sort_order'), [
        ('founded', '創業', 10),
        ('succeeded', '承継完了', 20),
        ('ma_closed', '成約', 30),
        ('resolved', '解決', 40),
        ('withdrawn', '中止', 50),
    ]),
    'dispatch_programs': (('id', 'code', 'name', 'center_id', 'share_numerator', 'share_denominator', 'report_due_days', 'active', 'version'), [
        (1, 'onestop', '専門家派遣事業', 1, 1, 3, 14, True, 1),
        (2, 'succession', '事業承継 専門家派遣', 3, 1, 3, 14, True, 1),
    ]),
}


def upgrade():
    bind = op.get_bind()
    meta = sa.MetaData()
    for table_name, (columns, rows) in VOCABULARY.items():
        table = sa.Table(table_name, meta, autoload_with=bind)
        op.bulk_insert(table, [dict(zip(columns, row)) for row in rows])
    if bind.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table_name in ("centers", "dispatch_programs"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), (SELECT max(id) FROM {table_name}))")


def downgrade():
    for table_name in reversed(list(VOCABULARY)):
        op.execute(f"DELETE FROM {table_name}")
