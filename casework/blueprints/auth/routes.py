from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash

from ...permissions import LOGGED_IN, PUBLIC, requires
from ...services import audit, users
from ...services.errors import DomainError
from . import bp
from .forms import LoginForm, PasswordChangeForm


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    readable = form.validate_on_submit()
    if request.method == "POST" and not readable:
        users.check_login_password(None, form.password.data)  # the same hash work as every other attempt
    elif readable:
        throttled = users.ip_throttled(request.remote_addr, max_failures=current_app.config["LOGIN_MAX_FAILURES_PER_IP"],
                                       minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        # every attempt, throttled or not, looks the account up and checks one password hash
        user = users.authenticate(form.login.data, form.password.data,
                                  max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                                  lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"], throttled=throttled)
        if throttled:
            audit.note("login_failed", always=True, login=form.login.data, detail={"reason": "ip_throttled"})
            form.password.errors.append("この端末からのログイン失敗が続いたため、しばらくログインできません。時間をおいてください。")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            form.password.errors.append("ログイン名またはパスワードが違います（続けて失敗するとしばらくロックされます）。")
        else:
            session.clear()  # a fresh session at login (no fixation)
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@requires(LOGGED_IN)
def logout():
    users.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("ログアウトしました。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@requires(LOGGED_IN)
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not check_password_hash(user.password_hash, form.current.data):
            form.current.errors.append("現在のパスワードが違います。")
        else:
            try:
                users.set_password(user, form.password.data)
            except DomainError as exc:
                form.password.errors.append(exc.message)
            else:
                login_user(user)  # keep this session, end the others
                flash("パスワードを変更しました。他の端末のセッションは終了しました。", "success")
                return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")
