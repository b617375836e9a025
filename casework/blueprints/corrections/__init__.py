"""Corrections (記録の訂正): merging duplicate clients, undoing a merge, restoring voided records."""
from flask import Blueprint

bp = Blueprint("corrections", __name__, url_prefix="/corrections")

from . import routes  # noqa: E402,F401
