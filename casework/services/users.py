"""Staff accounts: creation, passwords, login checks and session tokens."""
from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
import unicodedata
from pathlib import Path

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, Center, User, utcnow
from . import audit
from .errors import Checks, DomainError

MIN_PASSWORD_LENGTH = 12
# Common passwords of 12+ characters that the shipped top-10,000 list happens to miss.
COMMON_PASSWORDS = {
    "password1234", "123456789012", "qwertyuiop12", "passwordpassword", "aaaaaaaaaaaa",
    "111111111111", "abcdefghijkl", "password123!", "iloveyou1234", "qwerty123456",
}
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "seed" / "common_passwords.txt"


@functools.cache
def common_passwords() -> frozenset[str]:
    """The top 10,000 passwords (casework/seed/common_passwords.txt, shipped, never fetched)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(normalized(line) for line in lines if line.strip() and not line.startswith("#")) | COMMON_PASSWORDS


def normalized(text: str | None) -> str:
    """NFKC then casefold: full-width ｐａｓｓｗｏｒｄ１２３４ and PASSWORD1234 compare as password1234."""
    return unicodedata.normalize("NFKC", (text or "").strip()).casefold()


def is_common_password(password: str) -> bool:
    """A listed password, or one padded out to 12 characters with digits/symbols or repetition
    ("password1234!", "dragondragon"), compared after NFKC normalisation and casefolding."""
    lowered = normalized(password)
    listed = common_passwords()
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    candidates = {lowered, core, lowered.rstrip("0123456789!@#$%^&*()_-+=.?")}
    for size in range(1, len(lowered) // 2 + 1):
        if len(lowered) % size == 0 and lowered[:size] * (len(lowered) // size) == lowered:
            candidates.add(lowered[:size])
            break
    return any(c in listed for c in candidates if len(c) >= 4) or (len(core) < 4 and len(lowered) < 16)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password_policy(password: str, login: str | None = None) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください。", "password")
    lowered = normalized(password)
    if is_common_password(password) or len(set(lowered)) < 4:
        raise DomainError("よく使われる、または推測されやすいパスワードです。別のものにしてください。", "password")
    if login and normalized(login) in lowered:
        raise DomainError("パスワードにログイン名を含めないでください。", "password")


def new_session_token() -> str:
    return secrets.token_hex(16)


def create_user(login: str, name: str, password: str, role: str = "coordinator",
                center_codes: list[str] | None = None, email: str | None = None, by: User | None = None) -> User:
    login = (login or "").strip()
    checks = Checks()  # every independent problem at once, each beside its field
    if not login:
        checks.fail("ログイン名を入力してください。", "login")
    elif db.session.scalar(select(User.id).where(User.login == login)):
        checks.fail(f"ログイン名「{login}」は既に使われています。", "login")
    if role not in ROLES:
        checks.fail(f"役割が不正です: {role}", "role")
    checks.collect(check_password_policy, password, login)
    centers = checks.collect(_centers, center_codes or [])
    checks.raise_if_any()
    user = User(login=login, name=name.strip() or login, email=email or None, role=role,
                password_hash=hash_password(password), session_token=new_session_token(),
                password_changed_at=utcnow(), centers=centers,
                default_center=centers[0] if centers else None)
    db.session.add(user)
    db.session.flush()
    audit.record("create", user, user=by, detail={"login": login, "role": role, "centers": center_codes or []})
    return user


def update_user(user: User, *, expected_version: int, name: str, email: str | None, role: str,
                center_codes: list[str], active: bool, by: User | None = None) -> User:
    from .locking import check_version

    check_version(user, expected_version, {"name": name, "email": email, "role": role, "active": active})
    checks = Checks()  # every independent problem at once, each beside its field
    if role not in ROLES:
        checks.fail(f"役割が不正です: {role}", "role")
    centers = checks.collect(_centers, center_codes)
    checks.raise_if_any()
    before = {"name": user.name, "role": user.role, "active": user.active,
              "centers": [c.code for c in user.centers]}
    user.name, user.email, user.role = name, email or None, role
    user.centers = centers
    if user.default_center not in user.centers:
        user.default_center = user.centers[0] if user.centers else None
    if user.active and not active:
        user.session_token = new_session_token()  # disabling ends every session
    user.active = active
    audit.record("change", user, user=by, detail={"before": before, "after": {
        "name": name, "role": role, "active": active, "centers": center_codes}})
    return user


def set_password(user: User, password: str, by: User | None = None) -> None:
    check_password_policy(password, user.login)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()  # a password change ends every other session
    audit.record("password_change", user, user=by or user)


def check_login_password(user: User | None, password: str | None) -> bool:
    """The one password-hash check of a login attempt; with no account (unknown login, a form
    that could not be read) it checks against a dummy hash of the same cost, so every attempt
    does the same work."""
    return check_password_hash(user.password_hash if user is not None else _DUMMY_HASH, password or "")


def authenticate(login: str, password: str, *, max_failures: int = 5, lock_minutes: int = 15,
                 throttled: bool = False) -> User | None:
    """Check a login. Failures are counted per account in the database (works across workers);
    after max_failures the account is locked for lock_minutes. `throttled` (too many failures
    from this address): refused after the same lookup and hash check, and recorded by the caller
    (the refusal rolls back)."""
    user = db.session.scalar(select(User).where(User.login == (login or "").strip()))
    now = utcnow()
    # Exactly one password-hash check on every path (unknown, locked, disabled, throttled, wrong,
    # right), so the answer's timing does not tell which accounts exist or are locked or disabled.
    password_ok = check_login_password(user, password)
    if throttled:
        return None
    if user is None:
        audit.record("login_failed", login=login, detail={"reason": "unknown"})
        return None
    if user.locked_until and user.locked_until > now:
        audit.record("login_failed", user, user=user, detail={"reason": "locked"})
        return None
    if not user.active or not password_ok:
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + dt.timedelta(minutes=lock_minutes)
            user.failed_logins = 0
        audit.record("login_failed", user, user=user, detail={"reason": "inactive" if not user.active else "password"})
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    user.session_token = new_session_token()  # a new session identifier at every login
    audit.record("login", user, user=user)
    return user


def ip_throttled(ip: str | None, *, max_failures: int, minutes: int) -> bool:
    """Too many failed logins from this address lately (any accounts): counted from the audit
    log in the database, so every worker sees the same count."""
    from sqlalchemy import func

    from ..models import AuditEntry

    if not ip or not max_failures:
        return False
    since = utcnow() - dt.timedelta(minutes=minutes)
    failures = db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "login_failed", AuditEntry.ip == ip, AuditEntry.at >= since))
    return failures >= max_failures


def end_sessions(user: User) -> None:
    """Logout: rotate the token so every copy of this user's session cookie stops working."""
    user.session_token = new_session_token()
    audit.record("logout", user, user=user)


def load_user_from_session_id(session_id: str) -> User | None:
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def _centers(codes: list[str]) -> list[Center]:
    if not codes:
        return []
    centers = list(db.session.scalars(select(Center).where(Center.code.in_(codes))))
    missing = set(codes) - {c.code for c in centers}
    if missing:
        raise DomainError(f"センターが見つかりません: {', '.join(sorted(missing))}", "centers")
    return centers


_DUMMY_HASH = hash_password("casework-dummy-password")
