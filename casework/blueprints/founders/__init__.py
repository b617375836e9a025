from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("founders", __name__, url_prefix="/founders")
blueprint_requires(bp, "founder.use")  # IMs, managers and admins; records: their centers' startup cases

from . import routes  # noqa: E402,F401
