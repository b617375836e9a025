"""Outreach days (出張相談会): list, plan, slots, booking. Seeing and booking: any staff member of
the day's center (records of their centers); planning: the table's outreach.plan."""
from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("outreach", __name__, url_prefix="/outreach")
blueprint_requires(bp, LOGGED_IN)

from . import routes  # noqa: E402,F401
