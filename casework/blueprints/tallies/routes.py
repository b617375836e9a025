"""Stored monthly tallies: which months are stored, when, whether records changed since; recompute."""
import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...dates import fiscal_year, fiscal_year_value, fy_label, today_jst
from ...extensions import db
from ...models import TallySnapshot
from ...permissions import requires
from ...services import tallies
from ..notifications.forms import ActionForm
from . import bp

def _month_or_404(ym):
    try:
        year, month = tallies.parse_month_key(ym)
        return year, month, dt.date(year, month, 1)
    except ValueError:
        abort(404)


@bp.route("/")
def index():
    today = today_jst()
    fy = request.args.get("fy", type=fiscal_year_value) or fiscal_year(today)
    rows = tallies.fiscal_year_status(fy, today)
    return render_template("tallies/index.html", fy=fy, fy_name=fy_label(fy), rows=rows, form=ActionForm(),
                           this_fy=fiscal_year(today))


@bp.route("/<ym>")
def detail(ym):
    year, month, first = _month_or_404(ym)
    snapshot = db.session.scalar(db.select(TallySnapshot).where(TallySnapshot.month == tallies.month_key(year, month)))
    changed = snapshot is not None and snapshot.fingerprint != tallies.fingerprint(year, month)
    return render_template("tallies/detail.html", ym=tallies.month_key(year, month), snapshot=snapshot,
                           changed=changed, form=ActionForm(), fy=fiscal_year(first), year=year, month=month,
                           labelled=tallies.labelled)


@bp.route("/<ym>/recompute", methods=["POST"])
@requires("tally.store")
def recompute(ym):
    year, month, first = _month_or_404(ym)
    if not ActionForm().validate_on_submit():
        abort(400)
    today = today_jst()
    if tallies.add_months(year, month, 1) > (today.year, today.month):
        flash(f"{year}年{month}月はまだ終わっていないため集計を保存できません。", "warning")
    else:
        tallies.store_monthly_tally(year, month, by=current_user)
        flash(f"{year}年{month}月の集計を再計算して保存しました。", "success")
    return redirect(url_for("tallies.index", fy=fiscal_year(first)))
