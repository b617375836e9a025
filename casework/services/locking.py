"""Optimistic locking helpers: a stale edit is refused with what changed, never overwritten."""
from .errors import StaleRecord


def check_version(record, expected_version: int | None, submitted: dict | None = None) -> None:
    """Refuse the edit when the record's version moved since the form was loaded.

    The version_id_col on the mapper also stops a race between this check and the commit.
    """
    if expected_version is None or int(expected_version) == record.version:
        return
    raise StaleRecord(record, {k: (getattr(record, k, None), v) for k, v in (submitted or {}).items()
                               if getattr(record, k, None) != v})
