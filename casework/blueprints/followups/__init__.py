from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("followups", __name__, url_prefix="/followups")
blueprint_requires(bp, LOGGED_IN)

from . import routes  # noqa: E402,F401
