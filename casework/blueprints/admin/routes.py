from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...models import ROLES, Center, User
from ...permissions import table as permission_table
from ...services import users as user_service
from ...services import vocab_admin
from ..forms_common import paginate
from ..saving import Submission
from . import bp
from .forms import CenterForm, MunicipalityForm, PasswordResetForm, ThemeForm, UserForm


@bp.route("/")
def index():
    return render_template("admin/index.html", centers=vocab_admin.all_centers(),
                           user_count=vocab_admin.user_count())


@bp.route("/permissions")
def permissions():
    """権限一覧: the permission table, role by role, as the app applies it."""
    return render_template("admin/permissions.html", rows=permission_table(), roles=ROLES)


# --- users ---------------------------------------------------------------------------------

@bp.route("/users")
def users():
    q = request.args.get("q", "").strip()
    return render_template("admin/users.html", page=paginate(vocab_admin.user_query(q)), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    submission = Submission(form)
    if submission.valid():
        with submission:
            user = user_service.create_user(form.login.data, form.name.data, form.password.data, role=form.role.data,
                                            center_codes=form.center_codes.data, email=form.email.data or None,
                                            by=current_user)
            flash(f"職員「{user.name}」（{user.login}）を登録しました。初期パスワードを本人に伝えてください。", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), submission.status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, editing=True)
    if request.method == "GET":
        form.center_codes.data = [c.code for c in user.centers]
    submission = Submission(form, rename={"centers": "center_codes"})
    if submission.valid():
        with submission:
            user_service.update_user(user, expected_version=form.expected_version(), name=form.name.data,
                                     email=form.email.data or None, role=form.role.data,
                                     center_codes=form.center_codes.data, active=bool(form.active.data), by=current_user)
            flash(f"職員「{user.name}」を更新しました。", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, stale=submission.stale), submission.status


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def user_password(user_id):
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    submission = Submission(form)
    if submission.valid():
        with submission:
            user_service.set_password(user, form.password.data, by=current_user)
            flash(f"「{user.name}」のパスワードを再設定しました。本人のログイン中のセッションは終了しました。", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_password.html", form=form, user=user), submission.status


# --- centers -------------------------------------------------------------------------------

@bp.route("/centers")
def centers():
    return render_template("admin/centers.html", centers=vocab_admin.all_centers())


@bp.route("/centers/new", methods=["GET", "POST"])
@bp.route("/centers/<int:center_id>/edit", methods=["GET", "POST"])
def center_form(center_id=None):
    center = db.get_or_404(Center, center_id) if center_id is not None else None
    form = CenterForm(obj=center)
    submission = Submission(form)
    if submission.valid():
        with submission:
            if center is None:
                center = vocab_admin.add_center(form.center_data(), by=current_user)
                flash(f"センター「{center.name}」を追加しました。", "success")
            else:
                vocab_admin.update_center(center, form.center_data(), expected_version=form.expected_version(),
                                          by=current_user)
                flash(f"センター「{center.name}」を更新しました。", "success")
            return redirect(url_for("admin.centers"))
    return render_template("admin/center_form.html", form=form, center=center, stale=submission.stale), submission.status


# --- vocabularies --------------------------------------------------------------------------

@bp.route("/themes", methods=["GET", "POST"])
def themes():
    form = ThemeForm()
    submission = Submission(form)
    if submission.valid():
        with submission:
            theme = vocab_admin.add_theme(form.code.data, form.label.data, by=current_user)
            flash(f"テーマ「{theme.label}」を追加しました。", "success")
            return redirect(url_for("admin.themes"))
    return render_template("admin/themes.html", form=form, themes=vocab_admin.all_themes()), submission.status


@bp.route("/municipalities", methods=["GET", "POST"])
def municipalities():
    form = MunicipalityForm()
    submission = Submission(form)
    if submission.valid():
        with submission:
            m = vocab_admin.add_municipality(form.code.data, form.name.data, form.prefecture.data, by=current_user)
            flash(f"市町村「{m.name}」を追加しました。", "success")
            return redirect(url_for("admin.municipalities"))
    q = request.args.get("q", "").strip()
    return render_template("admin/municipalities.html", form=form, q=q,
                           page=paginate(vocab_admin.municipality_query(q))), submission.status
