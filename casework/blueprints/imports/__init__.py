from flask import Blueprint, request

from ...permissions import blueprint_requires

bp = Blueprint("imports", __name__, url_prefix="/imports")
blueprint_requires(bp, "import.run")

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _limit_upload_size():
    """Cap the body of import uploads before anything (CSRF included) parses the form."""
    if request.endpoint and request.endpoint.startswith("imports."):
        from flask import current_app

        request.max_content_length = current_app.config.get("IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES)


@bp.record_once
def _install_limit(state):
    state.app.before_request_funcs.setdefault(None, []).insert(0, _limit_upload_size)

from . import routes  # noqa: E402,F401
