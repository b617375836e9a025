from wtforms import BooleanField, SelectField, StringField

from ..forms_common import DateField, FilterForm, JapaneseForm, VersionedForm


class ActionForm(JapaneseForm):
    """A button posting with a CSRF token (mark read, mark all read, open)."""


class SettingsForm(VersionedForm):
    email_notifications = BooleanField("毎朝の対応事項をメールでも受け取る")


class NotificationFilterForm(FilterForm):
    """The notification list's filters; with none given: the unread ones."""
    q = StringField("件名")
    status = SelectField("表示", choices=[("unread", "未読のみ"), ("all", "すべて")], default="unread")
    digest_from = DateField("日付（から）")
    digest_to = DateField("日付（まで）")

    def filters(self) -> dict:
        return dict(status=self.status.data or "unread", q=(self.q.data or "").strip() or None,
                    digest_from=self.digest_from.data, digest_to=self.digest_to.data)
