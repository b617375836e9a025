"""Report definitions as data: the stored rows, revision 0007's seed and the engine agree."""
from pathlib import Path

from casework.reporting import defaults
from casework.reporting.metrics import DEFAULTS, load_definitions

from .revisions import revision_module

MIGRATION = Path(__file__).parent.parent / "migrations" / "versions" / "0007_report_definitions.py"


def _migration():
    return revision_module(MIGRATION.name)


def test_revision_0007_seeds_the_default_definitions():
    m = _migration()
    rows = defaults.definition_rows()
    assert m.SECTIONS == rows["report_sections"]
    full = [{**{c: None for c in m.ROW_COLUMNS}, **m.ROW_DEFAULTS, **r} for r in m.ROWS]
    assert full == rows["report_rows"]
    assert m.OPENINGS == rows["report_opening_balances"]


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
