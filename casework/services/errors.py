"""Domain exceptions raised by services and shown to users in Japanese."""


class DomainError(Exception):
    """A rule was broken. `field` names the form field the message belongs beside, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class DomainErrors(DomainError):
    """Several rules broken at once: each is shown beside its field (forms_common.attach_error)."""

    def __init__(self, errors: list[DomainError]):
        self.errors = list(errors)
        super().__init__(self.errors[0].message, self.errors[0].field)


class Checks:
    """A service's independent checks, collected so the user hears of all of them in one round:

        checks = Checks()
        if bad_a: checks.fail("…", "a")
        if bad_b: checks.fail("…", "b")
        themes = checks.collect(themes_of, codes)  # a shared check that raises: kept, not raised
        checks.raise_if_any()  # DomainError for one, DomainErrors for several
    """

    def __init__(self):
        self.errors: list[DomainError] = []

    def fail(self, message: str, field: str | None = None) -> None:
        self.errors.append(DomainError(message, field))

    def collect(self, check, *args, **kwargs):
        """Run a check that raises DomainError (a shared one: themes_of, check_program…): its
        result, or None with its message(s) kept. A stale record is not a check: it propagates."""
        try:
            return check(*args, **kwargs)
        except StaleRecord:
            raise
        except DomainError as exc:
            self.errors.extend(getattr(exc, "errors", None) or [exc])
            return None

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)


class StaleRecord(DomainError):
    """Someone else saved the record since it was loaded into the form."""

    def __init__(self, record, changes: dict[str, tuple] | None = None):
        self.record = record
        self.changes = changes or {}
        super().__init__("他の職員がこの記録を先に更新しました。最新の内容を確認してからもう一度保存してください。")
