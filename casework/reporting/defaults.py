"""The default report definitions: the tables of the center's business report (事業実績) that
casework fills, as rows of report_sections / report_rows / report_opening_balances.

Revision 0007 inserts a literal copy of these rows (a released revision never imports app
code); tests/test_report_definitions.py checks that the two agree. Databases built with
create_all (tests, benchmarks) get them from casework.seed.seed_rows().
"""
from __future__ import annotations

# key, number as printed, title, center code, optional, note
SECTIONS = [
    ("onestop", "1(1)①", "ワンストップ総合相談事業", "onestop", False, None),
    ("yorozu", "1(1)②", "よろず支援拠点事業", "yorozu", False, None),
    ("dispatch", "1(1)③", "専門家派遣事業", "onestop", False, None),
    ("startup", "1(3)①", "創業・起業伴走型支援事業", "startup", False, None),
    ("succession", "7(3)", "事業承継・引継ぎ支援センター事業", "succession", False, None),
    # Beyond the contract, shown when they count something.
    ("seminars", None, "研修・セミナー", None, True, None),
    ("trade_fairs", None, "商談会", None, True, None),
    ("grants", None, "移住起業支援金等（助成）", "startup", True, None),
    # The other tables of the FY2023 report's 事業実績, one section per table, counted by program
    # (casework/seed/programs.py). Optional: shown when they count something.
    ("trade_matching", "1(2)①", "受発注取引推進事業", "trade", True, None),
    ("trade_fairs_program", "1(2)②", "商談会等開催事業", "trade", True, None),
    ("subcontracting", "1(2)④", "下請かけこみ寺事業", "trade", True,
     "【参考】全国中小企業振興機関協会相談員の相談件数"),
    ("startup_trainings", "1(3)①ア", "IMスキルアップ研修の実施", "startup", True, None),
    ("startup_consultation_days", "1(3)①イ", "UIJターン創業相談会", "startup", True, None),
    ("migration_startup", "1(3)②", "あおり移住起業支援事業", "startup", True, None),
    ("rd_coordination", "2(1)①", "研究開発支援コーディネーターの配置", "technology", True, None),
    ("rd_seminars", "2(1)②", "競争的研究資金獲得セミナー", "technology", True, None),
    ("advanced_manufacturing", "2(2)", "戦略的ものづくり先進技術事業化支援事業", "technology", True,
     "採択の年度で集計（採択の翌年度に事業を実施）"),
    ("hr_development", "2(3)", "産学官金連携人材育成支援事業", "technology", True, None),
    ("specific_fields", "2(5)", "特定分野連携事業", "technology", True, None),
    ("industry_forum", "2(6)", "「21あおり産業創造フォーラム」開催事業", "technology", True, None),
    ("supporting_industry", "2(7)", "戦略的基盤技術高度化支援事業（サポイン事業）", "technology", True, None),
    ("new_business", "2(8)", "新事業展開等促進事業", "technology", True, "採択の年度で集計（採択の翌年度に事業を実施）"),
    ("dx_support", "2(9)", "中小企業DX支援事業", "technology", True, None),
    ("gx_promotion", "2(10)", "中小企業等GX推進事業", "technology", True, None),
    ("price_hike", "2(11)", "物価高騰対応収益力向上支援事業", "technology", True, None),
    ("sales_advisors", "6(1)①", "販路アドバイザーの配置", "sales", True, None),
    ("sales_experts", "6(1)②", "専門アドバイザー事業", "sales", True, None),
    ("sales_exhibitions", "6(1)③", "大規模展示会出展支援事業", "sales", True, None),
    ("business_support_center", "6(2)", "ビジネスサポートセンター運営事業", "sales", True, None),
    ("revitalization", "7(1)", "青森県中小企業活性化事業", "revitalization", True,
     "但し、事前相談対応企業数は令和4年度からの累計。"),
    ("improvement_plan", "7(2)", "経営改善計画策定支援事業（405事業）", "revitalization", True, None),
    ("early_improvement_plan", "7(2)", "早期経営改善計画策定支援事業（ポストコロナ持続的発展計画事業）",
     "revitalization", True, None),
    ("succession_events", "7(3)①②", "事業承継：支援能力の向上・広報普及活動", "succession", True, None),
    ("reconstruction", "8(1)", "青森県産業復興相談センター事業", "reconstruction", True, None),
]

