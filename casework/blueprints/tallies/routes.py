"""Stored monthly tallies: which months are stored, when, whether records changed since; recompute."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...dates import fiscal_year, fy_label, today_jst
from ...extensions import db
from ...models import TallySnapshot
from ...services import tallies
from ..notifications.forms import ActionForm
from . import bp

ROLES = ("admin", "manager")


def _require_manager():
    if current_user.role not in ROLES:
        abort(404)


@bp.route("/")
@login_required
def index():
    _require_manager()
    today = today_jst()
    fy = request.args.get("fy", type=int) or fiscal_year(today)
    rows = tallies.fiscal_year_status(fy, today)
    return render_template("tallies/index.html", fy=fy, fy_name=fy_label(fy), rows=rows, form=ActionForm(),
                           this_fy=fiscal_year(today))


@bp.route("/<month>")
@login_required
def detail(month):
    _require_manager()
    snapshot = db.session.scalar(db.select(TallySnapshot).where(TallySnapshot.month == month))
    if snapshot is None:
        abort(404)
    year, mon = tallies.parse_month_key(month)
    changed = snapshot.fingerprint != tallies.fingerprint(year, mon)
    return render_template("tallies/detail.html", snapshot=snapshot, changed=changed, form=ActionForm(),
                           fy=fiscal_year(snapshot_first_day(year, mon)))


def snapshot_first_day(year, month):
    import datetime as dt

    return dt.date(year, month, 1)


@bp.route("/<month>/recompute", methods=["POST"])
@login_required
def recompute(month):
    _require_manager()
    try:
        year, mon = tallies.parse_month_key(month)
        first = snapshot_first_day(year, mon)
    except ValueError:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if tallies.add_months(year, mon, 1) > (today_jst().year, today_jst().month):
        flash(f"{year}年{mon}月はまだ終わっていないため集計を保存できません。", "warning")
    else:
        tallies.store_monthly_tally(year, mon, by=current_user)
        db.session.commit()
        flash(f"{year}年{mon}月の集計を再計算して保存しました。", "success")
    return redirect(url_for("tallies.index", fy=fiscal_year(first)))
