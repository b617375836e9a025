"""Admins edit the report definitions: sections (the report's tables) and their rows, with a
preview on real data before saving (services/report_definitions.py)."""
from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("reportdefs", __name__, url_prefix="/admin/report-definitions")
blueprint_requires(bp, "report.define")

from . import routes  # noqa: E402,F401
