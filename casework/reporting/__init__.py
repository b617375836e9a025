"""Reporting: metric definitions (metrics.py, compiled from the stored report definitions;
record kinds in sources.py, defaults in defaults.py), the SQL that counts them (engine.py) and
the renderers of the annual report (render.py: text/CSV/XLSX; filed.py: the printed layout,
Word). Everything that shows a count goes through here."""
from .engine import annual_report, metric_records, monthly_tally
from .metrics import BREAKDOWNS, METRICS, SECTIONS, Breakdown, Metric, Section, metric
from .filed import filed_tables, render_docx
from .metrics import report_definitions
from .render import render_csv, render_text, render_xlsx

__all__ = ["annual_report", "monthly_tally", "metric_records", "render_text", "render_csv", "render_xlsx",
           "render_docx", "filed_tables", "report_definitions",
           "METRICS", "SECTIONS", "BREAKDOWNS", "Metric", "Section", "Breakdown", "metric"]
