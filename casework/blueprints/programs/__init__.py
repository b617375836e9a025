from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("programs", __name__, url_prefix="/admin/programs")
blueprint_requires(bp, "program.manage")

from . import routes  # noqa: E402,F401
