from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...extensions import db
from ...services import notifications as service
from ...services.errors import DomainError, StaleRecord
from ..forms_common import attach_error, show_stale
from . import bp
from .forms import ActionForm, SettingsForm


@bp.route("/")
@login_required
def index():
    status = "all" if request.args.get("status") == "all" else "unread"
    q = request.args.get("q", "").strip()
    page = db.paginate(service.list_query(current_user, status, q), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    return render_template("notifications/index.html", page=page, status=status, q=q, form=ActionForm())


def _own_or_404(notification_id):
    notification = service.get_own(current_user, notification_id)
    if notification is None:
        abort(404)
    return notification


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id):
    notification = _own_or_404(notification_id)
    if ActionForm().validate_on_submit():
        service.mark_read(notification)
        db.session.commit()
    return redirect(request.referrer if _same_site(request.referrer) else url_for("notifications.index"))


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_(notification_id):
    notification = _own_or_404(notification_id)
    if ActionForm().validate_on_submit():
        service.mark_read(notification)
        db.session.commit()
    return redirect(notification.link if _same_site(notification.link) else url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    if ActionForm().validate_on_submit():
        count = service.mark_all_read(current_user)
        db.session.commit()
        flash(f"{count}件を既読にしました。", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    user = current_user._get_current_object()
    form = SettingsForm(obj=user)
    if request.method == "GET":
        form.version.data = user.version
    if form.validate_on_submit():
        try:
            service.set_email_notifications(user, form.email_notifications.data,
                                            expected_version=form.expected_version())
            db.session.commit()
        except StaleRecord as exc:
            db.session.rollback()
            show_stale(form, exc)
            return render_template("notifications/settings.html", form=form), 409
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            flash("通知設定を保存しました。", "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)


def _same_site(url):
    """Only site-relative links are followed (never an open redirect)."""
    return bool(url) and (url.startswith("/") and not url.startswith("//")
                          or url.startswith(request.host_url))
