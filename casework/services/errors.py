"""Domain exceptions raised by services and shown to users in Japanese."""


class DomainError(Exception):
    """A rule was broken. `field` names the form field the message belongs beside, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleRecord(DomainError):
    """Someone else saved the record since it was loaded into the form."""

    def __init__(self, record, changes: dict[str, tuple] | None = None):
        self.record = record
        self.changes = changes or {}
        super().__init__("他の職員がこの記録を先に更新しました。最新の内容を確認してからもう一度保存してください。")
