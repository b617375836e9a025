"""Default programs (事業) of the FY2023 business report's 事業実績, their centers and vocabularies.

The one source of these rows for the app (casework.seed.seed_rows, tests, fresh installs).
Migration 0006 inserts a frozen copy of the same rows; tests/test_programs_seed.py checks that
the two agree. Centers and event kinds added here are the ones 0002's lists do not hold (0002
reads casework.seed's CENTERS and EVENT_KINDS, so those lists must not grow).
"""

# Centers (desks) beyond the four of 0002: code, name, report title, confidential, sort order
CENTERS = [
    ("trade", "取引推進", "取引推進事業", False, 50),
    ("technology", "地域技術事業化支援", "地域技術事業化支援事業", False, 60),
    ("sales", "ビジネスサポートステーション", "ビジネスサポートステーション事業", False, 70),
    ("revitalization", "中小企業活性化協議会", "中小企業再生支援協議会事業", False, 80),
    ("reconstruction", "産業復興相談センター", "産業復興相談センター事業", False, 90),
]

# Event kinds beyond 0002's (outreach_day 出張相談会, seminar セミナー, training 研修, trade_fair 商談会)
EVENT_KINDS = [
    ("exhibition", "展示会", 50), ("consultation_day", "相談会", 60), ("briefing", "説明会", 70),
    ("forum", "フォーラム", 80),
]

SIDES = [("side", "buyer", "発注企業", None), ("side", "supplier", "受注企業", None)]
IMPROVEMENT_STEPS = [
    ("milestone", "application", "事業利用申請受付", None),
    ("milestone", "fee_application", "計画策定費用支払申請受付", None),
    ("milestone", "follow_up", "伴走支援実施", "回"),
]

