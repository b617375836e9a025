"""The user's own iCalendar feed: its page (issue, regenerate, stop) and the feed URL itself,
which calendar apps fetch without logging in (PUBLIC; the secret token in the URL decides)."""
from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")  # each view declares its permission

from . import routes  # noqa: E402,F401
