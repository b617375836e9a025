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
    ("grants", "1(3)②", "移住起業支援金等（助成）", "startup", True, None),
]

_F = dict(kind="figure", date_column=None, center_code=None, program_code=None, channels=None, event_kinds=None,
          outcome=None, decision=None, activity=None, category=None, side=None, null_center_is=None,
          aggregation="records", sum_of=None, unit="件", cumulative_from=None, combine_with=None,
          breakdown_of=None, breakdown_by=None, list_columns=None)

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
]

# section key, row key, as_of_fy, value, note
OPENINGS: list[tuple] = []


def definition_rows() -> dict[str, list[dict]]:
    """Rows per table (explicit ids, so rows can name their section), in insertion order."""
    section_ids = {key: i for i, (key, *_rest) in enumerate(SECTIONS, 1)}
    sections = [dict(id=i, key=key, number=number, title=title, center_code=center, optional=optional, note=note,
                     sort_order=i * 10, active=True, version=1)
                for i, (key, number, title, center, optional, note) in enumerate(SECTIONS, 1)]
    rows, row_ids, order = [], {}, {}
    for i, (section, key, label, source, extra) in enumerate(ROWS, 1):
        order[section] = order.get(section, 0) + 10
        rows.append(dict(_F, **extra, id=i, section_id=section_ids[section], key=key, label=label, source=source,
                         sort_order=order[section], active=True, version=1))
        row_ids[(section, key)] = i
    openings = [dict(id=i, row_id=row_ids[(section, key)], as_of_fy=fy, value=value, note=note)
                for i, (section, key, fy, value, note) in enumerate(OPENINGS, 1)]
    return {"report_sections": sections, "report_rows": rows, "report_opening_balances": openings}
