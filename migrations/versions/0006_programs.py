"""programs (事業) of the FY2023 report's 事業実績 and their vocabularies; records carry their program;
new record kinds: registrations, introductions (あっせん), event attendance, case milestones

Existing records get the default program of their center (the same counts as before: each of
today's centers maps to the program its report section counts). Centers an admin added get a
program of their own, named after the center.

The rows below are a frozen copy of casework/seed/programs.py (tests/test_programs_seed.py
checks they agree); this migration does not import app code.

Revision ID: 0006
Revises: 0005
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Centers beyond 0002's: code, name, report title, confidential, sort order
CENTERS = [
    ('trade', '取引推進', '取引推進事業', False, 50),
    ('technology', '地域技術事業化支援', '地域技術事業化支援事業', False, 60),
    ('sales', 'ビジネスサポートステーション', 'ビジネスサポートステーション事業', False, 70),
    ('revitalization', '中小企業活性化協議会', '中小企業再生支援協議会事業', False, 80),
    ('reconstruction', '産業復興相談センター', '産業復興相談センター事業', False, 90),
]

# Event kinds beyond 0002's: code, label, sort order
EVENT_KINDS = [
    ('exhibition', '展示会', 50),
    ('consultation_day', '相談会', 60),
    ('briefing', '説明会', 70),
    ('forum', 'フォーラム', 80),
]

# code, center, report number, report name, short name, confidential, started FY, ended FY, default for,
# terms (kind, code, label, unit)
PROGRAMS = [
    ('onestop', 'onestop', '1(1)①', 'ワンストップ総合相談事業', 'ワンストップ総合相談', False, None, None, 'consultation;case;event', []),
    ('yorozu', 'yorozu', '1(1)②', 'よろず支援拠点事業', 'よろず支援拠点', False, None, None, 'consultation;case;event', []),
    ('expert_dispatch', 'onestop', '1(1)③', '専門家派遣事業', '専門家派遣', False, None, None, 'dispatch', []),
    ('trade_matching', 'trade', '1(2)①', '受発注取引推進事業', '受発注取引推進', False, None, None, 'consultation;case;registration;introduction', [('side', 'buyer', '発注企業', None), ('side', 'supplier', '受注企業', None)]),
    ('trade_fairs', 'trade', '1(2)②', '商談会等開催事業', '商談会等開催', False, None, None, 'event', [('side', 'buyer', '発注企業', None), ('side', 'supplier', '受注企業', None)]),
    ('trade_support', 'trade', '1(2)③', '支援体制整備円滑化事業', '支援体制整備円滑化', False, None, None, '', []),
    ('subcontracting', 'trade', '1(2)④', '下請かけこみ寺事業', '下請かけこみ寺', False, None, None, '', [('category', 'subcontract_act', '下請代金法関連', None), ('category', 'construction_act', '建設業法関連', None), ('category', 'other', 'その他', None)]),
    ('startup', 'startup', '1(3)①', '創業・起業伴走型支援事業', '創業・起業伴走型支援', False, None, None, 'consultation;case;event', []),
    ('migration_startup', 'startup', '1(3)②', 'あおり移住起業支援事業', '移住起業支援', False, None, None, 'grant', []),
    ('rd_coordination', 'technology', '2(1)', 'あおり産学官金連携による新ビジネス創発支援事業', '産学官金連携 新ビジネス創発支援', False, None, None, 'consultation;case;event', [('activity', 'company_visit', '企業訪問', None), ('activity', 'advice', 'アドバイス', None), ('activity', 'application_support', '申請支援', None)]),
    ('advanced_manufacturing', 'technology', '2(2)', '戦略的ものづくり先進技術事業化支援事業', 'ものづくり先進技術事業化支援', False, None, None, 'grant', []),
    ('hr_development', 'technology', '2(3)', '産学官金連携人材育成支援事業', '産学官金連携人材育成', False, None, None, '', []),
    ('mirai_challenge', 'technology', '2(4)', '21あおもり未来チャレンジ助成事業', '未来チャレンジ助成', False, None, None, '', []),
    ('specific_fields', 'technology', '2(5)', '特定分野連携事業', '特定分野連携', False, None, None, '', []),
    ('industry_forum', 'technology', '2(6)', '「21あおり産業創造フォーラム」開催事業', '産業創造フォーラム', False, None, None, '', []),
    ('supporting_industry', 'technology', '2(7)', '戦略的基盤技術高度化支援事業（サポイン事業）', 'サポイン事業', False, None, None, '', []),
    ('new_business', 'technology', '2(8)', '新事業展開等促進事業', '新事業展開等促進', False, None, None, '', [('course', 'new_business', '新事業開発コース', None), ('course', 'market_development', '販路開拓コース', None)]),
    ('dx_support', 'technology', '2(9)', '中小企業DX支援事業', '中小企業DX支援', False, None, None, '', []),
    ('gx_promotion', 'technology', '2(10)', '中小企業等GX推進事業', '中小企業等GX推進', False, None, None, '', []),
    ('price_hike', 'technology', '2(11)', '物価高騰対応収益力向上支援事業', '物価高騰対応収益力向上支援', False, None, None, '', [('course', 'value_added', '高付加価値化促進枠', None), ('course', 'logistics_2024', '物流の2024年問題対応枠', None)]),
    ('business_support_station', 'sales', '6(1)', 'ビジネスサポートステーション運営事業', 'ビジネスサポートステーション', False, None, None, 'consultation;case;event', []),
    ('business_support_center', 'sales', '6(2)', 'ビジネスサポートセンター運営事業', 'ビジネスサポートセンター', False, None, None, '', []),
    ('revitalization', 'revitalization', '7(1)', '青森県中小企業活性化事業', '中小企業活性化', True, None, None, 'consultation;case;event;milestone', [('milestone', 'pre_consultation', '事前相談', None), ('milestone', 'first_consultation', '一次相談', None), ('milestone', 'plan_completed', '再生計画策定支援完了', None), ('milestone', 'jobs_retained', '雇用維持効果', '名')]),
    ('improvement_plan', 'revitalization', '7(2)', '経営改善計画策定支援事業', '経営改善計画策定支援（405事業）', True, None, None, '', [('milestone', 'application', '事業利用申請受付', None), ('milestone', 'fee_application', '計画策定費用支払申請受付', None), ('milestone', 'follow_up', '伴走支援実施', '回')]),
    ('early_improvement_plan', 'revitalization', '7(2)', '早期経営改善計画策定支援事業', '早期経営改善計画策定支援', True, None, None, '', [('milestone', 'application', '事業利用申請受付', None), ('milestone', 'fee_application', '計画策定費用支払申請受付', None), ('milestone', 'follow_up', '伴走支援実施', '回')]),
    ('succession', 'succession', '7(3)', '青森県事業承継・引継ぎ支援センター事業', '事業承継・引継ぎ支援', True, None, None, 'consultation;case;event;dispatch;diagnosis', []),
    ('reconstruction', 'reconstruction', '8(1)', '青森県産業復興相談センター事業', '産業復興相談', False, None, 2023, 'consultation;case;milestone', [('milestone', 'referred_to_planning', '計画策定支援部門への送付', None)]),
]


def upgrade():
    op.create_table('programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('report_name', sa.String(length=200), nullable=False),
    sa.Column('report_number', sa.String(length=20), nullable=True),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('started_fiscal_year', sa.Integer(), nullable=True),
    sa.Column('ended_fiscal_year', sa.Integer(), nullable=True),
    sa.Column('default_for', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('ended_fiscal_year IS NULL OR started_fiscal_year IS NULL OR ended_fiscal_year >= started_fiscal_year', name=op.f('ck_programs_years')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_programs_center_id_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs')),
    sa.UniqueConstraint('code', name=op.f('uq_programs_code'))
    )
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programs_center_id'), ['center_id'], unique=False)

    op.create_table('program_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('activity','category','course','milestone','side')", name=op.f('ck_program_terms_kind')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_terms_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_terms')),
    sa.UniqueConstraint('program_id', 'kind', 'code', name='uq_program_terms_program_kind_code')
    )
    op.create_table('event_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('side_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('company_name', sa.String(length=200), nullable=True),
    sa.Column('companies', sa.Integer(), nullable=False),
    sa.Column('companies_in_prefecture', sa.Integer(), nullable=True),
    sa.Column('meetings', sa.Integer(), nullable=True),
    sa.Column('meetings_in_prefecture', sa.Integer(), nullable=True),
    sa.Column('deals', sa.Integer(), nullable=True),
    sa.Column('deals_in_prefecture', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('amount_in_prefecture', sa.BigInteger(), nullable=True),
    sa.Column('quote_requests', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_event_attendances_amount')),
    sa.CheckConstraint('companies >= 0 AND (companies_in_prefecture IS NULL OR companies_in_prefecture <= companies)', name=op.f('ck_event_attendances_companies')),
    sa.CheckConstraint('deals IS NULL OR deals >= 0', name=op.f('ck_event_attendances_deals')),
    sa.CheckConstraint('meetings IS NULL OR meetings >= 0', name=op.f('ck_event_attendances_meetings')),
    sa.CheckConstraint('quote_requests IS NULL OR quote_requests >= 0', name=op.f('ck_event_attendances_quote_requests')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_event_attendances_center_id_centers')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_event_attendances_client_id_clients')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_event_attendances_created_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_attendances_event_id_events')),
    sa.ForeignKeyConstraint(['side_id'], ['program_terms.id'], name=op.f('fk_event_attendances_side_id_program_terms')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_event_attendances_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_attendances')),
    sa.UniqueConstraint('ref', name=op.f('uq_event_attendances_ref'))
    )
    with op.batch_alter_table('event_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_attendances_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_attendances_event_id'), ['event_id'], unique=False)

    op.create_table('introductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=True),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('buyer_client_id', sa.Integer(), nullable=False),
    sa.Column('supplier_client_id', sa.Integer(), nullable=False),
    sa.Column('introduced_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("outcome IN ('concluded','not_concluded','ongoing')", name=op.f('ck_introductions_outcome')),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_introductions_amount')),
    sa.CheckConstraint('buyer_client_id <> supplier_client_id', name=op.f('ck_introductions_two_companies')),
    sa.CheckConstraint('outcome_on IS NULL OR outcome_on >= introduced_on', name=op.f('ck_introductions_outcome_after_introduced')),
    sa.ForeignKeyConstraint(['buyer_client_id'], ['clients.id'], name=op.f('fk_introductions_buyer_client_id_clients')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_introductions_center_id_centers')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_introductions_created_by_id_users')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_introductions_program_id_programs')),
    sa.ForeignKeyConstraint(['supplier_client_id'], ['clients.id'], name=op.f('fk_introductions_supplier_client_id_clients')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_introductions_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introductions')),
    sa.UniqueConstraint('ref', name=op.f('uq_introductions_ref'))
    )
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introductions_buyer_client_id'), ['buyer_client_id'], unique=False)
        batch_op.create_index('ix_introductions_program_introduced', ['program_id', 'introduced_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_supplier_client_id'), ['supplier_client_id'], unique=False)

    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('side_id', sa.Integer(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= registered_on', name=op.f('ck_registrations_ended_after_registered')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_registrations_center_id_centers')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_registrations_client_id_clients')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_registrations_created_by_id_users')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_registrations_program_id_programs')),
    sa.ForeignKeyConstraint(['side_id'], ['program_terms.id'], name=op.f('fk_registrations_side_id_program_terms')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_registrations_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('ref', name=op.f('uq_registrations_ref'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_registrations_program_side', ['program_id', 'side_id', 'registered_on'], unique=False)

    op.create_table('case_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('achieved_on', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('number IS NULL OR number >= 0', name=op.f('ck_case_milestones_number')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_milestones_case_id_cases')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_case_milestones_center_id_centers')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_case_milestones_client_id_clients')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_case_milestones_created_by_id_users')),
    sa.ForeignKeyConstraint(['milestone_id'], ['program_terms.id'], name=op.f('fk_case_milestones_milestone_id_program_terms')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_case_milestones_program_id_programs')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_case_milestones_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_milestones')),
    sa.UniqueConstraint('ref', name=op.f('uq_case_milestones_ref'))
    )
    with op.batch_alter_table('case_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_milestones_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_milestones_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_case_milestones_program_achieved', ['program_id', 'milestone_id', 'achieved_on'], unique=False)

    # cases, consultations and events are referenced by other tables: on SQLite a batch copy would
    # drop them (and cascade to consultation_themes), so their columns are added in place.
    add_reference('cases', 'program_id', 'programs')
    op.create_index('ix_cases_program_id', 'cases', ['program_id'])
    add_reference('consultations', 'program_id', 'programs')
    add_reference('consultations', 'activity_id', 'program_terms')
    add_reference('consultations', 'category_id', 'program_terms')
    op.create_index('ix_consultations_program_held', 'consultations', ['program_id', 'held_on'])

    with op.batch_alter_table('diagnoses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_diagnoses_program_id_programs'), 'programs', ['program_id'], ['id'])

    with op.batch_alter_table('dispatch_visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dispatch_visits_program_id'), ['program_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_dispatch_visits_program_id_programs'), 'programs', ['program_id'], ['id'])

    add_reference('events', 'program_id', 'programs')
    op.add_column('events', sa.Column('ends_on', sa.Date(), nullable=True))
    op.add_column('events', sa.Column('partners', sa.String(length=300), nullable=True))
    op.add_column('events', sa.Column('area', sa.String(length=100), nullable=True))
    op.add_column('events', sa.Column('companies', sa.Integer(), nullable=True))
    op.create_index('ix_events_program_id', 'events', ['program_id'])

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('program_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('course_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('title', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('partners', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('round_fiscal_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('project_fiscal_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('project_end_fiscal_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('granted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('granted_amount', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_grants_program_id'), ['program_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_grants_ref'), ['ref'])
        batch_op.create_foreign_key(batch_op.f('fk_grants_created_by_id_users'), 'users', ['created_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_grants_program_id_programs'), 'programs', ['program_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_grants_course_id_program_terms'), 'program_terms', ['course_id'], ['id'])
        batch_op.create_check_constraint('amount', 'amount IS NULL OR amount >= 0')
        batch_op.create_check_constraint('granted_amount', 'granted_amount IS NULL OR granted_amount >= 0')
        batch_op.create_check_constraint(
            'project_years', 'project_end_fiscal_year IS NULL OR project_fiscal_year IS NULL '
            'OR project_end_fiscal_year >= project_fiscal_year')

    seed_and_assign()


def add_reference(table, column, referred):
    """ALTER TABLE … ADD COLUMN with a named foreign key, without copying the table."""
    name = f"fk_{table}_{column}_{referred}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES {referred} (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, referred, [column], ['id'])


def drop_reference(table, column, referred):
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(f"fk_{table}_{column}_{referred}", table, type_="foreignkey")
    op.drop_column(table, column)  # SQLite 3.35+: a column with a column-level REFERENCES drops in place


# Which kind of record each table holds (Program.default_for names them)
RECORD_TABLES = [("consultations", "consultation"), ("cases", "case"), ("events", "event"), ("grants", "grant"),
                 ("dispatch_visits", "dispatch"), ("diagnoses", "diagnosis")]


def seed_and_assign():
    bind = op.get_bind()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    centers = sa.table("centers", sa.column("id", sa.Integer), sa.column("code", sa.String),
                       sa.column("name", sa.String), sa.column("report_title", sa.String),
                       sa.column("confidential", sa.Boolean), sa.column("sort_order", sa.Integer),
                       sa.column("active", sa.Boolean), sa.column("version", sa.Integer))
    event_kinds = sa.table("event_kinds", sa.column("code", sa.String), sa.column("label", sa.String),
                           sa.column("sort_order", sa.Integer))
    programs = sa.table("programs", *(sa.column(c) for c in (
        "id", "center_id", "code", "name", "report_name", "report_number", "confidential", "active", "sort_order",
        "started_fiscal_year", "ended_fiscal_year", "default_for", "version", "created_at", "updated_at")))
    terms = sa.table("program_terms", *(sa.column(c) for c in (
        "program_id", "kind", "code", "label", "unit", "sort_order", "active", "version", "created_at", "updated_at")))

    known = set(bind.execute(sa.select(centers.c.code)).scalars())
    new_centers = [dict(code=c, name=n, report_title=t, confidential=conf, sort_order=o, active=True, version=1)
                   for c, n, t, conf, o in CENTERS if c not in known]
    if new_centers:
        op.bulk_insert(centers, new_centers)
    known_kinds = set(bind.execute(sa.select(event_kinds.c.code)).scalars())
    new_kinds = [dict(code=c, label=l, sort_order=o) for c, l, o in EVENT_KINDS if c not in known_kinds]
    if new_kinds:
        op.bulk_insert(event_kinds, new_kinds)

    center_ids = dict(bind.execute(sa.select(centers.c.code, centers.c.id)).all())
    for i, (code, center, number, report_name, name, conf, started, ended, default_for, program_terms) in \
            enumerate(PROGRAMS, 1):
        bind.execute(programs.insert().values(
            center_id=center_ids[center], code=code, name=name, report_name=report_name, report_number=number,
            confidential=conf, active=True, sort_order=i * 10, started_fiscal_year=started, ended_fiscal_year=ended,
            default_for=default_for or None, version=1, created_at=now, updated_at=now))
        program_id = bind.execute(sa.select(programs.c.id).where(programs.c.code == code)).scalar_one()
        rows = [dict(program_id=program_id, kind=kind, code=term_code, label=label, unit=unit, sort_order=j * 10,
                     active=True, version=1, created_at=now, updated_at=now)
                for j, (kind, term_code, label, unit) in enumerate(program_terms, 1)]
        if rows:
            op.bulk_insert(terms, rows)

    # Centers an admin added before programs existed: a program of their own, default for everything.
    with_program = set(bind.execute(sa.select(programs.c.center_id)).scalars())
    taken = set(bind.execute(sa.select(programs.c.code)).scalars())
    for center_id, code, name, title, conf, order in bind.execute(sa.select(
            centers.c.id, centers.c.code, centers.c.name, centers.c.report_title, centers.c.confidential,
            centers.c.sort_order).order_by(centers.c.id)).all():
        if center_id in with_program:
            continue
        program_code = code if code not in taken else f"center_{center_id}"
        taken.add(program_code)
        bind.execute(programs.insert().values(
            center_id=center_id, code=program_code, name=name, report_name=title or name, report_number=None,
            confidential=bool(conf), active=True, sort_order=1000 + (order or 0), started_fiscal_year=None,
            ended_fiscal_year=None, default_for=";".join(kind for _, kind in RECORD_TABLES),
            version=1, created_at=now, updated_at=now))

    # Every existing record gets its center's default program for its kind.
    listed = bind.execute(sa.select(programs.c.id, programs.c.center_id, programs.c.default_for)
                          .order_by(programs.c.sort_order, programs.c.id)).all()
    for table_name, kind in RECORD_TABLES:
        for center_id in {c for _, c, _ in listed}:
            mine = [(pid, set((d or "").split(";"))) for pid, c, d in listed if c == center_id]
            program_id = next((pid for pid, kinds in mine if kind in kinds), None) \
                or next((pid for pid, kinds in mine if "consultation" in kinds), None) or mine[0][0]
            op.execute(sa.text(f"UPDATE {table_name} SET program_id = :p WHERE center_id = :c AND program_id IS NULL")
                       .bindparams(p=program_id, c=center_id))
    # 事業承継診断 without a center belong to succession (reporting.metrics: null_center_is)
    if "succession" in center_ids:
        op.execute(sa.text("UPDATE diagnoses SET program_id = (SELECT id FROM programs WHERE code = 'succession') "
                           "WHERE center_id IS NULL AND program_id IS NULL"))



def downgrade():
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_grants_project_years'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_grants_granted_amount'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_grants_amount'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_grants_course_id_program_terms'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_grants_program_id_programs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_grants_created_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_grants_ref'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_grants_program_id'))
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('notes')
        batch_op.drop_column('granted_amount')
        batch_op.drop_column('granted_on')
        batch_op.drop_column('project_end_fiscal_year')
        batch_op.drop_column('project_fiscal_year')
        batch_op.drop_column('round_fiscal_year')
        batch_op.drop_column('partners')
        batch_op.drop_column('title')
        batch_op.drop_column('course_id')
        batch_op.drop_column('program_id')
        batch_op.drop_column('ref')

    op.drop_index('ix_events_program_id', table_name='events')
    for column in ('companies', 'area', 'partners', 'ends_on'):
        op.drop_column('events', column)
    drop_reference('events', 'program_id', 'programs')

    with op.batch_alter_table('dispatch_visits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dispatch_visits_program_id_programs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_dispatch_visits_program_id'))
        batch_op.drop_column('program_id')

    with op.batch_alter_table('diagnoses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_diagnoses_program_id_programs'), type_='foreignkey')
        batch_op.drop_column('program_id')

    op.drop_index('ix_consultations_program_held', table_name='consultations')
    drop_reference('consultations', 'category_id', 'program_terms')
    drop_reference('consultations', 'activity_id', 'program_terms')
    drop_reference('consultations', 'program_id', 'programs')
    op.drop_index('ix_cases_program_id', table_name='cases')
    drop_reference('cases', 'program_id', 'programs')

    op.drop_table('case_milestones')
    op.drop_table('registrations')
    op.drop_table('introductions')
    op.drop_table('event_attendances')
    op.drop_table('program_terms')
    op.drop_table('programs')
    # the centers and event kinds 0006 added, unless records use them
    for code, *_ in CENTERS:
        op.execute(sa.text("DELETE FROM centers WHERE code = :c AND NOT EXISTS (SELECT 1 FROM cases WHERE center_id = "
                           "centers.id) AND NOT EXISTS (SELECT 1 FROM memberships WHERE center_id = centers.id)")
                   .bindparams(c=code))
    for code, *_ in EVENT_KINDS:
        op.execute(sa.text("DELETE FROM event_kinds WHERE code = :c AND NOT EXISTS "
                           "(SELECT 1 FROM events WHERE kind_code = :c)").bindparams(c=code))
