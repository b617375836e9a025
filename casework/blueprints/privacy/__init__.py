from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")
blueprint_requires(bp, "privacy.export")

from . import routes  # noqa: E402,F401
