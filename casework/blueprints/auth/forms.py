from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms_common import JapaneseForm


class LoginForm(JapaneseForm):
    login = StringField("ログイン名", validators=[DataRequired("ログイン名を入力してください。")])
    password = PasswordField("パスワード", validators=[DataRequired("パスワードを入力してください。")])


class PasswordChangeForm(JapaneseForm):
    current = PasswordField("現在のパスワード", validators=[DataRequired("現在のパスワードを入力してください。")])
    password = PasswordField("新しいパスワード（12文字以上）", validators=[
        DataRequired("新しいパスワードを入力してください。"), Length(min=12, message="12文字以上にしてください。")])
    confirm = PasswordField("新しいパスワード（確認）", validators=[EqualTo("password", "確認用と一致しません。")])
