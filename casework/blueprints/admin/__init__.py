from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("admin", __name__, url_prefix="/admin")
blueprint_requires(bp, "admin.manage")

from . import routes  # noqa: E402,F401
