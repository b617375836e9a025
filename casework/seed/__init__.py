"""Vocabulary seed data: the rows the initial migration inserts (style.md habit 5).

Reference facts (JSIC majors, Aomori's municipalities) are the CSV files beside this module.
"""
import csv
from pathlib import Path

HERE = Path(__file__).parent

CENTERS = [
    # code, name, report title, confidential, sort order
    ("onestop", "ワンストップ総合相談", "ワンストップ総合相談事業", False, 10),
    ("yorozu", "よろず支援拠点", "よろず支援拠点事業", False, 20),
    ("succession", "事業承継・引継ぎ支援センター", "事業承継・引継ぎ支援センター事業", True, 30),
    ("startup", "創業・起業支援", "創業・起業伴走型支援事業", False, 40),
]

CHANNELS = [
    ("window", "窓口", "来訪;来所"),
    ("visit", "巡回", "訪問"),
    ("outreach", "出張相談会", ""),
    ("online", "オンライン", ""),
    ("phone", "電話", ""),
    ("email", "メール", ""),
]

THEMES = [
    ("business_plan", "ビジネスプラン"), ("marketing", "マーケティング"), ("technology", "技術"),
    ("management", "経営全般"), ("cash_flow", "資金繰り"), ("it", "IT"),
    ("product_development", "商品開発"), ("sales_channel", "販路開拓"), ("succession", "事業承継"),
    ("startup", "創業"), ("hr", "人材"), ("dx", "DX"), ("pricing", "価格転嫁"), ("turnaround", "事業再生"),
]

EVENT_KINDS = [
    ("outreach_day", "出張相談会"), ("seminar", "セミナー"), ("training", "研修"), ("trade_fair", "商談会"),
]

OUTCOMES = [
    ("founded", "創業"), ("succeeded", "承継完了"), ("ma_closed", "成約"), ("resolved", "解決"), ("withdrawn", "中止"),
]

DISPATCH_PROGRAMS = [
    # code, name, center code, share numerator, denominator, report due days
    ("onestop", "専門家派遣事業", "onestop", 1, 3, 14),
    ("succession", "事業承継 専門家派遣", "succession", 1, 3, 14),
]


def _csv(name):
    with open(HERE / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def industries():
    """JSIC majors. The report prints revision 13's spelling (「，」), as the center's reports do."""
    return [
        {"code": r["code"], "name": r["name"], "report_label": r["name"].replace("、", "，"),
         "middle_from": r["middle_from"], "middle_to": r["middle_to"]}
        for r in _csv("jsic_majors.csv")
    ]


def municipalities():
    return [
        {"code": r["code"], "name": r["name"], "kind": r["kind"], "region": r["region"],
         "prefecture": "青森県", "sort_order": i}
        for i, r in enumerate(_csv("aomori_municipalities.csv"), start=1)
    ]


def vocabulary_rows() -> dict[str, list[dict]]:
    """Rows per table, for the migration's bulk_insert and for tests."""
    return {
        "centers": [dict(id=i, code=c, name=n, report_title=t, confidential=conf, sort_order=o, active=True, version=1)
                    for i, (c, n, t, conf, o) in enumerate(CENTERS, 1)],
        "channels": [dict(code=c, label=l, aliases=a or None, sort_order=i * 10)
                     for i, (c, l, a) in enumerate(CHANNELS, 1)],
        "themes": [dict(code=c, label=l, sort_order=i * 10, active=True) for i, (c, l) in enumerate(THEMES, 1)],
        "industries": industries(),
        "municipalities": municipalities(),
        "event_kinds": [dict(code=c, label=l, sort_order=i * 10) for i, (c, l) in enumerate(EVENT_KINDS, 1)],
        "outcomes": [dict(code=c, label=l, sort_order=i * 10) for i, (c, l) in enumerate(OUTCOMES, 1)],
        "dispatch_programs": [
            dict(id=i, code=c, name=n, center_id=[x[0] for x in CENTERS].index(center) + 1, share_numerator=num,
                 share_denominator=den, report_due_days=days, active=True, version=1)
            for i, (c, n, center, num, den, days) in enumerate(DISPATCH_PROGRAMS, 1)],
    }


def seed_rows() -> dict[str, list[dict]]:
    """Everything a fresh database holds: 0002's vocabularies, then the default programs (0006),
    then the default report definitions (0007) and the report's vocabulary (0008). Keep
    vocabulary_rows() as it is: migration 0002 reads it."""
    from ..reporting.defaults import definition_rows
    from .programs import program_rows
    from .report_vocabulary import report_vocabulary_rows

    rows = vocabulary_rows()
    for table_name, more in [*program_rows().items(), *report_vocabulary_rows().items()]:
        rows[table_name] = rows.get(table_name, []) + more
    # programs after the tables they refer to
    ordered = {name: rows[name] for name in [*vocabulary_rows(), "industry_divisions", "programs", "program_terms"]}
    return {**ordered, **definition_rows()}
