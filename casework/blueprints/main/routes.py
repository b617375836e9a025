from flask import render_template
from flask_login import login_required, current_user

from ...services.home import my_day
from . import bp


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", **my_day(current_user))
