"""casework backup / restore: the restore drill of docs/security.md as a test."""
import datetime as dt
import os
import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from casework.extensions import db
from casework.models import Client

from .revisions import empty_database_at


def _names():
    db.session.expire_all()
    return set(db.session.scalars(select(Client.name)))


@pytest.mark.skipif(bool(os.environ.get("CASEWORK_TEST_DATABASE_URL")),
                    reason="the SQLite path of casework backup / restore (PostgreSQL: the pg_dump tests below)")
def test_backup_change_restore_brings_the_old_data_back(app, runner, make, tmp_path):
    make.client(name="バックアップ前株式会社")
    backup_file = tmp_path / "backups" / "casework-20240510.db"
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output and "clients=1" in result.output
    make.client(name="バックアップ後株式会社")
    assert _names() == {"バックアップ前株式会社", "バックアップ後株式会社"}
    db.session.remove()
    result = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    assert "restored" in result.output and "previous database kept as" in result.output
    assert _names() == {"バックアップ前株式会社"}
    kept = result.output.split("previous database kept as ")[1].strip()
    conn = sqlite3.connect(kept)
    assert {r[0] for r in conn.execute("select name from clients")} == {"バックアップ前株式会社", "バックアップ後株式会社"}
    conn.close()
    make.client(name="復元後株式会社")  # the restored database is writable
    assert "復元後株式会社" in _names()


@pytest.mark.skipif(bool(os.environ.get("CASEWORK_TEST_DATABASE_URL")),
                    reason="the SQLite path of casework backup / restore (PostgreSQL: the pg_dump tests below)")
def test_backup_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "b.db"
    target.write_text("x")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "--force" in result.output


def test_restore_refuses_a_damaged_or_foreign_file(runner, make, tmp_path):
    make.client(name="残る株式会社")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t(x)").connection.commit()
    for bad in (junk, other):
        result = runner.invoke(args=["restore", str(bad), "--yes"])
        assert result.exit_code != 0, result.output
    assert _names() == {"残る株式会社"}


def test_backup_on_postgresql_points_to_pg_dump(app):
    from sqlalchemy.engine import make_url

    from casework.services.backup import sqlite_path
    from casework.services.errors import DomainError

    try:
        sqlite_path(make_url("postgresql+psycopg://u:p@localhost/casework"))
    except DomainError as exc:
        assert "pg_dump" in exc.message
    else:
        raise AssertionError("PostgreSQL must be refused")


SQLITE_ONLY = pytest.mark.skipif(bool(os.environ.get("CASEWORK_TEST_DATABASE_URL")),
                                 reason="the SQLite path of casework backup / restore (PostgreSQL: the pg_dump tests below)")


def _database_at(revision):
    empty_database_at(revision)


