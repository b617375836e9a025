from flask import Blueprint

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")

from . import experts, routes  # noqa: E402,F401
