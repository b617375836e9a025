from flask import Blueprint

from ...permissions import LOGGED_IN, blueprint_requires

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
blueprint_requires(bp, LOGGED_IN)

from . import routes  # noqa: E402,F401


@bp.app_context_processor
def _bell():
    """The header bell: the logged-in user's unread count, on every page."""
    from flask_login import current_user

    def unread_notifications():
        from ...services.notifications import unread_count

        return unread_count(current_user) if current_user.is_authenticated else 0

    return {"unread_notifications": unread_notifications}
