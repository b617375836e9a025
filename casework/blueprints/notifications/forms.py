from wtforms import BooleanField

from ..forms_common import JapaneseForm, VersionedForm


class ActionForm(JapaneseForm):
    """A button posting with a CSRF token (mark read, mark all read, open)."""


class SettingsForm(VersionedForm):
    email_notifications = BooleanField("毎朝の対応事項をメールでも受け取る")
