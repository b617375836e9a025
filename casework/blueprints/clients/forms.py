from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from ...models import CLIENT_KINDS
from ..forms_common import (IntegerField, VersionedForm, industry_choices, industry_division_choices,
                            municipality_choices, NameField)


class ClientForm(VersionedForm):
    kind = SelectField("区分", choices=list(CLIENT_KINDS.items()), default="corporation")
    name = NameField("名称（企業名・氏名）", validators=[DataRequired("名称を入力してください。"), Length(max=200)])
    name_kana = NameField("フリガナ", validators=[Optional(), Length(max=200)])
    corporate_number = StringField("法人番号（13桁）", validators=[
        Optional(), Regexp(r"^[0-9０-９\- ]{13,16}$", message="法人番号は13桁の数字です。")])
    industry_code = SelectField("業種（日本標準産業分類 大分類）", validators=[Optional()])
    industry_division_code = SelectField("業種（中分類）", validators=[Optional()])
    municipality_code = SelectField("市町村", validators=[Optional()])
    address = StringField("所在地", validators=[Optional(), Length(max=300)])
    employees = IntegerField("従業員数", validators=[Optional(), NumberRange(min=0, message="0以上の整数を入力してください。")])
    representative = NameField("代表者", validators=[Optional(), Length(max=100)])
    contact_name = NameField("担当者", validators=[Optional(), Length(max=100)])
    contact_phone = StringField("電話", validators=[Optional(), Length(max=50)])
    contact_email = EmailField("メール", validators=[Optional(), Email("メールアドレスの形式が正しくありません。")])
    notes = TextAreaField("メモ", validators=[Optional()])
    confirm_duplicate = BooleanField("似た名称の登録があることを確認しました")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.industry_code.choices = industry_choices()
        self.industry_division_code.choices = industry_division_choices()
        self.municipality_code.choices = municipality_choices()

    def validate_corporate_number(self, field):
        """The service's check digit rule, run with the form's own checks so every problem of
        the form is shown in one round (it came only after 従業員数 was fixed)."""
        import unicodedata

        from ...services.clients import CORPORATE_NUMBER_WRONG
        from ...textnorm import valid_corporate_number

        number = unicodedata.normalize("NFKC", field.data or "").replace("-", "").replace(" ", "")
        if number and not field.errors and not valid_corporate_number(number):
            raise ValidationError(CORPORATE_NUMBER_WRONG)

    def client_data(self):
        from ...services.clients import ClientData
        import unicodedata

        number = unicodedata.normalize("NFKC", self.corporate_number.data or "")
        return ClientData(
            kind=self.kind.data, name=self.name.data, name_kana=self.name_kana.data, corporate_number=number,
            industry_code=self.industry_code.data or None, industry_division_code=self.industry_division_code.data or None,
            municipality_code=self.municipality_code.data or None,
            address=self.address.data, employees=self.employees.data, representative=self.representative.data,
            contact_name=self.contact_name.data, contact_phone=self.contact_phone.data,
            contact_email=self.contact_email.data, notes=self.notes.data)