_F = dict(kind="figure", date_column=None, center_code=None, program_code=None, channels=None, event_kinds=None,
          outcome=None, decision=None, activity=None, category=None, side=None, course=None, milestone=None,
          null_center_is=None,
          aggregation="records", sum_of=None, unit="件", cumulative_from=None, combine_with=None,
          breakdown_of=None, breakdown_by=None, list_columns=None)

def _fy2023_rows():
    """The FY2023 report's other tables (docs/reporting.md lists each with its source records)."""
    def p(program, **kw):
        return dict(program_code=program, **kw)

    events_list = "title;dates;area;participants"
    yield from [
        # 1(2)① 受発注: registrations at the year's end, introductions
        ("trade_matching", "buyers", "発注登録企業数", "registrations", p("trade_matching", side="buyer", unit="社")),
        ("trade_matching", "suppliers", "受注登録企業数", "registrations", p("trade_matching", side="supplier", unit="社")),
        ("trade_matching", "introductions", "あっせん紹介件数", "introductions", p("trade_matching")),
        ("trade_matching", "concluded", "あっせん成立件数", "introductions",
         p("trade_matching", outcome="concluded", date_column="outcome_on")),
        ("trade_matching", "concluded_amount", "あっせん成立金額", "introductions",
         p("trade_matching", outcome="concluded", date_column="outcome_on", aggregation="sum", sum_of="amount",
           unit="千円")),
        ("trade_matching", "not_concluded", "あっせん不成立件数", "introductions",
         p("trade_matching", outcome="not_concluded", date_column="outcome_on")),
        # 1(2)② 商談会: the year's 商談会 and 展示会 of the program
        ("trade_fairs_program", "fairs", "開催回数", "events", p("trade_fairs", unit="回")),
        ("trade_fairs_program", "companies", "出席企業", "events",
         p("trade_fairs", aggregation="sum", sum_of="companies", unit="社")),
        ("trade_fairs_program", "list", "開催状況", "events", p("trade_fairs", kind="list",
                                                             list_columns="title;dates;area;companies")),
        # 1(2)④ 下請かけこみ寺: consultations by category
        ("subcontracting", "subcontract_act", "下請代金法関連", "consultations",
         p("subcontracting", category="subcontract_act")),
        ("subcontracting", "construction_act", "建設業法関連", "consultations",
         p("subcontracting", category="construction_act")),
        ("subcontracting", "other", "その他", "consultations", p("subcontracting", category="other")),
        ("subcontracting", "total", "計", "consultations", p("subcontracting")),
        # 1(3)① ア / イ: events of the startup program
        ("startup_trainings", "list", "実績", "events",
         p("startup", event_kinds="training", kind="list", list_columns="title;dates;area;participants")),
        ("startup_consultation_days", "days", "開催回数", "events",
         p("startup", event_kinds="consultation_day", unit="回")),
        ("startup_consultation_days", "consultations", "相談件数", "consultations",
         p("startup", channels="outreach;online", center_code="startup")),
        # 1(3)② 移住起業: grants (交付), main industries
        ("migration_startup", "adopted", "採択件数", "grants", p("migration_startup", decision="adopted")),
        ("migration_startup", "granted", "交付金額", "grants",
         p("migration_startup", date_column="granted_on", aggregation="sum", sum_of="granted_amount", unit="千円")),
        ("migration_startup", "top_industries", "主な業種", "grants",
         dict(kind="breakdown", breakdown_of="adopted", breakdown_by="industry")),
        # 2(1)① 研究開発支援コーディネーター: consultations by activity
        ("rd_coordination", "company_visit", "事業化可能性の高い技術、ノウハウ発掘のための企業訪問", "consultations",
         p("rd_coordination", activity="company_visit")),
        ("rd_coordination", "advice", "技術課題等の解決に向けたアドバイス", "consultations",
         p("rd_coordination", activity="advice")),
        ("rd_coordination", "application_support",
         "国等の競争的研究資金等外部資金への申請支援及び採択後の事業管理のフォロー", "consultations",
         p("rd_coordination", activity="application_support")),
        ("rd_coordination", "total", "計", "consultations",
         p("rd_coordination", activity="company_visit;advice;application_support")),
        ("rd_seminars", "list", "実績", "events", p("rd_coordination", kind="list", list_columns=events_list)),
        # 2(2) ものづくり: adopted grants by decision year
        ("advanced_manufacturing", "adopted", "採択者数", "grants", p("advanced_manufacturing", decision="adopted")),
        ("advanced_manufacturing", "amount", "採択金額", "grants",
         p("advanced_manufacturing", decision="adopted", aggregation="sum", sum_of="amount", unit="千円")),
        # 2(3), 2(5), 2(6), 2(10): event lists
        ("hr_development", "list", "実績", "events",
         p("hr_development", kind="list", list_columns="title;partners;dates;area;participants")),
        ("specific_fields", "list", "実績", "events", p("specific_fields", kind="list",
                                                      list_columns="dates;area;participants")),
        ("industry_forum", "list", "実績", "events",
         p("industry_forum", kind="list", list_columns="dates;area;partners;participants")),
        ("gx_promotion", "list", "実績", "events",
         p("gx_promotion", kind="list", list_columns="dates;area;partners;participants")),
        # 2(7) サポイン: granted amount
        ("supporting_industry", "granted", "交付決定額", "grants",
         p("supporting_industry", date_column="granted_on", aggregation="sum", sum_of="granted_amount", unit="千円")),
        # 2(8) 新事業展開: adopted grants by course
        ("new_business", "new_business_adopted", "新事業開発コース 採択者数", "grants",
         p("new_business", course="new_business", decision="adopted")),
        ("new_business", "new_business_amount", "新事業開発コース 採択金額", "grants",
         p("new_business", course="new_business", decision="adopted", aggregation="sum", sum_of="amount",
           unit="千円")),
        ("new_business", "market_adopted", "販路開拓コース 採択者数", "grants",
         p("new_business", course="market_development", decision="adopted")),
        ("new_business", "market_amount", "販路開拓コース 採択金額", "grants",
         p("new_business", course="market_development", decision="adopted", aggregation="sum", sum_of="amount",
           unit="千円")),
        # 2(9) DX: distinct companies supported, main industries
        ("dx_support", "companies", "支援企業", "consultations", p("dx_support", aggregation="clients", unit="社")),
        ("dx_support", "top_industries", "主な業種", "consultations",
         dict(kind="breakdown", breakdown_of="companies", breakdown_by="industry", aggregation="clients", unit="社")),
        # 2(11) 物価高騰: granted by course
        ("price_hike", "value_added_count", "高付加価値化促進枠 交付件数", "grants",
         p("price_hike", course="value_added", date_column="granted_on", aggregation="records")),
        ("price_hike", "value_added_amount", "高付加価値化促進枠 交付金額", "grants",
         p("price_hike", course="value_added", date_column="granted_on", aggregation="sum", sum_of="granted_amount",
           unit="千円")),
        ("price_hike", "logistics_count", "物流の2024年問題対応枠 交付件数", "grants",
         p("price_hike", course="logistics_2024", date_column="granted_on")),
        ("price_hike", "logistics_amount", "物流の2024年問題対応枠 交付金額", "grants",
         p("price_hike", course="logistics_2024", date_column="granted_on", aggregation="sum",
           sum_of="granted_amount", unit="千円")),
        # 6(1)①: consultations by channel (延べ社), main industries
        ("sales_advisors", "window", "窓口相談数（延べ）", "consultations",
         p("business_support_station", channels="window", unit="社")),
        ("sales_advisors", "visit", "訪問企業数（延べ）", "consultations",
         p("business_support_station", channels="visit", unit="社")),
        ("sales_advisors", "top_industries", "主な業種", "consultations",
         dict(kind="breakdown", breakdown_of="window", breakdown_by="industry", unit="社")),
        # 6(1)② ③, 6(2): events
        ("sales_experts", "list", "実績", "events",
         p("business_support_station", event_kinds="consultation_day;seminar;trade_fair", kind="list",
           list_columns="title;dates;area;companies")),
        ("sales_exhibitions", "list", "実績", "events",
         p("business_support_station", event_kinds="exhibition", kind="list", list_columns="dates;area;companies")),
        ("business_support_center", "list", "実績", "events",
         p("business_support_center", event_kinds="exhibition", kind="list", list_columns="dates;area;companies")),
        # 7(1) 活性化: milestones with 累計 (opening balances for the years before casework)
        ("revitalization", "pre_consultation", "事前相談対応企業数", "case_milestones",
         p("revitalization", milestone="pre_consultation", cumulative_from=2022)),
        ("revitalization", "first_consultation", "一次相談対応企業数", "case_milestones",
         p("revitalization", milestone="first_consultation", cumulative_from=2003)),
        ("revitalization", "plan_completed", "再生計画策定支援完了", "case_milestones",
         p("revitalization", milestone="plan_completed", cumulative_from=2003)),
        ("revitalization", "jobs_retained", "雇用維持効果", "case_milestones",
         p("revitalization", milestone="jobs_retained", aggregation="sum", sum_of="number", unit="名",
           cumulative_from=2003)),
        # 7(2) 経営改善計画 (405事業 / 早期)
        *[(section, key, label, "case_milestones", p(section, milestone=key, cumulative_from=start))
          for section, start in (("improvement_plan", 2012), ("early_improvement_plan", 2017))
          for key, label in (("application", "事業利用申請受付件数"), ("fee_application", "計画策定費用支払申請受付件数"),
                             ("follow_up", "伴走支援実施回数"))],
        # 7(3)①② 事業承継: trainings for support organisations, seminars and consultation days
        ("succession_events", "trainings", "支援能力の向上 開催回数", "events",
         p("succession", event_kinds="training", unit="回")),
        ("succession_events", "training_participants", "支援能力の向上 参加人数", "events",
         p("succession", event_kinds="training", aggregation="sum", sum_of="participants", unit="名")),
        ("succession_events", "seminars", "広報普及活動 開催回数", "events",
         p("succession", event_kinds="seminar;consultation_day", unit="回")),
        ("succession_events", "seminar_participants", "広報普及活動 参加人数", "events",
         p("succession", event_kinds="seminar;consultation_day", aggregation="sum", sum_of="participants", unit="名")),
        # 8(1) 産業復興 (ended FY2023): 累計 only in the report
        ("reconstruction", "consultations", "累計相談延べ件数", "consultations",
         p("reconstruction", cumulative_from=2011)),
        ("reconstruction", "companies", "相談実企業件数", "consultations",
         p("reconstruction", aggregation="clients", unit="社", cumulative_from=2011)),
        ("reconstruction", "referred", "うち計画策定支援部門への送付企業数", "case_milestones",
         p("reconstruction", milestone="referred_to_planning", unit="社", cumulative_from=2011)),
    ]


