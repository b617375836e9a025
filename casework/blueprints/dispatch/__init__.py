from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")
blueprint_requires(bp, LOGGED_IN)

from . import experts, routes  # noqa: E402,F401
