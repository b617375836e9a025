from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("cases", __name__, url_prefix="/cases")
blueprint_requires(bp, LOGGED_IN)

from . import routes  # noqa: E402,F401
