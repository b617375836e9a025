from flask import Blueprint

bp = Blueprint("founders", __name__, url_prefix="/founders")

from . import routes  # noqa: E402,F401
