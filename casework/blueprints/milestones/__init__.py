from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("milestones", __name__, url_prefix="/milestones")
blueprint_requires(bp, "program.record")

from . import routes  # noqa: E402,F401
