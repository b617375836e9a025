"""Backup and restore of the database and the documents on records (`casework backup` /
`casework restore`).

- SQLite: a copy through SQLite's online backup API, integrity-checked.
- PostgreSQL: `pg_dump -Fc` (custom format) and `pg_restore` into the configured database, the
  connection given to them through PG* environment variables (the password as PGPASSWORD, from
  the database URL): never on a command line, never in a message.
- Either way the attachment files go into FILE.attachments.tar beside the backup.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from .errors import DomainError

REQUIRED_TABLES = {"users", "clients", "cases", "consultations", "audit_log"}
PRIVATE = 0o600  # backups and before-restore copies hold client data: owner only


def _create_private(path: Path) -> None:
    """An empty file readable by the owner only, before any data goes in (SQLite accepts an empty
    file as a new database)."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))


def sqlite_path(url) -> Path:
    """The database file of a SQLite URL; refuse anything else with the right tool to use."""
    if url.get_backend_name() != "sqlite":
        raise DomainError("SQLite のデータベースではありません（PostgreSQL では casework backup が pg_dump を、"
                          "casework restore が pg_restore を使います）。")
    if not url.database or url.database == ":memory:":
        raise DomainError("メモリ上のデータベースはバックアップできません。")
    return Path(url.database)


def check_integrity(path: Path) -> None:
    """PRAGMA integrity_check on a database file, plus: it is a casework database."""
    if not path.is_file():
        raise DomainError(f"ファイルがありません: {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DomainError(f"SQLite データベースとして読めません: {path} ({exc})") from exc
    if result != ["ok"]:
        raise DomainError(f"整合性チェックに失敗しました: {path}: {'; '.join(result[:5])}")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise DomainError(f"casework のデータベースではありません（{', '.join(sorted(missing))} がありません）: {path}")


@contextlib.contextmanager
def _private_file(target: Path, overwrite: bool):
    """Write `target` through <target>.partial, owner-only from the start: moved into place when
    the block succeeds, removed when it fails. An existing target needs overwrite (--force)."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise DomainError(f"既にファイルがあります: {target}（上書きするには --force）")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    _create_private(partial)
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.chmod(partial, PRIVATE)
    os.replace(partial, target)


def backup(source: Path, target: Path, *, overwrite: bool = False) -> dict:
    """Copy a live database with SQLite's online backup API (consistent while others write),
    then integrity-check the copy. Returns the copy's size and table row counts."""
    target = Path(target)
    with _private_file(target, overwrite) as partial:
        src = sqlite3.connect(source)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            dst.close()
            src.close()
        check_integrity(partial)
    return {"path": str(target), "bytes": target.stat().st_size, "counts": _counts(target)}


def restore(source: Path, target: Path) -> dict:
    """Replace the database at `target` with the backup `source`.

    The backup is integrity-checked first; the current database is kept beside it as
    <name>.before-restore-<UTC time>; the copy goes in through SQLite's backup API, which replaces
    the whole content in one write transaction (other connections see old or new, never a mix)."""
    source = Path(source)
    check_integrity(source)
    kept = None
    if target.exists():
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        backup(target, kept)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    check_integrity(target)
    os.chmod(target, PRIVATE)
    return {"path": str(target), "kept": str(kept) if kept else None, "counts": _counts(target)}


def schema_revision(path: Path) -> str | None:
    """The Alembic revision a database file is at (None: no alembic_version table, e.g. a
    database built by create_all)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone():
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def check_restorable(path: Path, known: list[str], head: str) -> str | None:
    """Refuse a backup this code cannot run on: one from a revision it does not know (made by a
    newer casework). Returns the backup's revision; one older than head is upgraded after the
    restore (known: every revision of migrations/, oldest first)."""
    revision = schema_revision(path)
    check_restorable_revision(revision, known, head)
    return revision


def check_restorable_revision(revision: str | None, known: list[str], head: str) -> None:
    """A backup's revision must be one this code knows (None: no record, allowed)."""
    if revision is not None and revision not in known:
        raise DomainError(
            f"このバックアップはデータベースのリビジョン {revision} で作られています。この casework が知っている"
            f"リビジョンは {known[0]}〜{head} までです（より新しい casework で作られたバックアップです）。"
            f"そのバックアップを作った版の casework に更新してから復元してください。"
            f" / This backup is at schema revision {revision}, unknown to this casework (newest known: {head}); "
            f"install the release that made it, then restore.")


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(REQUIRED_TABLES)}
    finally:
        conn.close()


# --- the documents on records (services/attachments.py) ---------------------------------------------
# They are files, not rows: `casework backup FILE` also writes FILE.attachments.tar beside the
# database copy, and `casework restore FILE` puts them back from it.

def attachments_archive(database_file: Path) -> Path:
    database_file = Path(database_file)
    return database_file.with_name(database_file.name + ".attachments.tar")


