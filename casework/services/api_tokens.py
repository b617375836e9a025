"""Personal API tokens (docs/api.md): created and revoked by their user at アカウント → API トークン.

A token is `cw_` + secrets.token_urlsafe(32). Only its SHA-256 is stored (with its first
characters, so the user can tell tokens apart); the token itself is returned once, by
create_token, and never logged. A token acts as its user — the same role, centers and
visibility — within its scope (read: GET only; write: also creates and changes) until its
expiry date (Japan time, inclusive) or its revocation. A disabled user's tokens stop working.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from ..dates import today_jst
from ..extensions import db
from ..models import API_TOKEN_SCOPES, ApiToken, User, utcnow
from . import audit
from .errors import Checks, DomainError

TOKEN_PREFIX = "cw_"
MAX_DAYS = 366  # a token lives at most a year (and a day): renewing it is deliberate
DEFAULT_DAYS = 90
MAX_ACTIVE = 20  # live tokens per user


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class TokenData:
    name: str
    scope: str = "read"
    expires_on: dt.date | None = None  # None: DEFAULT_DAYS from today


def create_token(user: User, data: TokenData) -> tuple[ApiToken, str]:
    """A new token of this user: (the stored row, the token to show once)."""
    today = today_jst()
    expires_on = data.expires_on or today + dt.timedelta(days=DEFAULT_DAYS)
    name = (data.name or "").strip()
    checks = Checks()
    if not name:
        checks.fail("名前を入力してください（例: 月次集計の表計算）。", "name")
    elif len(name) > 100:
        checks.fail("名前は100文字以内にしてください。", "name")
    if data.scope not in API_TOKEN_SCOPES:
        checks.fail("権限の範囲が不正です。", "scope")
    if expires_on < today:
        checks.fail("有効期限は今日以降の日付にしてください。", "expires_on")
    elif expires_on > today + dt.timedelta(days=MAX_DAYS):
        checks.fail(f"有効期限は今日から{MAX_DAYS}日以内にしてください。", "expires_on")
    if len(active_tokens(user)) >= MAX_ACTIVE:
        checks.fail(f"有効なトークンは{MAX_ACTIVE}個までです。使っていないトークンを取り消してください。", "name")
    checks.raise_if_any()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(token), prefix=token[:10],
                   scope=data.scope, expires_on=expires_on)
    db.session.add(row)
    db.session.flush()
    audit.record("create", row, user=user, detail={"name": name, "scope": data.scope,
                                                   "expires_on": expires_on.isoformat()})
    return row, token


def revoke_token(user: User, token_id: int) -> ApiToken:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise DomainError("トークンが見つかりません。")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("void", row, user=user, detail={"name": row.name})
    return row


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))


def active_tokens(user: User) -> list[ApiToken]:
    return [t for t in tokens_of(user) if is_live(t)]


def is_live(row: ApiToken, today: dt.date | None = None) -> bool:
    return row.revoked_at is None and row.expires_on >= (today or today_jst())


def user_for_token(token: str) -> tuple[User, ApiToken] | None:
    """The active user and live token this bearer token names, or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or not is_live(row) or not row.user.active:
        return None
    return row.user, row
