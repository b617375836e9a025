"""Uploaded files kept between "check" and "apply" of a web import.

Files live in instance/uploads/<token>/ (0700), with a manifest naming their owner; the token
is 128 random bits carried in the confirmation form. Only the user who uploaded may use it,
it expires, and it is removed once applied or abandoned.
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path

from .errors import DomainError

TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_AGE_SECONDS = 24 * 3600


def stash(root: Path, user_id: int, files: list[tuple[str, bytes]]) -> str:
    purge_stale(root)
    token = secrets.token_hex(16)
    folder = root / token
    folder.mkdir(parents=True, mode=0o700)
    for i, (_name, data) in enumerate(files):
        (folder / f"{i}.csv").write_bytes(data)
    manifest = {"user_id": user_id, "names": [name for name, _data in files], "created": time.time()}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return token


def load(root: Path, user_id: int, token: str) -> list[tuple[str, bytes]]:
    folder = _folder(root, token)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DomainError("アップロードされたファイルが見つかりません。もう一度アップロードしてください。", "token") from None
    if manifest.get("user_id") != user_id or time.time() - manifest.get("created", 0) > MAX_AGE_SECONDS:
        raise DomainError("アップロードされたファイルが見つかりません。もう一度アップロードしてください。", "token")
    return [(name, (folder / f"{i}.csv").read_bytes()) for i, name in enumerate(manifest["names"])]


def discard(root: Path, token: str) -> None:
    if TOKEN.match(token or ""):
        shutil.rmtree(root / token, ignore_errors=True)


def purge_stale(root: Path, max_age: float = MAX_AGE_SECONDS) -> None:
    if not root.exists():
        return
    now = time.time()
    for folder in root.iterdir():
        if folder.is_dir() and TOKEN.match(folder.name) and now - folder.stat().st_mtime > max_age:
            shutil.rmtree(folder, ignore_errors=True)


def _folder(root: Path, token: str) -> Path:
    if not TOKEN.match(token or ""):
        raise DomainError("アップロードされたファイルが見つかりません。もう一度アップロードしてください。", "token")
    return root / token
