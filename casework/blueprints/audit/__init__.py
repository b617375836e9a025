from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
blueprint_requires(bp, "audit.view")

from . import routes  # noqa: E402,F401
