"""Report definitions as data: the stored rows, revision 0007's seed and the engine agree."""
import importlib.util
from pathlib import Path

from casework.reporting import defaults
from casework.reporting.metrics import DEFAULTS, load_definitions

MIGRATION = Path(__file__).parent.parent / "migrations" / "versions" / "0007_report_definitions.py"


def _migration():
    spec = importlib.util.spec_from_file_location("m0007", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    assert len(DEFAULTS.metrics) == 19 and len(DEFAULTS.breakdowns) == 4
