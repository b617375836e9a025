from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ...services import referrals as service
from ..forms_common import DateField, JapaneseForm, id_value


class ReferralForm(JapaneseForm):
    from_center_id = SelectField("紹介元センター", coerce=id_value, validate_choice=False, validators=[InputRequired("紹介元を選んでください。")])
    to_center_id = SelectField("紹介先センター", coerce=id_value, validate_choice=False, validators=[InputRequired("紹介先を選んでください。")])
    referred_on = DateField("紹介日", past_only=True, validators=[InputRequired("日付を入力してください。")])
    consent_on = DateField("本人の同意を得た日", past_only=True,
                           validators=[InputRequired("同意を得た日を入力してください（第三者提供には本人の同意が必要です）。")])
    consent_method = RadioField("同意の方法", choices=[(m, m) for m in service.CONSENT_METHODS],
                                validators=[InputRequired("同意の方法を選んでください。")])
    note = TextAreaField("紹介の内容", validators=[Optional()])
    open_case = BooleanField("紹介先で案件を開始する")
    to_assignee_id = SelectField("紹介先の担当者", coerce=id_value, validate_choice=False, validators=[Optional()])
