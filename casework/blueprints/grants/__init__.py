from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("grants", __name__, url_prefix="/grants")
blueprint_requires(bp, "program.record")

from . import routes  # noqa: E402,F401
