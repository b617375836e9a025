from flask import render_template
from flask_login import current_user

from ...services.home import my_day
from ...services.waiting import waiting_for
from . import bp


@bp.route("/")
def home():
    return render_template("main/home.html", **my_day(current_user), **waiting_for(current_user))
