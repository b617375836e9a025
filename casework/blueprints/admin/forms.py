from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, NumberRange, Optional

from ...models import ROLES
from ..forms_common import IntegerField, JapaneseForm, MultiCheckboxField, VersionedForm, NameField


def _center_code_choices():
    from ...services.vocab_admin import all_centers

    return [(c.code, c.name) for c in all_centers()]


class UserForm(VersionedForm):
    login = StringField("ログイン名", validators=[DataRequired("ログイン名を入力してください。"), Length(max=64)])
    name = NameField("氏名", validators=[DataRequired("氏名を入力してください。"), Length(max=100)])
    email = EmailField("メール", validators=[Optional(), Email("メールアドレスの形式が正しくありません。")])
    role = SelectField("役割", choices=list(ROLES.items()), default="coordinator")
    center_codes = MultiCheckboxField("所属センター")
    active = BooleanField("有効（無効にするとすぐにログアウトされます）", default=True)
    password = PasswordField("初期パスワード", validators=[DataRequired("パスワードを入力してください。")])

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.center_codes.choices = _center_code_choices()
        if editing:
            del self.login
            del self.password
        else:
            del self.active


class PasswordResetForm(JapaneseForm):
    password = PasswordField("新しいパスワード", validators=[DataRequired("パスワードを入力してください。")])
    confirm = PasswordField("新しいパスワード（確認）", validators=[EqualTo("password", "パスワードが一致しません。")])


class CenterForm(VersionedForm):
    code = StringField("コード", validators=[DataRequired("コードを入力してください。"), Length(max=32)])
    name = NameField("名称", validators=[DataRequired("名称を入力してください。"), Length(max=100)])
    report_title = StringField("報告書での名称", validators=[Optional(), Length(max=100)])
    confidential = BooleanField("秘匿（所属職員と管理者だけが見られる：事業承継・M&A など）")
    sort_order = IntegerField("表示順", default=100,
                              validators=[InputRequired("表示順を入力してください。"), NumberRange(min=0, message="0以上の整数を入力してください。")])
    active = BooleanField("使用中", default=True)

    def center_data(self):
        from ...services.vocab_admin import CenterData

        return CenterData(code=self.code.data, name=self.name.data, report_title=self.report_title.data,
                          confidential=bool(self.confidential.data), sort_order=self.sort_order.data,
                          active=bool(self.active.data))


class ThemeForm(JapaneseForm):
    code = StringField("コード（半角英字）", validators=[DataRequired("コードを入力してください。"), Length(max=32)])
    label = NameField("名称", validators=[DataRequired("名称を入力してください。"), Length(max=50)])


class MunicipalityForm(JapaneseForm):
    code = StringField("地方公共団体コード（6桁）", validators=[DataRequired("コードを入力してください。")])
    name = NameField("名称", validators=[DataRequired("名称を入力してください。"), Length(max=50)])
    prefecture = StringField("都道府県", default="青森県", validators=[Optional(), Length(max=10)])
