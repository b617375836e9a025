"""Optimistic locking helpers: a stale edit is refused with what changed, never overwritten."""
from . import audit
from .errors import StaleRecord


def check_version(record, expected_version: int | None, submitted: dict | None = None) -> None:
    """Refuse the edit when the record's version moved since the form was loaded.

    The version_id_col on the mapper also stops a race between this check and the commit.
    """
    if expected_version is None or int(expected_version) == record.version:
        return
    raise StaleRecord(record, {k: (getattr(record, k, None), v) for k, v in (submitted or {}).items()
                               if getattr(record, k, None) != v})


def apply_values(record, values: dict, *, expected_version: int | None, by=None, center_id=None) -> dict:
    """The one way an edit is saved: refuse it if stale, set the changed values, audit them as
    'change'; returns the diff."""
    check_version(record, expected_version, values)
    diff = audit.changes(record, values)
    for key, value in values.items():
        setattr(record, key, value)
    if diff:
        audit.record("change", record, user=by, detail=diff, center_id=center_id)
    return diff
