from flask import Blueprint

bp = Blueprint("followups", __name__, url_prefix="/followups")

from . import routes  # noqa: E402,F401