def _revision():
    from sqlalchemy import text

    db.session.remove()
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@SQLITE_ONLY
def test_restore_of_a_backup_from_an_older_revision_upgrades_it(app, runner, make, tmp_path):
    from sqlalchemy import inspect, text

    from casework.commands.maintenance import _revisions

    _, head = _revisions()
    _database_at("0004")
    with db.engine.begin() as conn:  # as a database made before commit 251faac was
        conn.execute(text("DROP INDEX ix_grants_decided_on"))
        # a client as that revision's table holds it (today's model has columns 0004 lacks)
        clients = sa.Table("clients", sa.MetaData(), autoload_with=conn)
        now = dt.datetime(2024, 5, 1)
        conn.execute(clients.insert().values(kind="corporation", name="旧版のお客様株式会社",
                                             search_text="旧版のお客様株式会社", version=1, created_at=now, updated_at=now))
    old = tmp_path / "old-release.db"
    assert runner.invoke(args=["backup", str(old)]).exit_code == 0
    db.session.remove()
    _database_at("head")
    make.client(name="現行版のお客様株式会社")
    db.session.commit()
    db.session.remove()
    result = runner.invoke(args=["restore", str(old), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"リビジョン 0004 から最新の {head} へ" in result.output
    assert f"データベースをリビジョン {head} に更新しました" in result.output
    assert _revision() == head
    assert _names() == {"旧版のお客様株式会社"}
    db.session.remove()
    assert "ix_grants_decided_on" in {ix["name"] for ix in inspect(db.engine).get_indexes("grants")}
    make.client(name="復元後株式会社")
    assert "復元後株式会社" in _names()


@SQLITE_ONLY
def test_restore_of_a_current_backup_needs_no_upgrade(app, runner, make, tmp_path):
    from casework.commands.maintenance import _revisions

    _, head = _revisions()
    _database_at("head")
    make.client(name="現行版株式会社")
    db.session.commit()
    backup_file = tmp_path / "current.db"
    assert runner.invoke(args=["backup", str(backup_file)]).exit_code == 0
    db.session.remove()
    result = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    assert "restored" in result.output and "更新" not in result.output
    assert _revision() == head and _names() == {"現行版株式会社"}


@SQLITE_ONLY
def test_restore_refuses_a_backup_from_a_newer_unknown_revision(app, runner, make, tmp_path):
    _database_at("head")
    make.client(name="今のデータ株式会社")
    db.session.commit()
    newer = tmp_path / "newer.db"
    assert runner.invoke(args=["backup", str(newer)]).exit_code == 0
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()
    db.session.remove()
    result = runner.invoke(args=["restore", str(newer), "--yes"])
    assert result.exit_code != 0
    assert "リビジョン 0099_from_the_future" in result.output and "より新しい casework" in result.output
    assert "restored" not in result.output
    assert _names() == {"今のデータ株式会社"}


@pytest.fixture
def open_umask():
    """A process umask of 022, as a shell usually has, so files are 0644 unless the app acts."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@SQLITE_ONLY
def test_database_backups_and_before_restore_copies_are_owner_only(app, runner, make, tmp_path, open_umask):
    import stat

    from casework.services.backup import sqlite_path

    make.client(name="権限確認株式会社")
    db.session.commit()
    backup_file = tmp_path / "perm" / "b.db"
    assert runner.invoke(args=["backup", str(backup_file)]).exit_code == 0
    result = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    kept = result.output.split("previous database kept as ")[1].split()[0]
    database = sqlite_path(db.engine.url)
    for path in (backup_file, kept, database, str(database) + "-wal"):
        if os.path.exists(path):
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_files_the_app_creates_are_owner_only(tmp_path, monkeypatch, open_umask):
    """The umask the app sets covers the files it creates: the SQLite database and its -wal/-shm,
    uploads, exports."""
    import stat

    from casework import create_app

    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path / "instance"))
    (tmp_path / "instance").mkdir()
    database = tmp_path / "instance" / "fresh.db"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "x"})
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x)")
        (tmp_path / "instance" / "upload.csv").write_text("a,b")
        for path in (database, str(database) + "-wal", tmp_path / "instance" / "upload.csv"):
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
        db.engine.dispose()


def test_a_database_left_0644_by_an_older_release_is_made_owner_only(tmp_path, monkeypatch, open_umask):
    import stat

    from casework import create_app

    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path))
    database = tmp_path / "old.db"
    sqlite3.connect(database).execute("create table t(x)").connection.close()
    os.chmod(database, 0o644)
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "x"})
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600


# --- PostgreSQL: pg_dump -Fc / pg_restore -----------------------------------------------------------

POSTGRESQL_ONLY = pytest.mark.skipif(not os.environ.get("CASEWORK_TEST_DATABASE_URL"),
                                     reason="pg_dump / pg_restore: run with CASEWORK_TEST_DATABASE_URL")


def _counts():
    from casework.models import Attachment, AuditEntry, Case, Consultation

    db.session.expire_all()
    return {m.__name__: db.session.scalar(select(sa.func.count()).select_from(m))
            for m in (Client, Case, Consultation, Attachment, AuditEntry)}


@pytest.fixture
def empty_postgresql_app(tmp_path):
    """A second app on a new, empty PostgreSQL database (its own attachments folder), dropped after."""
    import uuid

    from casework import create_app

    base = os.environ["CASEWORK_TEST_DATABASE_URL"]
    name = f"cw_restore_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                        "ATTACHMENTS_DIR": str(tmp_path / "restored-attachments")})
    try:
        yield other
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@POSTGRESQL_ONLY
def test_postgresql_backup_restores_into_a_fresh_database_with_the_documents(app, runner, make, tmp_path,
                                                                            empty_postgresql_app):
    import stat

    from casework.models import Attachment
    from casework.services import attachments

    from .test_attachments import PDF

    case = make.case(make.client(name="PG復元テスト株式会社"))
    make.consultation(case.client, case_id=case.id)
    document = attachments.attach_file(case, "議事録.pdf", PDF, by=None)
    db.session.commit()
    before, stored_name = _counts(), document.stored_name
    backup_file = tmp_path / "backups" / "casework.dump"
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "pg_dump -Fc" in result.output and "clients=1" in result.output
    assert backup_file.read_bytes()[:5] == b"PGDMP" and stat.S_IMODE(os.stat(backup_file).st_mode) == 0o600
    assert "1 files" in result.output and (tmp_path / "backups" / "casework.dump.attachments.tar").is_file()
    again = runner.invoke(args=["backup", str(backup_file)])
    assert again.exit_code != 0 and "--force" in again.output

    with empty_postgresql_app.app_context():
        result = empty_postgresql_app.test_cli_runner().invoke(args=["restore", str(backup_file), "--yes"])
        assert result.exit_code == 0, result.output
        assert "restored PostgreSQL のデータベース" in result.output and "attachments restored: 1 files" in result.output
        assert "更新します" not in result.output  # made at head: no upgrade
        assert _counts() == before
        restored = db.session.scalar(select(Attachment))
        assert restored.stored_name == stored_name
        assert attachments.path_of(restored, empty_postgresql_app).read_bytes() == PDF
        assert db.session.scalar(select(Client.name)) == "PG復元テスト株式会社"
        make.client(name="復元後に登録株式会社")  # the restored database takes new rows (sequences restored)
        db.session.commit()
        # not empty any more: refused without --force, nothing changed
        refused = empty_postgresql_app.test_cli_runner().invoke(args=["restore", str(backup_file), "--yes"])
        assert refused.exit_code != 0 and "空ではありません" in refused.output and "--force" in refused.output
        assert _counts()["Client"] == 2


@POSTGRESQL_ONLY
def test_postgresql_restore_of_an_older_revision_upgrades_and_force_keeps_the_current_content(
        app, runner, make, tmp_path):
    from casework.commands.maintenance import _revisions

    _, head = _revisions()
    _database_at("0004")
    with db.engine.begin() as conn:
        clients = sa.Table("clients", sa.MetaData(), autoload_with=conn)
        now = dt.datetime(2024, 5, 1)
        conn.execute(clients.insert().values(kind="corporation", name="旧版PG株式会社", search_text="旧版PG株式会社",
                                             version=1, created_at=now, updated_at=now))
    old = tmp_path / "old.dump"
    result = runner.invoke(args=["backup", str(old)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    _database_at("head")
    make.client(name="現行PG株式会社")
    db.session.commit()
    db.session.remove()
    result = runner.invoke(args=["restore", str(old), "--yes", "--force"])
    assert result.exit_code == 0, result.output
    assert f"リビジョン 0004 から最新の {head} へ" in result.output and "previous database kept as" in result.output
    assert _revision() == head and _names() == {"旧版PG株式会社"}
    kept = result.output.split("previous database kept as ")[1].split()[0]
    assert open(kept, "rb").read(5) == b"PGDMP" and oct(os.stat(kept).st_mode & 0o777) == "0o600"


@POSTGRESQL_ONLY
def test_postgresql_backup_refuses_a_missing_or_older_pg_dump_in_japanese(app, runner, tmp_path, monkeypatch):
    tools = tmp_path / "pgbin"
    tools.mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    app.config["PG_BIN_DIR"] = str(tools)
    missing = runner.invoke(args=["backup", str(tmp_path / "a.dump")])
    assert missing.exit_code != 0 and "pg_dump が見つかりません" in missing.output
    fake = tools / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    old = runner.invoke(args=["backup", str(tmp_path / "a.dump")])
    assert old.exit_code != 0 and "pg_dump の版（9）がデータベースサーバーの版" in old.output
    assert not (tmp_path / "a.dump").exists()


def test_the_postgresql_password_goes_by_environment_never_on_the_command_line(monkeypatch, tmp_path):
    import subprocess

    from sqlalchemy.engine import make_url

    from casework.services import backup as service
    from casework.services.errors import DomainError

    url = make_url("postgresql+psycopg://casework:s3cret-pw@db.example:5433/cw?sslmode=require")
    env = service.pg_env(url)
    assert (env["PGPASSWORD"], env["PGUSER"], env["PGHOST"], env["PGPORT"], env["PGDATABASE"], env["PGSSLMODE"]) == (
        "s3cret-pw", "casework", "db.example", "5433", "cw", "require")
    calls = []

    def fake_run(args, **kwargs):
        calls.append((args, kwargs.get("env") or {}))
        return subprocess.CompletedProcess(args, 1, "", "FATAL: password authentication failed (s3cret-pw)")

    monkeypatch.setattr(subprocess, "run", fake_run)
    with pytest.raises(DomainError) as refused:
        service._run(["/usr/bin/pg_dump", "--format=custom", "--file=x"], url, "バックアップ")
    assert "s3cret-pw" not in refused.value.message and "***" in refused.value.message
    args, env = calls[0]
    assert not any("s3cret" in a for a in args) and env["PGPASSWORD"] == "s3cret-pw"
