from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("referrals", __name__, url_prefix="/referrals")
blueprint_requires(bp, LOGGED_IN)

from . import routes  # noqa: E402,F401
