"""Vocabulary the report counts beyond revision 0002's (revision 0008 inserts a literal copy;
tests/test_report_definitions.py compares): the themes よろず's 主な相談テーマ prints."""

# code, label, sort order (after 0002's themes)
THEMES = [
    ("business_planning", "事業計画策定", 150),
    ("sales_proposal", "販路提案", 160),
]


def report_vocabulary_rows() -> dict[str, list[dict]]:
    return {"themes": [dict(code=c, label=label, sort_order=o, active=True) for c, label, o in THEMES]}
