from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ...permissions import LOGGED_IN, PUBLIC, requires
from ...services import calendar_feed as service
from wtforms import HiddenField
from wtforms.validators import AnyOf

from ..forms_common import JapaneseForm
from ..saving import Submission
from . import bp


class FeedForm(JapaneseForm):
    action = HiddenField(validators=[AnyOf(("issue", "revoke"), "画面を開き直してから、もう一度操作してください。")])


def _page(url=None, status=200):
    return render_template("calendar/settings.html", feed=service.feed_of(current_user), url=url), status


@bp.route("/")
@requires(LOGGED_IN)
def settings():
    return _page()


@bp.route("/issue", methods=["POST"])
@requires(LOGGED_IN)
def issue():
    """A new secret URL, shown this once (only its hash is kept); an earlier URL stops working."""
    form = FeedForm()
    if Submission(form).valid() and form.action.data == "issue":
        token = service.issue_token(current_user)
        flash("カレンダー配信のURLを発行しました。このURLは今だけ表示されます。", "success")
        return _page(url=url_for("calendar.feed", token=token, _external=True))
    return redirect(url_for("calendar.settings"), 303)


@bp.route("/revoke", methods=["POST"])
@requires(LOGGED_IN)
def revoke():
    form = FeedForm()
    if Submission(form).valid() and form.action.data == "revoke" and service.revoke(current_user):
        flash("カレンダー配信を停止しました。これまでのURLでは表示されません。", "info")
    return redirect(url_for("calendar.settings"), 303)


@bp.route("/feed/<token>.ics")
@requires(PUBLIC)
def feed(token):
    owner = service.owner_of(token)
    if owner is None:
        abort(404)
    response = Response(service.build_calendar(owner), mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = "inline; filename=casework.ics"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
