"""アカウント → API トークン: a user's own personal API tokens (create, shown once; revoke)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import HiddenField, RadioField
from wtforms.validators import DataRequired, InputRequired

from ..blueprints.fields import DateField, TextField
from ..blueprints.forms_common import JapaneseForm
from ..blueprints.saving import Submission
from ..dates import today_jst
from ..models import API_TOKEN_SCOPES
from ..permissions import blueprint_requires
from ..services import api_tokens as token_service

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")
blueprint_requires(bp, "api.token")


class TokenForm(JapaneseForm):
    name = TextField("名前（用途）", validators=[DataRequired("名前を入力してください（例: 月次集計の表計算）。")],
                     description="どこで使うトークンか分かる名前（例: 月次集計の Excel）")
    scope = RadioField("権限の範囲", choices=list(API_TOKEN_SCOPES.items()), default="read",
                       validators=[InputRequired("権限の範囲を選んでください。")])
    expires_on = DateField("有効期限（この日まで使えます）")


class RevokeForm(JapaneseForm):
    token_id = HiddenField()


def _page(form, token=None, status=200):
    return render_template("api_tokens/index.html", form=form, tokens=token_service.tokens_of(current_user),
                           new_token=token, revoke_form=RevokeForm(), is_live=token_service.is_live,
                           max_days=token_service.MAX_DAYS), status


@bp.route("/", methods=["GET", "POST"])
def index():
    form = TokenForm()
    if not form.is_submitted():
        form.expires_on.data = today_jst() + dt.timedelta(days=token_service.DEFAULT_DAYS)
    submission = Submission(form)
    if submission.valid():
        with submission:
            data = token_service.TokenData(name=form.name.data, scope=form.scope.data, expires_on=form.expires_on.data)
            _row, token = token_service.create_token(current_user, data)
            flash("API トークンを発行しました。このトークンは今だけ表示されます。安全な場所に控えてください。", "success")
            return _page(TokenForm(formdata=None, expires_on=data.expires_on), token=token, status=201)
    return _page(form, status=submission.status)


@bp.route("/revoke", methods=["POST"])
def revoke():
    form = RevokeForm()
    submission = Submission()
    token_id = (form.token_id.data or "").strip()
    if form.validate_on_submit() and token_id.isdigit() and len(token_id) <= 10:
        with submission:
            row = token_service.revoke_token(current_user, int(token_id))
            flash(f"API トークン「{row.name}」を取り消しました。", "success")
    else:
        from ..unit_of_work import refuse

        refuse()
        flash("取り消すトークンを選んでください。", "danger")
    return redirect(url_for("api_tokens.index"))
