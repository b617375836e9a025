from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("consultations", __name__, url_prefix="/consultations")
blueprint_requires(bp, LOGGED_IN)

from . import routes  # noqa: E402,F401
