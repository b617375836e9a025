"""Configuration defaults. instance/config.py and CASEWORK_* environment variables override them."""
import os
import secrets
from pathlib import Path


class Defaults:
    SQLALCHEMY_DATABASE_URI = None  # filled in from the instance folder when not configured
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set CASEWORK_SESSION_COOKIE_SECURE=true behind https
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # absolute session lifetime (seconds)
    SESSION_IDLE_TIMEOUT = 30 * 60  # seconds without a request before re-login
    SQLITE_BUSY_TIMEOUT_MS = 15000
    TIMEZONE = "Asia/Tokyo"
    PER_PAGE = 25
    DATE_YEARS_AHEAD = 5  # a typed date may lie at most this many years after today (casework/dates.py)
    LIST_COUNT_CAP = 1000  # a search list counts its matches up to this many ("1,000件以上")
    PASSWORD_MIN_LENGTH = 12
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app whose X-Forwarded-* headers are believed
    LOGIN_MAX_FAILURES_PER_IP = 30  # failed logins from one address (any accounts) within LOGIN_LOCK_MINUTES
    # Scheduler and reminders (see casework/jobs.py)
    YEAR_END_CLOSURE = ("12-29", "01-03")
    DIGEST_TIME = "08:30"  # business days, Japan time
    STALE_TIME = "08:15"  # stale-case flags (business days), before the digest so they are in it
    TALLY_TIME = "05:00"  # 1st of each month: the previous month's tally snapshot
    ROLLUP_TIME = "03:30"  # nightly: the report's closed months stored, changed ones restated (reporting/rollup.py)
    TALLY_CATCHUP_MONTHS = 12  # after downtime, store at most this many missed months
    SCHEDULER_MISFIRE_GRACE = 6 * 3600  # seconds a missed trigger may still run late
    DEAL_IDLE_DAYS = 30
    FOUNDER_NO_CONTACT_DAYS = 60
    STALE_CASE_DAYS = 180
    RETENTION_YEARS = 10
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "casework@localhost"
    BASE_URL = "http://localhost:5000"
    # Files the app creates (the SQLite database and its -wal/-shm, backups, uploads, exports)
    # are readable by the owner only. None leaves the process umask alone.
    FILE_UMASK = 0o077
    # Documents on records (docs/security.md): files under this folder (None: instance/attachments),
    # each at most this many bytes; a larger request is answered 413 before it is read.
    ATTACHMENTS_DIR = None
    ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def load_config(app, test_config=None):
    """Defaults, then instance/config.py, then CASEWORK_* env vars, then test_config."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CASEWORK")
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")
    if test_config:
        app.config.update(test_config)
    if app.config.get("FILE_UMASK") is not None:
        mask = app.config["FILE_UMASK"]
        os.umask(int(mask, 8) if isinstance(mask, str) else int(mask))  # CASEWORK_FILE_UMASK=077
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "casework.db")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config.get("FILE_UMASK") is not None:
        _tighten_sqlite_files(app.config["SQLALCHEMY_DATABASE_URI"])


def _tighten_sqlite_files(uri: str) -> None:
    """A SQLite database created by an older release (0644): make it and its -wal/-shm owner-only."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(uri)
    except Exception:
        return
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    for path in (url.database, url.database + "-wal", url.database + "-shm"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError:  # missing, or not ours to change
            pass


def _instance_secret(instance: Path) -> str:
    """A secret generated once into instance/secret_key, readable by the owner only."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
