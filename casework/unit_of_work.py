"""The request's unit of work, owned here and nowhere else (as Indico's RH.process owns it).

Views and services change the session; they never commit or roll back. When the view has
answered, `finish` commits once if the answer is a success (< 400) and nobody called
`refuse()`, otherwise it rolls everything back: a 409, a form shown again with its errors or a
refused access writes nothing. Any exception rolls back (`discard`).

Audit notes taken during the request (confidential records shown, accesses refused) are
written after that, in a short write transaction of their own that begins IMMEDIATE: on SQLite
a deferred read transaction that later writes fails at once with "database is locked" when
another connection committed meanwhile; an IMMEDIATE one waits its turn (busy_timeout).
CLI commands and jobs own their unit of work with `unit_of_work.run` / `committing()`.
"""
from __future__ import annotations

from contextlib import contextmanager

from flask import current_app, g, has_request_context, request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from .dbsetup import immediate_transactions, take_write_lock, write_lock_later
from .extensions import db
from .models import Center, User, Versioned

REFUSED = "_uow_refused"


def refuse() -> None:
    """The view answers without writing (a form shown again with its errors, a stale save, a
    refused step). What the view changed so far is rolled back at once, so the page it renders
    next shows the stored records, and `finish` will not commit whatever follows."""
    if has_request_context():
        setattr(g, REFUSED, True)
    db.session.rollback()


def refused() -> bool:
    return bool(getattr(g, REFUSED, False))


READS = ("GET", "HEAD", "OPTIONS")
LOCK_LATER = "_uow_write_lock_later"  # a view attribute: checks_before_writing


def checks_before_writing(view):
    """Mark a view whose POST checks a form before it writes (the consultation log): on SQLite
    its request begins deferred and takes the write lock at `begin_writing()` (Submission does,
    when the form is valid) or at its first write, whichever comes first. Still one unit of work:
    the checks' read transaction wrote nothing; everything written is committed by `finish`."""
    setattr(view, LOCK_LATER, True)
    return view


def set_transaction_mode(app, method: str, endpoint: str | None) -> None:
    """before_request, first of all: how this request's transactions begin (dbsetup)."""
    view = app.view_functions.get(endpoint) if endpoint else None
    later = method not in READS and bool(getattr(view, LOCK_LATER, False))
    immediate_transactions.set(method not in READS and not later)
    write_lock_later.set(later)


def begin_writing() -> None:
    """The request starts writing: from here on it holds SQLite's write lock (a no-op elsewhere,
    and where the request began IMMEDIATE). What the service reads next is read under the lock,
    and so are the records the checks had read (they are expired): a record someone saved
    meanwhile shows its new version, and the service refuses the stale save as before (409).
    Staff and centers (the user, vocabularies) are not edited by these views and stay loaded."""
    if not write_lock_later.get():
        return
    immediate_transactions.set(True)  # any later transaction of this request (after a refusal) too
    session = db.session
    take_write_lock(session.connection())  # (a transaction not begun yet begins IMMEDIATE)
    for record in list(session.identity_map.values()):
        if isinstance(record, Versioned) and not isinstance(record, (User, Center)):
            session.expire(record)


def finish(response):
    """after_request: commit the request's work once, or roll it back. A page that only reads
    (GET) commits nothing: what it must record goes through the audit notes."""
    if request.method in READS:
        _check_read_only()
        db.session.rollback()
    elif response.status_code < 400 and not refused() and not response.direct_passthrough:
        try:
            db.session.commit()
        except (IntegrityError, OperationalError, StaleDataError) as exc:
            db.session.rollback()
            current_app.logger.warning("commit of %s %s failed: %s", request.method, request.path, exc.__class__.__name__)
            return _busy_response(stale=isinstance(exc, StaleDataError))
    else:
        db.session.rollback()
    write_audit_notes(response.status_code)
    return response


def _check_read_only() -> None:
    """A GET that changed the session is a bug (it would write inside a read transaction, which
    SQLite refuses with "database is locked" when another connection committed meanwhile): the
    change is dropped and logged; under test it fails the request."""
    session = db.session
    changed = [f"{type(o).__name__}" for o in (*session.new, *session.dirty, *session.deleted)
               if session.is_modified(o) or o in session.new or o in session.deleted]
    if changed or g.get("_uow_flushed"):
        message = f"GET {request.path} changed the session ({', '.join(sorted(set(changed))) or 'flushed'}): not written"
        current_app.logger.error(message)
        if current_app.testing:
            raise AssertionError(message)


def discard(exc=None) -> None:
    """teardown_request: an exception that escaped every handler leaves nothing behind. (Not on
    a clean teardown: a bare test_request_context() inside a job, used for url_for, must not
    roll back the job's work.)"""
    if exc is not None:
        db.session.rollback()


def write_audit_notes(status: int) -> None:
    """Write this request's audit notes (views of confidential records, refusals) in their own
    IMMEDIATE transaction."""
    from .services import audit

    entries = audit.pending_entries(status)
    if not entries:
        return
    with immediate():
        for action, kwargs in entries:
            audit.record(action, None, **kwargs)
        db.session.commit()


@contextmanager
def immediate():
    """Begin the next transaction IMMEDIATE (take SQLite's write lock, waiting for it)."""
    db.session.rollback()
    token = immediate_transactions.set(True)
    try:
        yield
    except Exception:
        db.session.rollback()
        raise
    finally:
        immediate_transactions.reset(token)


@contextmanager
def committing():
    """The unit of work of a CLI command or a job: commit once at the end, roll back on error."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _busy_response(stale: bool = False):
    """409: nothing was written. A lost race on a record's version reads as the ordinary 409
    (someone saved first); a busy or refused commit says so and offers the way back."""
    from .errors_pages import render_error

    return current_app.make_response(render_error(409, busy=not stale))


def _note_flush(session, _flush_context, _instances) -> None:
    if has_request_context() and request.method in READS and session.new | session.dirty | session.deleted:
        g._uow_flushed = True


def register(app) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "before_flush", _note_flush):
        event.listen(Session, "before_flush", _note_flush)
    # after_request handlers run last-registered first: register this before the handlers that
    # must see the committed state (security headers do not care).
    app.after_request(finish)
    app.teardown_request(discard)
