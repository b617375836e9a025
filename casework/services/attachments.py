"""Documents on records (添付書類): clients, cases, dispatches (the expert's report), M&A profiles
and deals.

- Stored as files under ATTACHMENTS_DIR (default instance/attachments), owner-only (0600), under a
  random name: the user's filename never reaches the disk. The table `attachments` describes them
  (original name, size, SHA-256, detected type, who, when); the bytes are never in the database.
- Checked before anything is written: at most ATTACHMENT_MAX_BYTES, not empty, and the content is
  one of the accepted types, recognised by its first bytes (PDF, PNG, JPEG, Word/Excel/PowerPoint
  .docx/.xlsx/.pptx: a ZIP whose [Content_Types].xml names that document, plain text / CSV). The
  extension must say the same thing as the content; executables, HTML, SVG and anything else are
  refused.
- The filename is cleaned (the last path part only, NFC, no control characters, bounded length).
- Served only as downloads (blueprints/attachments), after the record's own permission check.
- Voided, never deleted (services/voiding.py); `casework backup` carries the files along and the
  privacy export of a client includes its documents.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import ATTACHMENT_RECORD_KINDS, Attachment, Case, Client, Deal, Dispatch, MatchProfile, User
from . import audit
from .errors import DomainError

MODELS = {"client": Client, "case": Case, "dispatch": Dispatch, "profile": MatchProfile, "deal": Deal}
KIND_OF_MODEL = {model: kind for kind, model in MODELS.items()}
NAME_MAX = 120  # characters of a cleaned filename (extension kept)
STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str
    extensions: tuple[str, ...]


TYPES = {
    "pdf": FileType("application/pdf", "PDF", ("pdf",)),
    "png": FileType("image/png", "PNG画像", ("png",)),
    "jpeg": FileType("image/jpeg", "JPEG画像", ("jpg", "jpeg")),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word文書", ("docx",)),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excelブック", ("xlsx",)),
    "pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                     "PowerPointプレゼンテーション", ("pptx",)),
    "text": FileType("text/plain; charset=utf-8", "テキスト", ("txt",)),
    "csv": FileType("text/csv; charset=utf-8", "CSV", ("csv",)),
}
ACCEPTED = "PDF、PNG、JPEG、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx）、テキスト（.txt）、CSV（.csv）"
# the main part [Content_Types].xml names for each Office document (macro-enabled ones differ)
OFFICE_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe",
                    b"#!")
MARKUP = re.compile(rb"^\s*<(?:!doctype|html|head|body|svg|script|\?xml|iframe|object)", re.I)


# --- where the files live --------------------------------------------------------------------------

def storage_dir(app=None) -> Path:
    app = app or current_app
    return Path(app.config.get("ATTACHMENTS_DIR") or Path(app.instance_path) / "attachments")


def path_of(attachment: Attachment, app=None) -> Path:
    if not STORED_NAME.match(attachment.stored_name or ""):
        raise DomainError("添付書類のファイルが見つかりません。")
    return storage_dir(app) / attachment.stored_name


def document_path(attachment_id: int) -> Path | None:
    attachment = db.session.get(Attachment, attachment_id)
    return path_of(attachment) if attachment is not None else None


def _write_private(folder: Path, data: bytes) -> str:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    while True:
        name = secrets.token_hex(16)
        try:
            fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # 128 random bits: practically never
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return name


# --- checking what was uploaded --------------------------------------------------------------------

def clean_filename(name: str | None) -> str:
    """The last part of the name (no folders, no traversal), NFC, without control characters or
    leading dots, at most NAME_MAX characters with its extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if not name or name in (".", ".."):
        raise DomainError("ファイル名がありません。名前の付いたファイルを選んでください。", "file")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if len(name) > NAME_MAX:
        ext = ext[:16]
        stem = stem[:NAME_MAX - len(ext) - 1].rstrip()
        name = f"{stem}.{ext}" if ext else stem[:NAME_MAX]
    return name


