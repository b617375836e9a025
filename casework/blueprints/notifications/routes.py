from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import deny
from ...services import notifications as service
from ..forms_common import paginate
from ..saving import Submission
from . import bp
from .forms import ActionForm, NotificationFilterForm, SettingsForm


@bp.route("/")
def index():
    filters = NotificationFilterForm(current_user)
    filters.checked()
    page = paginate(service.list_query(current_user, **filters.filters()))
    return render_template("notifications/index.html", page=page, filters=filters, form=ActionForm())


def _own_or_404(notification_id):
    notification = service.get_own(current_user, notification_id)
    if notification is None:
        deny("Notification", notification_id)  # someone else's (or none): audited like any refused record
    return notification


@bp.route("/<int:notification_id>/read", methods=["POST"])
def read(notification_id):
    return _mark_read(_own_or_404(notification_id), request.referrer)


@bp.route("/<int:notification_id>/open", methods=["POST"])
def open_(notification_id):
    notification = _own_or_404(notification_id)
    return _mark_read(notification, notification.link)


def _mark_read(notification, then):
    if Submission(ActionForm()).valid():
        service.mark_read(notification)
    return redirect(then if _same_site(then) else url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
def read_all():
    if Submission(ActionForm()).valid():
        count = service.mark_all_read(current_user)
        flash(f"{count}件を既読にしました。", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    user = current_user._get_current_object()
    form = SettingsForm(obj=user)  # the version too, from the user
    submission = Submission(form)
    if submission.valid():
        with submission:
            service.set_email_notifications(user, form.email_notifications.data,
                                            expected_version=form.expected_version())
            flash("通知設定を保存しました。", "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form), submission.status


def _same_site(url):
    """Only site-relative links are followed (never an open redirect)."""
    return bool(url) and (url.startswith("/") and not url.startswith("//")
                          or url.startswith(request.host_url))
