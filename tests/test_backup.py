"""casework backup / restore: the restore drill of docs/security.md as a test."""
import os
import sqlite3

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Client


def _names():
    db.session.expire_all()
    return set(db.session.scalars(select(Client.name)))


@pytest.mark.skipif(bool(os.environ.get("CASEWORK_TEST_DATABASE_URL")),
                    reason="casework backup/restore are SQLite-only; on PostgreSQL the command points to pg_dump")
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
                    reason="casework backup/restore are SQLite-only; on PostgreSQL the command points to pg_dump")
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