def _attachment_files(folder: Path) -> list[Path]:
    from .attachments import STORED_NAME

    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and STORED_NAME.match(p.name))


def backup_attachments(folder: Path, database_target: Path) -> dict:
    """Every attachment file (voided ones too) into a tar beside the database copy (0600)."""
    import tarfile

    archive = attachments_archive(database_target)
    files = _attachment_files(Path(folder))
    with _private_file(archive, overwrite=True) as partial, tarfile.open(partial, "w") as tar:
        for path in files:
            tar.add(path, arcname=path.name, recursive=False)
    return {"path": str(archive), "files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def check_attachments_archive(database_source: Path) -> None:
    """Refuse an attachments archive holding anything but plain files with the app's random names
    (checked before the database is replaced)."""
    import tarfile

    from .attachments import STORED_NAME

    archive = attachments_archive(database_source)
    if not archive.is_file():
        return
    try:
        with tarfile.open(archive) as tar:
            bad = [m.name for m in tar.getmembers() if not (m.isfile() and STORED_NAME.match(m.name))]
    except tarfile.TarError as exc:
        raise DomainError(f"添付書類のアーカイブが読めません: {archive} ({exc})") from exc
    if bad:
        raise DomainError(f"添付書類のアーカイブに想定外の項目があります: {', '.join(bad[:5])}（{archive}）")


def restore_attachments(database_source: Path, folder: Path) -> dict | None:
    """Put the backup's attachment files back (None: the backup has no attachments archive). The
    current folder is kept beside it as <folder>.before-restore-<UTC time>. Only plain files with
    the random names the app gives are taken from the archive (no paths, no links)."""
    import shutil
    import tarfile

    from .attachments import STORED_NAME

    archive = attachments_archive(database_source)
    if not archive.is_file():
        return None
    check_attachments_archive(database_source)
    folder = Path(folder)
    try:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            incoming = folder.with_name(folder.name + ".restoring")
            shutil.rmtree(incoming, ignore_errors=True)
            incoming.mkdir(parents=True, mode=0o700)
            for member in members:
                if not (member.isfile() and STORED_NAME.match(member.name)):  # as checked above
                    raise DomainError(f"添付書類のアーカイブに想定外の項目があります: {member.name}（{archive}）")
                source = tar.extractfile(member)
                fd = os.open(incoming / member.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(source, out)
    except tarfile.TarError as exc:
        raise DomainError(f"添付書類のアーカイブが読めません: {archive} ({exc})") from exc
    kept = None
    if folder.exists():
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        kept = folder.with_name(f"{folder.name}.before-restore-{stamp}")
        os.replace(folder, kept)
    os.replace(incoming, folder)
    return {"path": str(folder), "files": len(members), "kept": str(kept) if kept else None}



# --- PostgreSQL: pg_dump -Fc / pg_restore ----------------------------------------------------------

PG_BIN = Path("/usr/bin")
_QUERY_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
              "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME"}


def is_postgresql(url) -> bool:
    return url.get_backend_name() == "postgresql"


def pg_env(url) -> dict[str, str]:
    """The connection as libpq's environment variables: host, port, user, database and the
    password (PGPASSWORD) from the URL, so that nothing secret is on a command line."""
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None and value != "":
            env[key] = str(value)
    for key, name in _QUERY_ENV.items():
        value = url.query.get(key)
        if value:
            env[name] = value if isinstance(value, str) else value[0]
    return env


def _secretless(text: str, url) -> str:
    """A tool's message without the password, should it ever appear."""
    password = url.password
    return text.replace(str(password), "***") if password else text


_CHECKED_TOOLS: dict[tuple, str] = {}  # (name, server major, folder) → a tool already run with --version


def pg_tool(name: str, server_major: int, bin_dir: Path | None = None) -> str:
    """The path of pg_dump / pg_restore, refused (in Japanese) when missing or older than the
    server; checked once per process (a restore asks for pg_restore four times)."""
    folder = Path(bin_dir) if bin_dir else PG_BIN
    key = (name, server_major, folder)
    if key not in _CHECKED_TOOLS:
        _CHECKED_TOOLS[key] = _checked_tool(name, server_major, folder)
    return _CHECKED_TOOLS[key]


def _checked_tool(name: str, server_major: int, folder: Path) -> str:
    import shutil
    import subprocess

    tool = folder / name if (folder / name).is_file() else shutil.which(name)
    if tool is None:
        raise DomainError(f"{name} が見つかりません（{folder / name}）。PostgreSQL のクライアント"
                          f"（postgresql-client-{server_major} 以降）を入れてから、もう一度実行してください。")
    try:
        out = subprocess.run([str(tool), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise DomainError(f"{name} を実行できません（{tool}: {exc}）。") from exc
    major = _major(out)
    if major is None:
        raise DomainError(f"{name} の版を読み取れません（{tool} --version: {out.strip()[:80]}）。")
    if major < server_major:
        raise DomainError(f"{name} の版（{major}）がデータベースサーバーの版（{server_major}）より古いため使えません。"
                          f"postgresql-client-{server_major} 以降の {name} を入れてください（{tool}）。")
    return str(tool)


def _major(version_output: str) -> int | None:
    import re

    found = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output) or re.search(r"\b(\d+)(?:\.\d+)+\b", version_output)
    return int(found.group(1)) if found else None


def server_major(engine) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        return int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000


def _run(args: list[str], url, what: str):
    import subprocess

    result = subprocess.run(args, env=pg_env(url), capture_output=True, text=True)
    if result.returncode != 0:
        message = _secretless((result.stderr or result.stdout).strip(), url)
        raise DomainError(f"{what}に失敗しました（{Path(args[0]).name} の終了コード {result.returncode}）: "
                          f"{message[-1500:]}")
    return result


def pg_counts(engine) -> dict[str, int]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in sorted(REQUIRED_TABLES)}


def pg_backup(engine, target: Path, *, overwrite: bool = False, bin_dir: Path | None = None) -> dict:
    """`pg_dump -Fc` of the configured database into target (0600, written beside as .partial
    and moved into place), then read back with `pg_restore --list` to check it is whole."""
    url = engine.url
    target = Path(target)
    with _private_file(target, overwrite) as partial:
        major = server_major(engine)
        pg_dump = pg_tool("pg_dump", major, bin_dir)
        _run([pg_dump, "--format=custom", "--no-password", f"--file={partial}"], url, "pg_dump によるバックアップ")
        check_pg_dump(partial, major, bin_dir)
    return {"path": str(target), "bytes": target.stat().st_size, "counts": pg_counts(engine)}


def _pg_list(path: Path, major: int, bin_dir: Path | None) -> str:
    import subprocess

    pg_restore = pg_tool("pg_restore", major, bin_dir)
    result = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise DomainError(f"pg_dump のカスタム形式のバックアップとして読めません: {path}"
                          f"（{result.stderr.strip()[:300]}）")
    return result.stdout


def check_pg_dump(path: Path, major: int, bin_dir: Path | None = None) -> None:
    """A pg_dump custom-format file holding casework's tables (their data too)."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"ファイルがありません: {path}")
    with open(path, "rb") as fh:
        if fh.read(5) != b"PGDMP":
            raise DomainError(f"pg_dump のカスタム形式（pg_dump -Fc）のバックアップではありません: {path}")
    listing = _pg_list(path, major, bin_dir)
    tables = {line.split()[-2] for line in listing.splitlines() if " TABLE DATA " in line and not line.startswith(";")}
    missing = REQUIRED_TABLES - tables
    if missing:
        raise DomainError(f"casework のデータベースのバックアップではありません（{', '.join(sorted(missing))} がありません）: {path}")


def pg_dump_revision(path: Path, major: int, bin_dir: Path | None = None) -> str | None:
    """The Alembic revision in a custom-format dump (its alembic_version rows), None without one."""
    import subprocess

    if " TABLE DATA public alembic_version " not in _pg_list(path, major, bin_dir):
        return None
    pg_restore = pg_tool("pg_restore", major, bin_dir)
    result = subprocess.run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(path)],
                            capture_output=True, text=True)
    lines = result.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines) and lines[i + 1] != "\\.":
            return lines[i + 1].strip()
    return None


def _user_tables(engine) -> list[str]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return list(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).scalars())


def pg_restore(engine, source: Path, *, force: bool = False, keep_dir: Path | None = None,
               bin_dir: Path | None = None) -> dict:
    """Restore a pg_dump -Fc backup into the configured database: an empty one, or with force
    one whose current content is first dumped to keep_dir/before-restore-<UTC time>.dump and
    then dropped (the public schema made again). pg_restore runs in one transaction and stops
    at the first error (--single-transaction --exit-on-error), without owners or grants from
    the source (--no-owner --no-privileges): the tables belong to the configured user."""
    from sqlalchemy import text

    url = engine.url
    major = server_major(engine)
    pg_restore_tool = pg_tool("pg_restore", major, bin_dir)
    check_pg_dump(source, major, bin_dir)
    existing = _user_tables(engine)
    kept = None
    if existing:
        if not force:
            raise DomainError(f"復元先のデータベース {url.database} は空ではありません（{len(existing)} 個の表があります）。"
                              "今の内容を置き換えるには --force を付けてください（今の内容は復元の前にバックアップされます）。")
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        kept = Path(keep_dir or Path(source).parent) / f"{url.database}.before-restore-{stamp}.dump"
        pg_backup(engine, kept, bin_dir=bin_dir)
        engine.dispose()
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    _run([pg_restore_tool, "--no-password", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={url.database}", str(source)], url, "pg_restore による復元")
    engine.dispose()
    return {"path": url.database, "kept": str(kept) if kept else None, "counts": pg_counts(engine)}
