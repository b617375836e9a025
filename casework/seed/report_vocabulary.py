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




def industry_divisions() -> list[dict]:
    with open(Path(__file__).parent / "jsic_middle.csv", encoding="utf-8") as fh:
        return [dict(code=r["code"], major_code=r["major"], name=r["name"],
                     report_label=re.sub(r"（[^）]*）$", "", r["name"])) for r in csv.DictReader(fh)]


def report_vocabulary_rows() -> dict[str, list[dict]]:
    return {"themes": [dict(code=c, label=label, sort_order=o, active=True) for c, label, o in THEMES],
            "industry_divisions": industry_divisions()}
