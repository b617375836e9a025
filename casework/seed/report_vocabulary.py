"""Vocabulary the report counts beyond revision 0002's (revision 0008 inserts a literal copy;
tests/test_report_definitions.py compares): the themes よろず's 主な相談テーマ prints, and the JSIC
middle divisions (jsic_middle.csv) 6(1)'s 主な業種 prints."""
import csv
import re
from pathlib import Path

# code, label, sort order (after 0002's themes)
THEMES = [
    ("business_planning", "事業計画策定", 150),
    ("sales_proposal", "販路提案", 160),
]

# code, label, sort order: event kinds after 0006's (revision 0012 inserts a literal copy)
EVENT_KINDS = [
    ("lecture", "講演", 90),  # a forum's lecture: テーマ (title) and 講師 (speaker), 2(6)【講演】
]




def industry_divisions() -> list[dict]:
    with open(Path(__file__).parent / "jsic_middle.csv", encoding="utf-8") as fh:
        return [dict(code=r["code"], major_code=r["major"], name=r["name"],
                     report_label=re.sub(r"（[^）]*）$", "", r["name"])) for r in csv.DictReader(fh)]


# program, kind, code, label: program vocabulary the report's tables need (2(6) 表彰の部門)
PROGRAM_TERMS = [
    ("industry_forum", "side", "management_innovation", "経営革新部門"),
    ("industry_forum", "side", "startup", "創業部門"),
    ("industry_forum", "side", "industry_academia", "産学連携部門"),
    ("industry_forum", "side", "dx", "DX部門"),
]


def program_terms() -> list[dict]:
    """PROGRAM_TERMS as rows after the default programs' (ids explicit, for create_all)."""
    from .programs import program_rows

    seeded = program_rows()
    program_ids = {p["code"]: p["id"] for p in seeded["programs"]}
    first = len(seeded["program_terms"]) + 1
    return [dict(id=first + i, program_id=program_ids[program], kind=kind, code=code, label=label, unit=None,
                 sort_order=(i + 1) * 10, active=True, version=1)
            for i, (program, kind, code, label) in enumerate(PROGRAM_TERMS)]


def report_vocabulary_rows() -> dict[str, list[dict]]:
    return {"themes": [dict(code=c, label=label, sort_order=o, active=True) for c, label, o in THEMES],
            "event_kinds": [dict(code=c, label=label, sort_order=o) for c, label, o in EVENT_KINDS],
            "industry_divisions": industry_divisions(), "program_terms": program_terms()}
