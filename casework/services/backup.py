"""Online backup and restore of the SQLite database (PostgreSQL: use pg_dump / pg_restore)."""
from __future__ import annotations

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
        raise DomainError("PostgreSQL のバックアップは pg_dump、復元は pg_restore を使ってください"
                          "（例: pg_dump -Fc -f casework.dump DBNAME）。casework backup は SQLite 専用です。")
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


def backup(source: Path, target: Path, *, overwrite: bool = False) -> dict:
    """Copy a live database with SQLite's online backup API (consistent while others write),
    then integrity-check the copy. Returns the copy's size and table row counts."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise DomainError(f"既にファイルがあります: {target}（上書きするには --force）")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    _create_private(partial)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        dst.close()
        src.close()
    try:
        check_integrity(partial)
    except DomainError:
        partial.unlink(missing_ok=True)
        raise
    os.chmod(partial, PRIVATE)
    os.replace(partial, target)
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
    if revision is not None and revision not in known:
        raise DomainError(
            f"このバックアップはデータベースのリビジョン {revision} で作られています。この casework が知っている"
            f"リビジョンは {known[0]}〜{head} までです（より新しい casework で作られたバックアップです）。"
            f"そのバックアップを作った版の casework に更新してから復元してください。"
            f" / This backup is at schema revision {revision}, unknown to this casework (newest known: {head}); "
            f"install the release that made it, then restore.")
    return revision


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
    partial = archive.with_name(archive.name + ".partial")
    _create_private(partial)
    files = _attachment_files(Path(folder))
    with tarfile.open(partial, "w") as tar:
        for path in files:
            tar.add(path, arcname=path.name, recursive=False)
    os.chmod(partial, PRIVATE)
    os.replace(partial, archive)
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
