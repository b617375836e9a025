"""Reporting: metric definitions (metrics.py), the SQL that counts them (engine.py) and the
renderers of the annual report (render.py). Everything that shows a count goes through here."""
from .engine import annual_report, metric_records, monthly_tally
from .metrics import BREAKDOWNS, METRICS, SECTIONS, Breakdown, Metric, Section, metric
from .render import render_csv, render_text, render_xlsx

__all__ = ["annual_report", "monthly_tally", "metric_records", "render_text", "render_csv", "render_xlsx",
           "METRICS", "SECTIONS", "BREAKDOWNS", "Metric", "Section", "Breakdown", "metric"]
