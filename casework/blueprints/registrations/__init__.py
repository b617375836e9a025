from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("registrations", __name__, url_prefix="/registrations")
blueprint_requires(bp, "program.record")

from . import routes  # noqa: E402,F401
