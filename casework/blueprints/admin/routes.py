from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...models import Center, User
from ...services import users as user_service
from ...services import vocab_admin
from ...services.errors import DomainError, StaleRecord
from ..forms_common import attach_error, paginate, stale_for_display
from . import bp
from .forms import CenterForm, MunicipalityForm, PasswordResetForm, ThemeForm, UserForm


@bp.route("/")
def index():
    return render_template("admin/index.html", centers=vocab_admin.all_centers(),
                           user_count=vocab_admin.user_count())


# --- users ---------------------------------------------------------------------------------

@bp.route("/users")
def users():
    q = request.args.get("q", "").strip()
    return render_template("admin/users.html", page=paginate(vocab_admin.user_query(q)), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = user_service.create_user(form.login.data, form.name.data, form.password.data, role=form.role.data,
                                            center_codes=form.center_codes.data, email=form.email.data or None,
                                            by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(f"職員「{user.name}」（{user.login}）を登録しました。初期パスワードを本人に伝えてください。", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, editing=True)
    if request.method == "GET":
        form.center_codes.data = [c.code for c in user.centers]
    if form.validate_on_submit():
        try:
            user_service.update_user(user, expected_version=form.expected_version(), name=form.name.data,
                                     email=form.email.data or None, role=form.role.data,
                                     center_codes=form.center_codes.data, active=bool(form.active.data), by=current_user)
            db.session.commit()
        except StaleRecord as exc:
            db.session.rollback()
            user = db.session.get(User, user_id)
            form.version.data = user.version
            return render_template("admin/user_form.html", form=form, user=user, stale=stale_for_display(exc, form)), 409
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc if exc.field != "centers" else DomainError(exc.message, "center_codes"))
        else:
            flash(f"職員「{user.name}」を更新しました。", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def user_password(user_id):
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            user_service.set_password(user, form.password.data, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(f"「{user.name}」のパスワードを再設定しました。本人のログイン中のセッションは終了しました。", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_password.html", form=form, user=user)


# --- centers -------------------------------------------------------------------------------

@bp.route("/centers")
def centers():
    return render_template("admin/centers.html", centers=vocab_admin.all_centers())


@bp.route("/centers/new", methods=["GET", "POST"])
def center_new():
    form = CenterForm()
    if form.validate_on_submit():
        try:
            center = vocab_admin.add_center(form.center_data(), by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(f"センター「{center.name}」を追加しました。", "success")
            return redirect(url_for("admin.centers"))
    return render_template("admin/center_form.html", form=form, center=None)


@bp.route("/centers/<int:center_id>/edit", methods=["GET", "POST"])
def center_edit(center_id):
    center = db.get_or_404(Center, center_id)
    form = CenterForm(obj=center)
    if form.validate_on_submit():
        try:
            vocab_admin.update_center(center, form.center_data(), expected_version=form.expected_version(), by=current_user)
            db.session.commit()
        except StaleRecord as exc:
            db.session.rollback()
            center = db.session.get(Center, center_id)
            form.version.data = center.version
            return render_template("admin/center_form.html", form=form, center=center,
                                   stale=stale_for_display(exc, form)), 409
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            flash(f"センター「{center.name}」を更新しました。", "success")
            return redirect(url_for("admin.centers"))
    return render_template("admin/center_form.html", form=form, center=center)


# --- vocabularies --------------------------------------------------------------------------

@bp.route("/themes", methods=["GET", "POST"])
def themes():
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = vocab_admin.add_theme(form.code.data, form.label.data, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(f"テーマ「{theme.label}」を追加しました。", "success")
            return redirect(url_for("admin.themes"))
    return render_template("admin/themes.html", form=form, themes=vocab_admin.all_themes())


@bp.route("/municipalities", methods=["GET", "POST"])
def municipalities():
    form = MunicipalityForm()
    if form.validate_on_submit():
        try:
            m = vocab_admin.add_municipality(form.code.data, form.name.data, form.prefecture.data, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(f"市町村「{m.name}」を追加しました。", "success")
            return redirect(url_for("admin.municipalities"))
    q = request.args.get("q", "").strip()
    return render_template("admin/municipalities.html", form=form, q=q,
                           page=paginate(vocab_admin.municipality_query(q)))
