"""Succession and M&A matching: confidential. Every page answers 404 to anyone who is not a
member of the succession center (or an admin), before any view runs."""
from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("succession", __name__, url_prefix="/succession")
blueprint_requires(bp, "succession.use")

from . import deals, routes  # noqa: E402,F401