# code, center, report number, report name (as printed), short name, confidential,
# started fiscal year, ended fiscal year, default for (record kinds), terms (kind, code, label, unit)
PROGRAMS = [
    ("onestop", "onestop", "1(1)①", "ワンストップ総合相談事業", "ワンストップ総合相談", False, None, None,
     "consultation;case;event", []),
    ("yorozu", "yorozu", "1(1)②", "よろず支援拠点事業", "よろず支援拠点", False, None, None,
     "consultation;case;event", []),
    ("expert_dispatch", "onestop", "1(1)③", "専門家派遣事業", "専門家派遣", False, None, None, "dispatch", []),
    ("trade_matching", "trade", "1(2)①", "受発注取引推進事業", "受発注取引推進", False, None, None,
     "consultation;case;registration;introduction", SIDES),
    ("trade_fairs", "trade", "1(2)②", "商談会等開催事業", "商談会等開催", False, None, None, "event", SIDES),
    ("trade_support", "trade", "1(2)③", "支援体制整備円滑化事業", "支援体制整備円滑化", False, None, None, "", []),
    ("subcontracting", "trade", "1(2)④", "下請かけこみ寺事業", "下請かけこみ寺", False, None, None, "", [
        ("category", "subcontract_act", "下請代金法関連", None),
        ("category", "construction_act", "建設業法関連", None),
        ("category", "other", "その他", None),
    ]),
    ("startup", "startup", "1(3)①", "創業・起業伴走型支援事業", "創業・起業伴走型支援", False, None, None,
     "consultation;case;event", []),
    ("migration_startup", "startup", "1(3)②", "あおり移住起業支援事業", "移住起業支援", False, None, None, "grant", []),
    ("rd_coordination", "technology", "2(1)", "あおり産学官金連携による新ビジネス創発支援事業",
     "産学官金連携 新ビジネス創発支援", False, None, None, "consultation;case;event", [
         ("activity", "company_visit", "企業訪問", None),
         ("activity", "advice", "アドバイス", None),
         ("activity", "application_support", "申請支援", None),
     ]),
    ("advanced_manufacturing", "technology", "2(2)", "戦略的ものづくり先進技術事業化支援事業",
     "ものづくり先進技術事業化支援", False, None, None, "grant", []),
    ("hr_development", "technology", "2(3)", "産学官金連携人材育成支援事業", "産学官金連携人材育成", False, None, None,
     "", []),
    ("mirai_challenge", "technology", "2(4)", "21あおもり未来チャレンジ助成事業", "未来チャレンジ助成", False, None, None,
     "", []),
    ("specific_fields", "technology", "2(5)", "特定分野連携事業", "特定分野連携", False, None, None, "", []),
    ("industry_forum", "technology", "2(6)", "「21あおり産業創造フォーラム」開催事業", "産業創造フォーラム", False, None, None,
     "", []),
    ("supporting_industry", "technology", "2(7)", "戦略的基盤技術高度化支援事業（サポイン事業）", "サポイン事業", False,
     None, None, "", []),
    ("new_business", "technology", "2(8)", "新事業展開等促進事業", "新事業展開等促進", False, None, None, "", [
        ("course", "new_business", "新事業開発コース", None),
        ("course", "market_development", "販路開拓コース", None),
    ]),
    ("dx_support", "technology", "2(9)", "中小企業DX支援事業", "中小企業DX支援", False, None, None, "", []),
    ("gx_promotion", "technology", "2(10)", "中小企業等GX推進事業", "中小企業等GX推進", False, None, None, "", []),
    ("price_hike", "technology", "2(11)", "物価高騰対応収益力向上支援事業", "物価高騰対応収益力向上支援", False, None, None,
     "", [
         ("course", "value_added", "高付加価値化促進枠", None),
         ("course", "logistics_2024", "物流の2024年問題対応枠", None),
     ]),
    ("business_support_station", "sales", "6(1)", "ビジネスサポートステーション運営事業", "ビジネスサポートステーション",
     False, None, None, "consultation;case;event", []),
    ("business_support_center", "sales", "6(2)", "ビジネスサポートセンター運営事業", "ビジネスサポートセンター", False,
     None, None, "", []),
    ("revitalization", "revitalization", "7(1)", "青森県中小企業活性化事業", "中小企業活性化", True, None, None,
     "consultation;case;event;milestone", [
         ("milestone", "pre_consultation", "事前相談", None),
         ("milestone", "first_consultation", "一次相談", None),
         ("milestone", "plan_completed", "再生計画策定支援完了", None),
         ("milestone", "jobs_retained", "雇用維持効果", "名"),
     ]),
    ("improvement_plan", "revitalization", "7(2)", "経営改善計画策定支援事業", "経営改善計画策定支援（405事業）", True,
     None, None, "", IMPROVEMENT_STEPS),
    ("early_improvement_plan", "revitalization", "7(2)", "早期経営改善計画策定支援事業",
     "早期経営改善計画策定支援", True, None, None, "", IMPROVEMENT_STEPS),
    ("succession", "succession", "7(3)", "青森県事業承継・引継ぎ支援センター事業", "事業承継・引継ぎ支援", True, None, None,
     "consultation;case;event;dispatch;diagnosis", []),
    ("reconstruction", "reconstruction", "8(1)", "青森県産業復興相談センター事業", "産業復興相談", False, None, 2023,
     "consultation;case;milestone", [
         ("milestone", "referred_to_planning", "計画策定支援部門への送付", None),
     ]),
]

CENTER_CODES_0002 = ["onestop", "yorozu", "succession", "startup"]  # ids 1-4 in casework.seed.CENTERS


def program_rows() -> dict[str, list[dict]]:
    """Rows per table for a database built with create_all (ids explicit, after 0002's)."""
    center_ids = {code: i for i, code in enumerate(CENTER_CODES_0002, 1)}
    centers = []
    for i, (code, name, title, conf, order) in enumerate(CENTERS, len(CENTER_CODES_0002) + 1):
        center_ids[code] = i
        centers.append(dict(id=i, code=code, name=name, report_title=title, confidential=conf, sort_order=order,
                            active=True, version=1))
    programs, terms = [], []
    for i, (code, center, number, report_name, name, conf, started, ended, default_for, program_terms) in \
            enumerate(PROGRAMS, 1):
        programs.append(dict(id=i, center_id=center_ids[center], code=code, name=name, report_name=report_name,
                             report_number=number, confidential=conf, active=True, sort_order=i * 10,
                             started_fiscal_year=started, ended_fiscal_year=ended, default_for=default_for or None,
                             version=1))
        for j, (kind, term_code, label, unit) in enumerate(program_terms, 1):
            terms.append(dict(id=len(terms) + 1, program_id=i, kind=kind, code=term_code, label=label, unit=unit,
                              sort_order=j * 10, active=True, version=1))
    return {
        "centers": centers,
        "event_kinds": [dict(code=c, label=l, sort_order=o) for c, l, o in EVENT_KINDS],
        "programs": programs,
        "program_terms": terms,
    }
