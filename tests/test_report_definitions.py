"""Report definitions as data: the stored rows, revisions 0007, 0008 and 0012's seeds and the engine agree."""
from pathlib import Path

from casework.reporting import defaults
from casework.reporting.metrics import DEFAULTS, load_definitions
from casework.seed.report_vocabulary import PROGRAM_TERMS, report_vocabulary_rows

from .revisions import revision_module


def _migration(name="0007_report_definitions.py"):
    return revision_module(name)


def _append_rows(rows, new_rows, ids, m):
    """A revision's NEW_ROWS after their section's other rows, as the revision inserts them."""
    for new in new_rows:
        section_id = ids[new["section"]]
        order = max((r["sort_order"] for r in rows if r["section_id"] == section_id), default=0)
        rows.append({**{c: None for c in m.ROW_COLUMNS}, **m.ROW_DEFAULTS,
                     **{k: v for k, v in new.items() if k != "section"}, "id": len(rows) + 1,
                     "section_id": section_id, "sort_order": order + 10, "active": True, "version": 1})


def _change_rows(rows, changes, keys):
    for r in rows:
        change = changes.get(f'{keys[r["section_id"]]}.{r["key"]}')
        if change:
            r.update(change, version=r["version"] + 1)


def _after_0012():
    """The definitions revision 0007 inserted with revisions 0008's and 0012's changes applied, as they apply them."""
    m7, m8, m12 = _migration(), _migration("0008_report_tables_fy2023.py"), _migration("0012_forum_lectures.py")
    sections = [dict(s, project_year_offset=None, split_by=None, column_labels=None) for s in m7.SECTIONS]
    for s in sections:
        if s["key"] in m8.SECTION_CHANGES:
            s.update(m8.SECTION_CHANGES[s["key"]], version=s["version"] + 1)
    for key, number, title, center, optional, note, sort_order, split_by, labels in m8.NEW_SECTIONS:
        sections.append(dict(id=len(sections) + 1, key=key, number=number, title=title, center_code=center,
                             optional=optional, note=note, sort_order=sort_order, active=True, version=1,
                             project_year_offset=None, split_by=split_by, column_labels=labels))
    keys = {s["id"]: s["key"] for s in sections}
    ids = {s["key"]: s["id"] for s in sections}
    rows = [{**{c: None for c in m7.ROW_COLUMNS}, **m7.ROW_DEFAULTS, **r} for r in m7.ROWS]
    _change_rows(rows, m8.ROW_CHANGES, keys)
    _append_rows(rows, m8.NEW_ROWS, ids, m8)
    _change_rows(rows, m12.ROW_CHANGES, keys)
    _append_rows(rows, m12.NEW_ROWS, ids, m12)
    return sections, rows, m7.OPENINGS, m8.THEMES


def test_revisions_0007_0008_and_0012_seed_the_default_definitions():
    sections, rows, openings, themes = _after_0012()
    want = defaults.definition_rows()
    assert sections == want["report_sections"]
    assert rows == want["report_rows"]
    assert openings == want["report_opening_balances"]
    assert themes == report_vocabulary_rows()["themes"]
    assert _migration("0008_report_tables_fy2023.py").PROGRAM_TERMS == PROGRAM_TERMS
    assert _migration("0008_report_tables_fy2023.py").INDUSTRY_DIVISIONS == report_vocabulary_rows()["industry_divisions"]
    assert _migration("0012_forum_lectures.py").EVENT_KINDS == report_vocabulary_rows()["event_kinds"]


def test_stored_definitions_are_the_defaults(app):
    assert load_definitions() == DEFAULTS
    assert [s.key for s in DEFAULTS.sections][:5] == ["onestop", "yorozu", "dispatch", "startup", "succession"]
    today = ["onestop.window", "onestop.visit", "onestop.total", "yorozu.outreach_days", "yorozu.visitor_consultations",
             "dispatch.companies", "dispatch.visits", "startup.founders", "startup.consultations",
             "succession.companies", "succession.consultations", "succession.diagnoses",
             "succession.expert_dispatches", "seminars.sessions", "seminars.participants", "trade_fairs.sessions",
             "trade_fairs.participants", "grants.adopted", "grants.amount"]
    assert [m.id for m in DEFAULTS.metrics][:19] == today
    assert [b.key for b in DEFAULTS.breakdowns][:4] == ["top_themes", "top_themes", "by_industry", "top_industries"]
    numbered = {s.number for s in DEFAULTS.sections if s.number}
    for number in ("1(1)①", "1(1)②", "1(1)③", "1(2)①", "1(2)②", "1(2)④", "1(3)①", "1(3)②", "2(1)①", "2(1)②",
                   "2(2)", "2(3)", "2(5)", "2(6)", "2(7)", "2(8)", "2(9)", "2(10)", "2(11)", "6(1)①", "6(1)②",
                   "6(1)③", "6(2)", "7(1)", "7(2)", "7(3)", "8(1)"):
        assert number in numbered, number


def test_the_forums_lectures_have_their_own_table_and_the_forum_is_listed_whatever_its_kind(app, make):
    """2(6): 実績 lists the program's events of every kind but 講演 (a center may record its forum as
    a セミナー), 【講演】 its lectures with テーマ and 講師."""
    import datetime as dt

    from casework.models import Program
    from casework.reporting import annual_report
    from casework.extensions import db

    forum = db.session.query(Program).filter_by(code="industry_forum").one()
    make.event("technology", kind="seminar", held_on=dt.date(2023, 9, 27), title="産業創造フォーラム", area="青森市",
               participants=144, program_id=forum.id)
    make.event("technology", kind="lecture", held_on=dt.date(2023, 9, 27), title="「中小企業のDX」",
               speaker="推進協会 代表理事 某 氏", program_id=forum.id)
    db.session.commit()
    (section,) = [s for s in annual_report(2023)["sections"] if s["key"] == "industry_forum"]
    lists = {table["label"]: table for table in section["lists"]}
    assert [(r["dates"], r["area"], r["participants"]) for r in lists["実績"]["rows"]] == [("令和5年9月", "青森市", 144)]
    assert [c["label"] for c in lists["講演"]["columns"]] == ["テーマ", "講師"]
    assert lists["講演"]["rows"] == [{"title": "「中小企業のDX」", "speaker": "推進協会 代表理事 某 氏"}]
