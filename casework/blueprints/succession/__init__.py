"""Succession and M&A matching: confidential. Every page answers 404 to anyone who is not a
member of the succession center (or an admin), before any view runs."""
from flask import Blueprint
from flask_login import current_user

from ...access import require_confidential_center
from ...extensions import login_manager

bp = Blueprint("succession", __name__, url_prefix="/succession")


@bp.before_request
def _confidential_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_confidential_center(current_user)


from . import deals, routes  # noqa: E402,F401