def extension_of(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def detect_type(data: bytes) -> str | None:
    """The accepted type this content is (a key of TYPES, "text" for plain text), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    if _is_plain_text(data):
        return "text"
    return None


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return None
            types = zf.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError, ValueError):
        return None
    found = [kind for kind, main in OFFICE_MAIN.items() if main in types]
    return found[0] if len(found) == 1 else None


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data or MARKUP.match(data[:4096].lstrip(b"\xef\xbb\xbf")):
        return False
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f" for ch in text)
    return False


def check_file(name: str, data: bytes, max_bytes: int) -> tuple[str, str]:
    """(cleaned name, detected TYPES key), or a DomainError saying what is wrong, in Japanese."""
    name = clean_filename(name)
    if len(data) > max_bytes:
        raise DomainError(f"ファイルが大きすぎます（{max_bytes // (1024 * 1024):,}MB まで）。", "file")
    if not data:
        raise DomainError("ファイルが空です。", "file")
    if data.startswith(EXECUTABLE_MAGIC):
        raise DomainError("実行ファイル・スクリプトは添付できません。", "file")
    ext = extension_of(name)
    kind = detect_type(data)
    if kind is None:
        raise DomainError(f"この種類のファイルは添付できません。添付できるのは {ACCEPTED} です。", "file")
    if kind == "text" and ext == "csv":
        kind = "csv"
    if ext not in TYPES[kind].extensions:
        shown = f".{ext}" if ext else "（拡張子なし）"
        raise DomainError(f"ファイル名の拡張子（{shown}）と内容（{TYPES[kind].label}）が一致しません。", "file")
    return name, kind


# --- writing and reading ---------------------------------------------------------------------------

def read_upload(stream, max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes of an uploaded stream (one more says: too large)."""
    out = io.BytesIO()
    while out.tell() <= max_bytes:
        chunk = stream.read(min(CHUNK, max_bytes + 1 - out.tell()))
        if not chunk:
            break
        out.write(chunk)
    return out.getvalue()


def attach_file(record, name: str, data: bytes, *, by: User | None, label: str | None = None,
                max_bytes: int | None = None) -> Attachment:
    """Check the file, keep it under the storage folder and describe it in `attachments`."""
    kind = KIND_OF_MODEL.get(type(record))
    if kind is None:
        raise DomainError("この記録には書類を添付できません。")
    if getattr(record, "voided_at", None) is not None:
        raise DomainError("取り消された記録には書類を添付できません。")
    max_bytes = max_bytes if max_bytes is not None else current_app.config["ATTACHMENT_MAX_BYTES"]
    name, detected = check_file(name, data, max_bytes)
    stored = _write_private(storage_dir(), data)
    db.session.info.setdefault("attachment_files", []).append(storage_dir() / stored)  # removed on rollback
    attachment = Attachment(record_kind=kind, record_id=record.id, stored_name=stored, original_name=name,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                            content_type=TYPES[detected].content_type, label=(label or "").strip()[:100] or None,
                            uploaded_by_id=getattr(by, "id", None))
    db.session.add(attachment)
    db.session.flush()
    audit.record("create", attachment, user=by, center_id=center_id_of(attachment),
                 detail={"record": f"{kind}:{record.id}", "name": name, "size": len(data), "sha256": attachment.sha256})
    return attachment


@event.listens_for(Session, "after_commit")
def _kept(session):
    session.info.pop("attachment_files", None)


@event.listens_for(Session, "after_rollback")
def _discard_unsaved_files(session):
    """A file written in a transaction that did not commit describes nothing: remove it."""
    for path in session.info.pop("attachment_files", None) or []:
        path.unlink(missing_ok=True)


def attachments_of(record, *, include_voided: bool = False) -> list[Attachment]:
    kind = KIND_OF_MODEL.get(type(record))
    if kind is None or getattr(record, "id", None) is None:
        return []
    stmt = select(Attachment).where(Attachment.record_kind == kind, Attachment.record_id == record.id)
    if not include_voided:
        stmt = stmt.where(Attachment.voided_at.is_(None))
    return list(db.session.scalars(stmt.order_by(Attachment.created_at, Attachment.id)))


def parent_of(attachment: Attachment):
    return db.session.get(MODELS[attachment.record_kind], attachment.record_id)


def center_id_of(attachment: Attachment) -> int | None:
    parent = parent_of(attachment)
    if isinstance(parent, MatchProfile):
        return parent.case.center_id
    return getattr(parent, "center_id", None)


def record_label(kind: str) -> str:
    return ATTACHMENT_RECORD_KINDS.get(kind, kind)


def note_download(attachment: Attachment, by: User) -> None:
    """Every download is on the audit log (written once the file has been served)."""
    audit.note("download", attachment, user=by, center_id=center_id_of(attachment),
               detail={"record": f"{attachment.record_kind}:{attachment.record_id}", "name": attachment.original_name,
                       "sha256": attachment.sha256})


def client_documents(client: Client) -> list[tuple[Attachment, Path]]:
    """Every document about a client (voided ones too: they are still held) with its file, for
    the privacy export: the client's own, its cases', dispatches', profiles' and deals'."""
    case_ids = list(db.session.scalars(select(Case.id).where(Case.client_id == client.id)))
    dispatch_ids = list(db.session.scalars(select(Dispatch.id).where(Dispatch.client_id == client.id)))
    profile_ids = list(db.session.scalars(select(MatchProfile.id).where(MatchProfile.case_id.in_(case_ids or [-1]))))
    deal_ids = list(db.session.scalars(select(Deal.id).where(Deal.seller_id.in_(profile_ids or [-1])
                                                             | Deal.buyer_id.in_(profile_ids or [-1]))))
    out = []
    for kind, ids in (("client", [client.id]), ("case", case_ids), ("dispatch", dispatch_ids),
                      ("profile", profile_ids), ("deal", deal_ids)):
        if ids:
            out += [(a, path_of(a)) for a in db.session.scalars(
                select(Attachment).where(Attachment.record_kind == kind, Attachment.record_id.in_(ids))
                .order_by(Attachment.id))]
    return out
