"""Maintenance commands: backup, restore and the retention report."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


def register_commands(app):
    for command in (backup_command, restore_command, counts_command, retention_report_command):
        app.cli.add_command(command)


def _database_file() -> Path:
    from ..extensions import db
    from ..services.backup import sqlite_path

    return sqlite_path(db.engine.url)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="overwrite FILE if it exists")
@with_appcontext
def backup_command(file, force):
    """Back up the database to FILE while the app runs, and the documents on records to
    FILE.attachments.tar beside it. SQLite: SQLite's online backup API, then an integrity check of
    the copy. PostgreSQL: pg_dump -Fc (custom format; pg_dump at least the server's version),
    then read back with pg_restore --list."""
    from ..extensions import db
    from ..services.attachments import storage_dir
    from ..services.backup import backup, backup_attachments, is_postgresql, pg_backup
    from ..services.errors import DomainError

    try:
        if is_postgresql(db.engine.url):
            result = pg_backup(db.engine, file, overwrite=force, bin_dir=_pg_bin())
            checked = "pg_dump -Fc, readable by pg_restore"
        else:
            result = backup(_database_file(), file, overwrite=force)
            checked = "integrity ok"
        documents = backup_attachments(storage_dir(), file)
    except DomainError as exc:
        raise click.ClickException(exc.message)
    counts = ", ".join(f"{k}={v}" for k, v in result["counts"].items())
    click.echo(f"backup written: {result['path']} ({result['bytes']:,} bytes, {checked}; {counts})")
    click.echo(f"attachments written: {documents['path']} ({documents['files']} files, {documents['bytes']:,} bytes)")


def _pg_bin():
    from flask import current_app

    return current_app.config.get("PG_BIN_DIR")


def _revisions() -> tuple[list[str], str]:
    """Every revision in migrations/ (oldest first) and the head."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    known = [r.revision for r in reversed(list(script.walk_revisions()))]
    return known, script.get_current_head()


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@click.option("--force", is_flag=True, help="PostgreSQL: replace a database that is not empty (its content is "
                                            "dumped to the instance folder first)")
@with_appcontext
def restore_command(file, yes, force):
    """Replace the database with the backup FILE (checked first) and the documents with
    FILE.attachments.tar. SQLite: the current database is kept beside it as
    *.before-restore-<time>. PostgreSQL: pg_restore into the configured database, which must be
    empty unless --force (then its content is dumped to the instance folder first). A backup made
    at an older schema revision is upgraded to the current one after the restore; one from a
    newer, unknown revision is refused. Stop the web server and scheduler first."""
    from flask import current_app

    from ..extensions import db
    from ..services import backup as service
    from ..services.attachments import storage_dir
    from ..services.errors import DomainError

    known, head = _revisions()
    postgresql = service.is_postgresql(db.engine.url)
    try:
        if postgresql:
            major = service.server_major(db.engine)
            service.check_pg_dump(file, major, _pg_bin())
            target = f"PostgreSQL のデータベース {db.engine.url.database}"
            revision = service.pg_dump_revision(file, major, _pg_bin())
            service.check_restorable_revision(revision, known, head)
        else:
            target = _database_file()
            service.check_integrity(file)
            revision = service.check_restorable(file, known, head)
        service.check_attachments_archive(file)  # before anything is replaced
    except DomainError as exc:
        raise click.ClickException(exc.message)
    if not yes:
        click.confirm(f"{target} を {file} の内容で置き換えます。よろしいですか？", abort=True)
    db.session.remove()
    db.engine.dispose()
    try:
        if postgresql:
            result = service.pg_restore(db.engine, file, force=force, keep_dir=Path(current_app.instance_path),
                                        bin_dir=_pg_bin())
        else:
            result = service.restore(file, target)
        documents = service.restore_attachments(file, storage_dir())
    except DomainError as exc:
        raise click.ClickException(exc.message)
    if revision is None:
        click.echo("注意: バックアップにリビジョンの記録（alembic_version）がありません。"
                   "`casework db upgrade` で更新が要るか確かめてください。")
    if documents is None:
        click.echo("注意: このバックアップには添付書類のアーカイブ（*.attachments.tar）がありません。添付書類のファイルはそのままです。")
    else:
        click.echo(f"attachments restored: {documents['files']} files into {documents['path']}"
                   + (f" (previous files kept as {documents['kept']})" if documents["kept"] else ""))
    counts = ", ".join(f"{k}={v}" for k, v in result["counts"].items())
    click.echo(f"restored {target} from {file} ({'pg_restore' if postgresql else 'integrity ok'}; {counts})")
    if result["kept"]:
        click.echo(f"previous database kept as {result['kept']}")
    if revision is not None and revision != head:
        click.echo(f"バックアップのリビジョン {revision} から最新の {head} へデータベースを更新します "
                   f"(upgrading the restored database from revision {revision} to {head})")
        _upgrade(result["kept"])
        click.echo(f"データベースをリビジョン {head} に更新しました (upgraded to {head})")


def _upgrade(kept) -> None:
    from flask_migrate import upgrade

    from ..extensions import db

    try:
        upgrade(revision="head")
    except Exception as exc:
        raise click.ClickException(
            f"復元したデータベースの更新に失敗しました: {exc}。元のデータベースは {kept} にあります "
            f"(casework restore でそれを戻せます)。")
    finally:
        db.session.remove()
        db.engine.dispose()


@click.command("counts")
@with_appcontext
def counts_command():
    """Print the database's schema revision and the rows of every table (voided ones included),
    to compare before and after `casework db upgrade` or a restore. Reads only."""
    import sqlalchemy as sa

    from ..extensions import db

    known, head = _revisions()
    with db.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        revision = (conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
                    if "alembic_version" in tables else None)
        counts = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                  for t in db.metadata.sorted_tables if t.name in tables}
    state = ("最新" if revision == head else
             "更新が必要: casework db upgrade" if revision in known else "この版の知らないリビジョン")
    click.echo(f"schema revision: {revision or '-'} (head {head}; {state})")
    for name in sorted(counts):
        click.echo(f"{name:<22} {counts[name]:>9,}")


@click.command("retention-report")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="count from this date (default: today, Japan time)")
@click.option("--years", type=int, help="retention period (default: RETENTION_YEARS)")
@with_appcontext
def retention_report_command(today, years):
    """List records kept past the retention period (closed cases, inactive clients, voided
    records, old audit entries). Nothing is deleted."""
    from flask import current_app

    from ..dates import today_jst
    from ..services.retention import cutoff_date, records_past_retention

    day = today.date() if today else today_jst()
    years = years if years is not None else int(current_app.config["RETENTION_YEARS"])
    found = records_past_retention(day, years)
    click.echo(f"保存期間 {years} 年（{cutoff_date(day, years)} より前）を過ぎた記録: {len(found)} 件")
    for r in found:
        click.echo(f"  {r.kind:<8} {r.object_type:<13} {r.object_id:>7}  {r.since}  {r.note}")
