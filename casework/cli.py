"""The `casework` command group: Flask's commands (run, db, shell) plus the project's own."""
from __future__ import annotations

import os
import subprocess
import sys

import click
from flask.cli import FlaskGroup, with_appcontext

from .permissions import ROLES


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, help="casework: case management for SME support centers.")
def main():
    """Entry point of the console script."""


def register(app):
    """Attach project commands to the app so `flask --app casework` and `casework` both see them."""
    for command in (create_user_command, demo_command, up_command):
        app.cli.add_command(command)
    for module in _command_modules():
        module.register_commands(app)


def _command_modules():
    """Every module of casework/commands/ (import, report, tally, scheduler, backup, ...)."""
    import importlib
    import pkgutil

    from . import commands

    return [importlib.import_module(f"casework.commands.{m.name}")
            for m in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name)]


@click.command("create-user")
@click.argument("login")
@click.option("--name", help="表示名（省略時はログイン名）")
@click.option("--role", type=click.Choice(list(ROLES)), default="coordinator",
              show_default=True)
@click.option("--center", "centers", multiple=True, help="所属センターのコード（複数可）: onestop, yorozu, succession, startup")
@click.option("--email")
@click.password_option(help="12文字以上")
@with_appcontext
def create_user_command(login, name, role, centers, email, password):
    """Create a staff account."""
    from .services.errors import DomainError
    from .services.users import create_user
    from .unit_of_work import committing

    try:
        with committing():
            user = create_user(login, name or login, password, role=role, center_codes=list(centers), email=email)
    except DomainError as exc:
        raise click.ClickException(exc.message)
    click.echo(f"created user {user.login} ({user.role_label}) centers={','.join(c.code for c in user.centers) or '-'}")


@click.command("demo")
@with_appcontext
def demo_command():
    """Load demo staff, clients, cases and consultations (only into an empty database)."""
    from .services.demo import load_demo
    from .unit_of_work import committing

    with committing():
        logins = load_demo()
    _print_logins(logins)


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo/--no-demo", default=True, show_default=True, help="load demo data into an empty database")
@click.option("--scheduler/--no-scheduler", default=True, show_default=True, help="start `casework scheduler` beside the web server")
@with_appcontext
def up_command(host, port, demo, scheduler):
    """Upgrade the database, load demo data, then run the web server and the scheduler."""
    from flask import current_app
    from flask_migrate import upgrade

    upgrade()
    if demo:
        from .services.demo import load_demo
        from .unit_of_work import committing

        with committing():
            logins = load_demo()
        _print_logins(logins)
    from .extensions import db

    db.session.remove()  # release SQLite's write lock before serving
    children = []
    if scheduler and "scheduler" in current_app.cli.commands:
        children.append(subprocess.Popen([sys.executable, "-m", "casework.cli", "scheduler"], env=os.environ.copy()))
        click.echo("scheduler started (casework scheduler)")
    click.echo(f"casework: http://{host}:{port}/  (Ctrl+C で停止)")
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain `kill` also stops the scheduler
    try:
        from werkzeug.serving import run_simple

        from .security import QuietRequestHandler

        run_simple(host, port, current_app._get_current_object(), use_reloader=False, threaded=True,
                   request_handler=QuietRequestHandler)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


def _print_logins(logins):
    if not logins:
        click.echo("demo data: the database already has users; nothing loaded.")
        return
    click.echo("demo logins (login / password):")
    for login, password, role in logins:
        click.echo(f"  {login:<12} {password}   {role}")


if __name__ == "__main__":
    main()
