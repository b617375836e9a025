from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import get_client_or_404
from ...models import CLIENT_KINDS
from ...pagination import capped_paginate
from ...services import clients as client_service
from ..forms_common import industry_choices, municipality_choices
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import ClientForm


@bp.route("/")
def index():
    q = request.args.get("q", "").strip()
    stmt = client_service.search_query(current_user, q, kind=request.args.get("kind") or None,
                                       municipality=request.args.get("municipality") or None,
                                       industry=request.args.get("industry") or None)
    page = capped_paginate(stmt, page=request.args.get("page", 1, type=int), per_page=current_app.config["PER_PAGE"],
                           cap=current_app.config["LIST_COUNT_CAP"])
    return render_template("clients/index.html", page=page, q=q, kinds=CLIENT_KINDS,
                           industries=industry_choices("すべての業種"),
                           municipalities=municipality_choices("すべての市町村"))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ClientForm()
    duplicates, hidden = [], 0
    submission = Submission(form)
    if submission.valid():
        data = form.client_data()
        duplicates = client_service.likely_duplicates(current_user, data.name, data.name_kana, data.corporate_number)
        hidden = client_service.hidden_duplicates(current_user, data.name, data.name_kana, data.corporate_number)
        if (duplicates or hidden) and not form.confirm_duplicate.data:
            flash("似た名称・同じ法人番号の相談先が既に登録されています。同じ相談先でないか確認してください。", "warning")
        else:
            with submission:
                client = client_service.register_client(data, by=current_user)
                if hidden:
                    client_service.tell_admins_of_hidden_duplicate(client, current_user)
                flash(f"相談先「{client.name}」を登録しました。", "success")
                return redirect(url_for("clients.detail", client_id=client.id))
    return render_template("clients/form.html", form=form, client=None, duplicates=duplicates,
                           hidden_duplicates=hidden), submission.status


@bp.route("/<int:client_id>")
def detail(client_id):
    client = get_client_or_404(current_user, client_id)
    from ...services.timeline import client_overview

    overview = client_overview(current_user, client)  # views of confidential records are noted for the audit log
    return render_template("clients/detail.html", client=client, **overview)


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
def edit(client_id):
    client = get_client_or_404(current_user, client_id)
    form = ClientForm(obj=client)  # the version too, from the record
    submission = Submission(form)
    if submission.valid():
        with submission:
            client_service.update_client(client, form.client_data(), expected_version=form.expected_version(),
                                         by=current_user)
            flash("相談先を更新しました。", "success")
            return redirect(url_for("clients.detail", client_id=client.id))
    return render_template("clients/form.html", form=form, client=client, duplicates=[],
                           stale=submission.stale), submission.status


@bp.route("/<int:client_id>/void", methods=["GET", "POST"])
def void(client_id):
    client = get_client_or_404(current_user, client_id)
    return void_page(client, void=client_service.void_client, subject=client.name,
                     back=url_for("clients.detail", client_id=client.id), done=url_for("clients.index"),
                     message=f"相談先「{client.name}」を取り消しました。",
                     notes=("取り消した相談先の案件・相談・派遣などは、一覧と集計からまとめて外れます。",))