from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

from . import routes  # noqa: E402,F401