# section key, row key, label, source, then what differs from _F
ROWS = [
    ("onestop", "window", "窓口相談", "consultations", dict(center_code="onestop", channels="window")),
    ("onestop", "visit", "巡回相談", "consultations", dict(center_code="onestop", channels="visit")),
    ("onestop", "total", "計", "consultations", dict(center_code="onestop", channels="window;visit")),
    ("onestop", "top_themes", "主な相談テーマ", "consultations",
     dict(kind="breakdown", breakdown_of="total", breakdown_by="theme")),
    ("yorozu", "outreach_days", "出張相談会開催回数", "events",
     dict(center_code="yorozu", event_kinds="outreach_day", unit="回")),
    ("yorozu", "visitor_consultations", "来訪相談件数", "consultations", dict(center_code="yorozu", channels="window")),
    ("yorozu", "top_themes", "主な相談テーマ", "consultations",
     dict(kind="breakdown", breakdown_of="visitor_consultations", breakdown_by="theme")),
    ("dispatch", "companies", "派遣企業", "dispatch_visits",
     dict(center_code="onestop", aggregation="clients", unit="社", combine_with="visits")),
    ("dispatch", "visits", "派遣延べ回数", "dispatch_visits", dict(center_code="onestop", unit="回")),
    ("dispatch", "by_industry", "業種内訳", "dispatch_visits",
     dict(kind="breakdown", breakdown_of="companies", breakdown_by="industry", aggregation="clients", unit="社")),
    ("startup", "founders", "創業者数", "cases", dict(center_code="startup", outcome="founded", unit="名")),
    ("startup", "consultations", "相談件数", "consultations", dict(center_code="startup")),
    ("startup", "top_industries", "主な業種", "cases",
     dict(kind="breakdown", breakdown_of="founders", breakdown_by="industry", unit="名")),
    ("succession", "companies", "相談企業数", "consultations",
     dict(center_code="succession", aggregation="clients", unit="社")),
    ("succession", "consultations", "相談件数", "consultations", dict(center_code="succession")),
    ("succession", "diagnoses", "事業承継診断件数", "diagnoses", dict(null_center_is="succession")),
    ("succession", "expert_dispatches", "専門家派遣回数", "dispatch_visits", dict(center_code="succession", unit="回")),
    ("seminars", "sessions", "開催回数", "events", dict(event_kinds="seminar;training", unit="回")),
    ("seminars", "participants", "参加人数", "events",
     dict(event_kinds="seminar;training", aggregation="sum", sum_of="participants", unit="名")),
    ("trade_fairs", "sessions", "開催回数", "events", dict(event_kinds="trade_fair", unit="回")),
    ("trade_fairs", "participants", "参加者数", "events",
     dict(event_kinds="trade_fair", aggregation="sum", sum_of="participants", unit="名")),
    ("grants", "adopted", "採択件数", "grants", dict(center_code="startup", decision="adopted")),
    ("grants", "amount", "交付金額", "grants",
     dict(center_code="startup", decision="adopted", aggregation="sum", sum_of="amount", unit="円")),
    *_fy2023_rows(),
]

