from flask import Blueprint, abort, current_app
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    """Only admins; anyone else gets 404 like any record they may not see."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_admin:
        abort(404)


from . import routes  # noqa: E402,F401
