"""Documents on records: upload from the record's page, download, void. Every route loads the
record first through casework/access.py (a record you may not see: 404, audited), so a document
is exactly as visible as its record."""
from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("attachments", __name__, url_prefix="/attachments")
blueprint_requires(bp, LOGGED_IN)

from . import routes  # noqa: E402,F401
