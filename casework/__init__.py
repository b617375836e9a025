"""casework: case management for prefectural SME support centers."""
import os
from pathlib import Path

from flask import Flask, request

from .config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("CASEWORK_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_config(app, test_config)
    register_inputs(app)
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_security(app)
    register_permissions(app)
    __import__("casework.api").api.register(app)  # the JSON API /api/v1/ (docs/api.md): after pages, hooks, table
    register_unit_of_work(app)
    register_commands(app)
    return app


def register_inputs(app):
    """Bounded `<int:…>` ids and control-free query/form values (casework/inputs.py)."""
    from . import inputs

    inputs.register(app)


def register_extensions(app):
    from .dbsetup import configure_engine, include_object
    from .extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True,
                 include_object=include_object)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "ログインしてください。"
    login_manager.login_message_category = "info"
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from .services.users import load_user_from_session_id

    login_manager.user_loader(load_user_from_session_id)


def register_blueprints(app):
    from .blueprints import all_blueprints

    for blueprint in all_blueprints():
        app.register_blueprint(blueprint)


def register_template_helpers(app):
    from . import templating

    templating.register(app)


def register_error_handlers(app):
    from .errors_pages import render_error

    def handler(error):
        # refusals noted by casework.access / casework.permissions are audited by the unit of work
        return render_error(error.code)

    for code in (400, 403, 404, 405, 409, 413, 429, 500):
        app.register_error_handler(code, handler)


def register_request_hooks(app):
    from .unit_of_work import set_transaction_mode

    @app.before_request
    def _transaction_mode():
        # GET/HEAD only read: begin deferred so a page view never holds SQLite's write lock
        # (nor, until it writes, a view that checks its form first: unit_of_work.checks_before_writing).
        set_transaction_mode(app, request.method, request.endpoint)


def register_security(app):
    """Security headers, session timeouts, audit of confidential views (casework/security.py)."""
    from . import security

    security.register(app)


def register_permissions(app):
    """One permission table, checked before every view (casework/permissions.py)."""
    from . import permissions

    permissions.register(app)


def register_unit_of_work(app):
    """The request commits once or rolls back (casework/unit_of_work.py)."""
    from . import unit_of_work

    unit_of_work.register(app)


def register_commands(app):
    from .cli import register

    register(app)