# section key, row key, as_of_fy, value, note
# Opening balances are a center's own history (the 累計 of the years before casework): they come
# with its data (import, or the admin screen), not with the defaults. docs/reporting.md lists the
# FY2023 report's.
OPENINGS: list[tuple] = []


# Revision 0008: the tables in the shape the FY2023 report prints them (its literal copy in
# migrations/versions/0008_report_tables_fy2023.py; tests/test_report_definitions.py compares).
SECTION_CHANGES_0008 = {
    # 「令和4年度 (令和5年度事業)」 is the column header now, not a note
    "advanced_manufacturing": {"project_year_offset": 1, "note": None},
    "new_business": {"project_year_offset": 1, "note": None},
    # 1(2)②'s approximation (the program's events with 出展企業): the per-fair tables replace it
    "trade_fairs_program": {"active": False},
}
# key, number, title, center code, optional, note, sort order, split_by, column_labels
NEW_SECTIONS_0008 = [
    ("trade_fair_results", "1(2)②", "商談会等開催事業", "trade", True, None, 105, "event", "全体;うち青森県（受注企業）"),
]
ROW_CHANGES_0008 = {
    ("sales_experts", "list"): {"list_columns": "title=専門アドバイザー;dates;area=開催場所;companies=参加企業;dealings"},
    ("rd_seminars", "list"): {"list_columns": "title=区分;dates;area;attendance=参加者"},
    ("industry_forum", "list"): {"list_columns": "dates;area;partners=参加機関;participants"},
    ("gx_promotion", "list"): {"list_columns": "dates;area;partners=参加機関;participants"},
    ("specific_fields", "list"): {"list_columns": "dates;area;participants"},
    ("startup_trainings", "list"): {"list_columns": "title=区分;dates;area;participants"},
    # 主な業種 as printed: 食料品製造業, 繊維工業 … (JSIC middle divisions, the major where a client has none)
    ("sales_advisors", "top_industries"): {"breakdown_by": "industry_middle"},
}
# section key, row key, label, source, then what differs from _F (sort order: after the section's rows)
NEW_ROWS_0008 = [
    # 1(2)② one table per 商談会 (全体 / うち青森県): attendances by side
    ("trade_fair_results", "buyer_companies", "出席企業（発注企業）", "event_attendances",
     dict(program_code="trade_fairs", side="buyer", aggregation="sum", sum_of="companies", unit="社")),
    ("trade_fair_results", "supplier_companies", "出席企業（受注企業）", "event_attendances",
     dict(program_code="trade_fairs", side="supplier", aggregation="sum", sum_of="companies", unit="社")),
    ("trade_fair_results", "meetings", "商談件数", "event_attendances",
     dict(program_code="trade_fairs", aggregation="sum", sum_of="meetings")),
    ("trade_fair_results", "deals", "商談成立件数", "event_attendances",
     dict(program_code="trade_fairs", aggregation="sum", sum_of="deals")),
    ("trade_fair_results", "deal_amount", "商談成立金額", "event_attendances",
     dict(program_code="trade_fairs", aggregation="sum", sum_of="amount", unit="千円")),
    # 2(6) 「21あおりアワード」表彰: the forum's awarded companies (attendances, side = 部門)
    ("industry_forum", "awards", "「21あおりアワード」表彰", "event_attendances",
     dict(kind="list", program_code="industry_forum", list_columns="side;company")),
    # 2(7) the research themes with their project years, institutions and the year's granted amount
    ("supporting_industry", "list", "実績", "grants",
     dict(kind="list", program_code="supporting_industry", date_column="granted_on",
          list_columns="title;project_years;partners;granted_amount")),
]


