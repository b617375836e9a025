from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("founders", __name__, url_prefix="/founders")
blueprint_requires(bp, LOGGED_IN)

from . import routes  # noqa: E402,F401
