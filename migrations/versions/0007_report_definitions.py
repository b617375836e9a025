"""report definitions as data: report_sections, report_rows, report_opening_balances, with
the default definitions (the business report's tables casework fills); the index program rows count from

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
    {'id': 8, 'key': 'grants', 'number': None, 'title': '移住起業支援金等（助成）', 'center_code': 'startup', 'optional': True, 'note': None, 'sort_order': 80, 'active': True, 'version': 1},
    {'id': 9, 'key': 'trade_matching', 'number': '1(2)①', 'title': '受発注取引推進事業', 'center_code': 'trade', 'optional': True, 'note': None, 'sort_order': 90, 'active': True, 'version': 1},
    {'id': 10, 'key': 'trade_fairs_program', 'number': '1(2)②', 'title': '商談会等開催事業', 'center_code': 'trade', 'optional': True, 'note': None, 'sort_order': 100, 'active': True, 'version': 1},
    {'id': 11, 'key': 'subcontracting', 'number': '1(2)④', 'title': '下請かけこみ寺事業', 'center_code': 'trade', 'optional': True, 'note': '【参考】全国中小企業振興機関協会相談員の相談件数', 'sort_order': 110, 'active': True, 'version': 1},
    {'id': 12, 'key': 'startup_trainings', 'number': '1(3)①ア', 'title': 'IMスキルアップ研修の実施', 'center_code': 'startup', 'optional': True, 'note': None, 'sort_order': 120, 'active': True, 'version': 1},
    {'id': 13, 'key': 'startup_consultation_days', 'number': '1(3)①イ', 'title': 'UIJターン創業相談会', 'center_code': 'startup', 'optional': True, 'note': None, 'sort_order': 130, 'active': True, 'version': 1},
    {'id': 14, 'key': 'migration_startup', 'number': '1(3)②', 'title': 'あおり移住起業支援事業', 'center_code': 'startup', 'optional': True, 'note': None, 'sort_order': 140, 'active': True, 'version': 1},
    {'id': 15, 'key': 'rd_coordination', 'number': '2(1)①', 'title': '研究開発支援コーディネーターの配置', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 150, 'active': True, 'version': 1},
    {'id': 16, 'key': 'rd_seminars', 'number': '2(1)②', 'title': '競争的研究資金獲得セミナー', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 160, 'active': True, 'version': 1},
    {'id': 17, 'key': 'advanced_manufacturing', 'number': '2(2)', 'title': '戦略的ものづくり先進技術事業化支援事業', 'center_code': 'technology', 'optional': True, 'note': '採択の年度で集計（採択の翌年度に事業を実施）', 'sort_order': 170, 'active': True, 'version': 1},
    {'id': 18, 'key': 'hr_development', 'number': '2(3)', 'title': '産学官金連携人材育成支援事業', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 180, 'active': True, 'version': 1},
    {'id': 19, 'key': 'specific_fields', 'number': '2(5)', 'title': '特定分野連携事業', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 190, 'active': True, 'version': 1},
    {'id': 20, 'key': 'industry_forum', 'number': '2(6)', 'title': '「21あおり産業創造フォーラム」開催事業', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 200, 'active': True, 'version': 1},
    {'id': 21, 'key': 'supporting_industry', 'number': '2(7)', 'title': '戦略的基盤技術高度化支援事業（サポイン事業）', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 210, 'active': True, 'version': 1},
    {'id': 22, 'key': 'new_business', 'number': '2(8)', 'title': '新事業展開等促進事業', 'center_code': 'technology', 'optional': True, 'note': '採択の年度で集計（採択の翌年度に事業を実施）', 'sort_order': 220, 'active': True, 'version': 1},
    {'id': 23, 'key': 'dx_support', 'number': '2(9)', 'title': '中小企業DX支援事業', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 230, 'active': True, 'version': 1},
    {'id': 24, 'key': 'gx_promotion', 'number': '2(10)', 'title': '中小企業等GX推進事業', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 240, 'active': True, 'version': 1},
    {'id': 25, 'key': 'price_hike', 'number': '2(11)', 'title': '物価高騰対応収益力向上支援事業', 'center_code': 'technology', 'optional': True, 'note': None, 'sort_order': 250, 'active': True, 'version': 1},
    {'id': 26, 'key': 'sales_advisors', 'number': '6(1)①', 'title': '販路アドバイザーの配置', 'center_code': 'sales', 'optional': True, 'note': None, 'sort_order': 260, 'active': True, 'version': 1},
    {'id': 27, 'key': 'sales_experts', 'number': '6(1)②', 'title': '専門アドバイザー事業', 'center_code': 'sales', 'optional': True, 'note': None, 'sort_order': 270, 'active': True, 'version': 1},
    {'id': 28, 'key': 'sales_exhibitions', 'number': '6(1)③', 'title': '大規模展示会出展支援事業', 'center_code': 'sales', 'optional': True, 'note': None, 'sort_order': 280, 'active': True, 'version': 1},
    {'id': 29, 'key': 'business_support_center', 'number': '6(2)', 'title': 'ビジネスサポートセンター運営事業', 'center_code': 'sales', 'optional': True, 'note': None, 'sort_order': 290, 'active': True, 'version': 1},
    {'id': 30, 'key': 'revitalization', 'number': '7(1)', 'title': '青森県中小企業活性化事業', 'center_code': 'revitalization', 'optional': True, 'note': '但し、事前相談対応企業数は令和4年度からの累計。', 'sort_order': 300, 'active': True, 'version': 1},
    {'id': 31, 'key': 'improvement_plan', 'number': '7(2)', 'title': '経営改善計画策定支援事業（405事業）', 'center_code': 'revitalization', 'optional': True, 'note': None, 'sort_order': 310, 'active': True, 'version': 1},
    {'id': 32, 'key': 'early_improvement_plan', 'number': '7(2)', 'title': '早期経営改善計画策定支援事業（ポストコロナ持続的発展計画事業）', 'center_code': 'revitalization', 'optional': True, 'note': None, 'sort_order': 320, 'active': True, 'version': 1},
    {'id': 33, 'key': 'succession_events', 'number': '7(3)①②', 'title': '事業承継：支援能力の向上・広報普及活動', 'center_code': 'succession', 'optional': True, 'note': None, 'sort_order': 330, 'active': True, 'version': 1},
    {'id': 34, 'key': 'reconstruction', 'number': '8(1)', 'title': '青森県産業復興相談センター事業', 'center_code': 'reconstruction', 'optional': True, 'note': None, 'sort_order': 340, 'active': True, 'version': 1},
]

ROW_COLUMNS = ("kind", "date_column", "center_code", "program_code", "channels", "event_kinds", "outcome", "decision",
               "activity", "category", "side", "course", "milestone", "null_center_is", "aggregation", "sum_of", "unit", "cumulative_from",
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
    {'kind': 'figure', 'program_code': 'trade_matching', 'side': 'buyer', 'aggregation': 'records', 'unit': '社', 'id': 24, 'section_id': 9, 'key': 'buyers', 'label': '発注登録企業数', 'source': 'registrations', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'trade_matching', 'side': 'supplier', 'aggregation': 'records', 'unit': '社', 'id': 25, 'section_id': 9, 'key': 'suppliers', 'label': '受注登録企業数', 'source': 'registrations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'trade_matching', 'aggregation': 'records', 'unit': '件', 'id': 26, 'section_id': 9, 'key': 'introductions', 'label': 'あっせん紹介件数', 'source': 'introductions', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'outcome_on', 'program_code': 'trade_matching', 'outcome': 'concluded', 'aggregation': 'records', 'unit': '件', 'id': 27, 'section_id': 9, 'key': 'concluded', 'label': 'あっせん成立件数', 'source': 'introductions', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'outcome_on', 'program_code': 'trade_matching', 'outcome': 'concluded', 'aggregation': 'sum', 'sum_of': 'amount', 'unit': '千円', 'id': 28, 'section_id': 9, 'key': 'concluded_amount', 'label': 'あっせん成立金額', 'source': 'introductions', 'sort_order': 50, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'outcome_on', 'program_code': 'trade_matching', 'outcome': 'not_concluded', 'aggregation': 'records', 'unit': '件', 'id': 29, 'section_id': 9, 'key': 'not_concluded', 'label': 'あっせん不成立件数', 'source': 'introductions', 'sort_order': 60, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'trade_fairs', 'aggregation': 'records', 'unit': '回', 'id': 30, 'section_id': 10, 'key': 'fairs', 'label': '開催回数', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'trade_fairs', 'aggregation': 'sum', 'sum_of': 'companies', 'unit': '社', 'id': 31, 'section_id': 10, 'key': 'companies', 'label': '出席企業', 'source': 'events', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'trade_fairs', 'aggregation': 'records', 'unit': '件', 'list_columns': 'title;dates;area;companies', 'id': 32, 'section_id': 10, 'key': 'list', 'label': '開催状況', 'source': 'events', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'subcontracting', 'category': 'subcontract_act', 'aggregation': 'records', 'unit': '件', 'id': 33, 'section_id': 11, 'key': 'subcontract_act', 'label': '下請代金法関連', 'source': 'consultations', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'subcontracting', 'category': 'construction_act', 'aggregation': 'records', 'unit': '件', 'id': 34, 'section_id': 11, 'key': 'construction_act', 'label': '建設業法関連', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'subcontracting', 'category': 'other', 'aggregation': 'records', 'unit': '件', 'id': 35, 'section_id': 11, 'key': 'other', 'label': 'その他', 'source': 'consultations', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'subcontracting', 'aggregation': 'records', 'unit': '件', 'id': 36, 'section_id': 11, 'key': 'total', 'label': '計', 'source': 'consultations', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'startup', 'event_kinds': 'training', 'aggregation': 'records', 'unit': '件', 'list_columns': 'title;dates;area;participants', 'id': 37, 'section_id': 12, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'startup', 'event_kinds': 'consultation_day', 'aggregation': 'records', 'unit': '回', 'id': 38, 'section_id': 13, 'key': 'days', 'label': '開催回数', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'center_code': 'startup', 'program_code': 'startup', 'channels': 'outreach;online', 'aggregation': 'records', 'unit': '件', 'id': 39, 'section_id': 13, 'key': 'consultations', 'label': '相談件数', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'migration_startup', 'decision': 'adopted', 'aggregation': 'records', 'unit': '件', 'id': 40, 'section_id': 14, 'key': 'adopted', 'label': '採択件数', 'source': 'grants', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'granted_on', 'program_code': 'migration_startup', 'aggregation': 'sum', 'sum_of': 'granted_amount', 'unit': '千円', 'id': 41, 'section_id': 14, 'key': 'granted', 'label': '交付金額', 'source': 'grants', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'breakdown', 'aggregation': 'records', 'unit': '件', 'breakdown_of': 'adopted', 'breakdown_by': 'industry', 'id': 42, 'section_id': 14, 'key': 'top_industries', 'label': '主な業種', 'source': 'grants', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'rd_coordination', 'activity': 'company_visit', 'aggregation': 'records', 'unit': '件', 'id': 43, 'section_id': 15, 'key': 'company_visit', 'label': '事業化可能性の高い技術、ノウハウ発掘のための企業訪問', 'source': 'consultations', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'rd_coordination', 'activity': 'advice', 'aggregation': 'records', 'unit': '件', 'id': 44, 'section_id': 15, 'key': 'advice', 'label': '技術課題等の解決に向けたアドバイス', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'rd_coordination', 'activity': 'application_support', 'aggregation': 'records', 'unit': '件', 'id': 45, 'section_id': 15, 'key': 'application_support', 'label': '国等の競争的研究資金等外部資金への申請支援及び採択後の事業管理のフォロー', 'source': 'consultations', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'rd_coordination', 'activity': 'company_visit;advice;application_support', 'aggregation': 'records', 'unit': '件', 'id': 46, 'section_id': 15, 'key': 'total', 'label': '計', 'source': 'consultations', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'rd_coordination', 'aggregation': 'records', 'unit': '件', 'list_columns': 'title;dates;area;participants', 'id': 47, 'section_id': 16, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'advanced_manufacturing', 'decision': 'adopted', 'aggregation': 'records', 'unit': '件', 'id': 48, 'section_id': 17, 'key': 'adopted', 'label': '採択者数', 'source': 'grants', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'advanced_manufacturing', 'decision': 'adopted', 'aggregation': 'sum', 'sum_of': 'amount', 'unit': '千円', 'id': 49, 'section_id': 17, 'key': 'amount', 'label': '採択金額', 'source': 'grants', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'hr_development', 'aggregation': 'records', 'unit': '件', 'list_columns': 'title;partners;dates;area;participants', 'id': 50, 'section_id': 18, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'specific_fields', 'aggregation': 'records', 'unit': '件', 'list_columns': 'dates;area;participants', 'id': 51, 'section_id': 19, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'industry_forum', 'aggregation': 'records', 'unit': '件', 'list_columns': 'dates;area;partners;participants', 'id': 52, 'section_id': 20, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'gx_promotion', 'aggregation': 'records', 'unit': '件', 'list_columns': 'dates;area;partners;participants', 'id': 53, 'section_id': 24, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'granted_on', 'program_code': 'supporting_industry', 'aggregation': 'sum', 'sum_of': 'granted_amount', 'unit': '千円', 'id': 54, 'section_id': 21, 'key': 'granted', 'label': '交付決定額', 'source': 'grants', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'new_business', 'decision': 'adopted', 'course': 'new_business', 'aggregation': 'records', 'unit': '件', 'id': 55, 'section_id': 22, 'key': 'new_business_adopted', 'label': '新事業開発コース 採択者数', 'source': 'grants', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'new_business', 'decision': 'adopted', 'course': 'new_business', 'aggregation': 'sum', 'sum_of': 'amount', 'unit': '千円', 'id': 56, 'section_id': 22, 'key': 'new_business_amount', 'label': '新事業開発コース 採択金額', 'source': 'grants', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'new_business', 'decision': 'adopted', 'course': 'market_development', 'aggregation': 'records', 'unit': '件', 'id': 57, 'section_id': 22, 'key': 'market_adopted', 'label': '販路開拓コース 採択者数', 'source': 'grants', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'new_business', 'decision': 'adopted', 'course': 'market_development', 'aggregation': 'sum', 'sum_of': 'amount', 'unit': '千円', 'id': 58, 'section_id': 22, 'key': 'market_amount', 'label': '販路開拓コース 採択金額', 'source': 'grants', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'dx_support', 'aggregation': 'clients', 'unit': '社', 'id': 59, 'section_id': 23, 'key': 'companies', 'label': '支援企業', 'source': 'consultations', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'breakdown', 'aggregation': 'clients', 'unit': '社', 'breakdown_of': 'companies', 'breakdown_by': 'industry', 'id': 60, 'section_id': 23, 'key': 'top_industries', 'label': '主な業種', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'granted_on', 'program_code': 'price_hike', 'course': 'value_added', 'aggregation': 'records', 'unit': '件', 'id': 61, 'section_id': 25, 'key': 'value_added_count', 'label': '高付加価値化促進枠 交付件数', 'source': 'grants', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'granted_on', 'program_code': 'price_hike', 'course': 'value_added', 'aggregation': 'sum', 'sum_of': 'granted_amount', 'unit': '千円', 'id': 62, 'section_id': 25, 'key': 'value_added_amount', 'label': '高付加価値化促進枠 交付金額', 'source': 'grants', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'granted_on', 'program_code': 'price_hike', 'course': 'logistics_2024', 'aggregation': 'records', 'unit': '件', 'id': 63, 'section_id': 25, 'key': 'logistics_count', 'label': '物流の2024年問題対応枠 交付件数', 'source': 'grants', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'date_column': 'granted_on', 'program_code': 'price_hike', 'course': 'logistics_2024', 'aggregation': 'sum', 'sum_of': 'granted_amount', 'unit': '千円', 'id': 64, 'section_id': 25, 'key': 'logistics_amount', 'label': '物流の2024年問題対応枠 交付金額', 'source': 'grants', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'business_support_station', 'channels': 'window', 'aggregation': 'records', 'unit': '社', 'id': 65, 'section_id': 26, 'key': 'window', 'label': '窓口相談数（延べ）', 'source': 'consultations', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'business_support_station', 'channels': 'visit', 'aggregation': 'records', 'unit': '社', 'id': 66, 'section_id': 26, 'key': 'visit', 'label': '訪問企業数（延べ）', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'breakdown', 'aggregation': 'records', 'unit': '社', 'breakdown_of': 'window', 'breakdown_by': 'industry', 'id': 67, 'section_id': 26, 'key': 'top_industries', 'label': '主な業種', 'source': 'consultations', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'business_support_station', 'event_kinds': 'consultation_day;seminar;trade_fair', 'aggregation': 'records', 'unit': '件', 'list_columns': 'title;dates;area;companies', 'id': 68, 'section_id': 27, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'business_support_station', 'event_kinds': 'exhibition', 'aggregation': 'records', 'unit': '件', 'list_columns': 'dates;area;companies', 'id': 69, 'section_id': 28, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'list', 'program_code': 'business_support_center', 'event_kinds': 'exhibition', 'aggregation': 'records', 'unit': '件', 'list_columns': 'dates;area;companies', 'id': 70, 'section_id': 29, 'key': 'list', 'label': '実績', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'revitalization', 'milestone': 'pre_consultation', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2022, 'id': 71, 'section_id': 30, 'key': 'pre_consultation', 'label': '事前相談対応企業数', 'source': 'case_milestones', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'revitalization', 'milestone': 'first_consultation', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2003, 'id': 72, 'section_id': 30, 'key': 'first_consultation', 'label': '一次相談対応企業数', 'source': 'case_milestones', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'revitalization', 'milestone': 'plan_completed', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2003, 'id': 73, 'section_id': 30, 'key': 'plan_completed', 'label': '再生計画策定支援完了', 'source': 'case_milestones', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'revitalization', 'milestone': 'jobs_retained', 'aggregation': 'sum', 'sum_of': 'number', 'unit': '名', 'cumulative_from': 2003, 'id': 74, 'section_id': 30, 'key': 'jobs_retained', 'label': '雇用維持効果', 'source': 'case_milestones', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'improvement_plan', 'milestone': 'application', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2012, 'id': 75, 'section_id': 31, 'key': 'application', 'label': '事業利用申請受付件数', 'source': 'case_milestones', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'improvement_plan', 'milestone': 'fee_application', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2012, 'id': 76, 'section_id': 31, 'key': 'fee_application', 'label': '計画策定費用支払申請受付件数', 'source': 'case_milestones', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'improvement_plan', 'milestone': 'follow_up', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2012, 'id': 77, 'section_id': 31, 'key': 'follow_up', 'label': '伴走支援実施回数', 'source': 'case_milestones', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'early_improvement_plan', 'milestone': 'application', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2017, 'id': 78, 'section_id': 32, 'key': 'application', 'label': '事業利用申請受付件数', 'source': 'case_milestones', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'early_improvement_plan', 'milestone': 'fee_application', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2017, 'id': 79, 'section_id': 32, 'key': 'fee_application', 'label': '計画策定費用支払申請受付件数', 'source': 'case_milestones', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'early_improvement_plan', 'milestone': 'follow_up', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2017, 'id': 80, 'section_id': 32, 'key': 'follow_up', 'label': '伴走支援実施回数', 'source': 'case_milestones', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'succession', 'event_kinds': 'training', 'aggregation': 'records', 'unit': '回', 'id': 81, 'section_id': 33, 'key': 'trainings', 'label': '支援能力の向上 開催回数', 'source': 'events', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'succession', 'event_kinds': 'training', 'aggregation': 'sum', 'sum_of': 'participants', 'unit': '名', 'id': 82, 'section_id': 33, 'key': 'training_participants', 'label': '支援能力の向上 参加人数', 'source': 'events', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'succession', 'event_kinds': 'seminar;consultation_day', 'aggregation': 'records', 'unit': '回', 'id': 83, 'section_id': 33, 'key': 'seminars', 'label': '広報普及活動 開催回数', 'source': 'events', 'sort_order': 30, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'succession', 'event_kinds': 'seminar;consultation_day', 'aggregation': 'sum', 'sum_of': 'participants', 'unit': '名', 'id': 84, 'section_id': 33, 'key': 'seminar_participants', 'label': '広報普及活動 参加人数', 'source': 'events', 'sort_order': 40, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'reconstruction', 'aggregation': 'records', 'unit': '件', 'cumulative_from': 2011, 'id': 85, 'section_id': 34, 'key': 'consultations', 'label': '累計相談延べ件数', 'source': 'consultations', 'sort_order': 10, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'reconstruction', 'aggregation': 'clients', 'unit': '社', 'cumulative_from': 2011, 'id': 86, 'section_id': 34, 'key': 'companies', 'label': '相談実企業件数', 'source': 'consultations', 'sort_order': 20, 'active': True, 'version': 1},
    {'kind': 'figure', 'program_code': 'reconstruction', 'milestone': 'referred_to_planning', 'aggregation': 'records', 'unit': '社', 'cumulative_from': 2011, 'id': 87, 'section_id': 34, 'key': 'referred', 'label': 'うち計画策定支援部門への送付企業数', 'source': 'case_milestones', 'sort_order': 30, 'active': True, 'version': 1},
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
    sa.Column('course', sa.String(length=64), nullable=True),
    sa.Column('milestone', sa.String(length=64), nullable=True),
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
    op.create_index("ix_consultations_program_counted", "consultations",
                    ["program_id", "held_on", "activity_id", "category_id", "channel_code", "client_id", "voided_at"])
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
    op.drop_index("ix_consultations_program_counted", table_name="consultations")
    op.drop_index(op.f('ix_report_opening_balances_row_id'), table_name='report_opening_balances')
    op.drop_table('report_opening_balances')
    op.drop_index(op.f('ix_report_rows_section_id'), table_name='report_rows')
    op.drop_table('report_rows')
    op.drop_table('report_sections')