# Revision 0012 (literal copy in migrations/versions/0012_forum_lectures.py): 2(6)【講演】, the
# forum's lectures (events of kind 講演: テーマ = title, 講師 = speaker); the 実績 table lists the
# program's events of every other kind (the forum may be recorded as a フォーラム or a セミナー), so a
# lecture is not a second forum there.
ROW_CHANGES_0012 = {
    ("industry_forum", "list"): {"event_kinds": "outreach_day;seminar;training;trade_fair;exhibition;consultation_day;briefing;forum"},
}
NEW_ROWS_0012 = [
    ("industry_forum", "lectures", "講演", "events",
     dict(kind="list", program_code="industry_forum", event_kinds="lecture", list_columns="title=テーマ;speaker")),
]


def definition_rows() -> dict[str, list[dict]]:
    """Rows per table (explicit ids, so rows can name their section), in insertion order: revision
    0007's, then what revisions 0008 and 0012 change and add."""
    section_ids = {key: i for i, (key, *_rest) in enumerate(SECTIONS, 1)}
    sections = [dict(id=i, key=key, number=number, title=title, center_code=center, optional=optional, note=note,
                     sort_order=i * 10, active=True, version=1, project_year_offset=None, split_by=None,
                     column_labels=None)
                for i, (key, number, title, center, optional, note) in enumerate(SECTIONS, 1)]
    for section in sections:
        if section["key"] in SECTION_CHANGES_0008:
            section.update(SECTION_CHANGES_0008[section["key"]], version=2)
    for key, number, title, center, optional, note, sort_order, split_by, labels in NEW_SECTIONS_0008:
        section_ids[key] = len(sections) + 1
        sections.append(dict(id=len(sections) + 1, key=key, number=number, title=title, center_code=center,
                             optional=optional, note=note, sort_order=sort_order, active=True, version=1,
                             project_year_offset=None, split_by=split_by, column_labels=labels))
    rows, row_ids, order = [], {}, {}
    for i, (section, key, label, source, extra) in enumerate(ROWS, 1):
        order[section] = order.get(section, 0) + 10
        changed = ROW_CHANGES_0008.get((section, key))
        rows.append(dict(_F, **extra, id=i, section_id=section_ids[section], key=key, label=label, source=source,
                         sort_order=order[section], active=True, version=1)
                    | (dict(changed, version=2) if changed else {}))
        row_ids[(section, key)] = i
    for section, key, label, source, extra in NEW_ROWS_0008 + NEW_ROWS_0012:
        order[section] = order.get(section, 0) + 10
        i = len(rows) + 1
        rows.append(dict(_F, **extra, id=i, section_id=section_ids[section], key=key, label=label, source=source,
                         sort_order=order[section], active=True, version=1))
        row_ids[(section, key)] = i
    for ident, changed in ROW_CHANGES_0012.items():
        row = rows[row_ids[ident] - 1]
        row.update(changed, version=row["version"] + 1)
    openings = [dict(id=i, row_id=row_ids[(section, key)], as_of_fy=fy, value=value, note=note)
                for i, (section, key, fy, value, note) in enumerate(OPENINGS, 1)]
    return {"report_sections": sections, "report_rows": rows, "report_opening_balances": openings}
