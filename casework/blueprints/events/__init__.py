from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("events", __name__, url_prefix="/events")
blueprint_requires(bp, LOGGED_IN)

from . import attendance, routes  # noqa: E402,F401
