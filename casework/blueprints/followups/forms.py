from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...services.followups import SALES_TRENDS
from ..forms_common import DateField, IntegerField, JapaneseForm, VersionedForm, id_value

DATE_REQUIRED = "日付を入力してください。"
COUNT = [Optional(), NumberRange(min=0, message="0以上の整数を入力してください。")]


class FollowUpForm(JapaneseForm):
    case_id = SelectField("案件", coerce=id_value, validate_choice=False, validators=[InputRequired("案件を選んでください。")])
    due_on = DateField("期日", validators=[InputRequired(DATE_REQUIRED)])
    reason = StringField("内容", validators=[DataRequired("内容を入力してください。"), Length(max=200)])
    assignee_id = SelectField("担当者", coerce=id_value, validate_choice=False, validators=[Optional()])


class CompleteForm(VersionedForm):
    completed_on = DateField("実施日", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    still_in_business = RadioField("事業継続", choices=[("yes", "継続している"), ("no", "廃業・休業"), ("unknown", "不明")],
                                   default="unknown")
    employees = IntegerField("従業員数", validators=COUNT)
    sales_trend = SelectField("売上の傾向", choices=[("", "（不明）")] + list(SALES_TRENDS.items()), validators=[Optional()])
    jobs_retained = IntegerField("維持された雇用（人）", validators=COUNT)
    findings = TextAreaField("確認した内容", validators=[Optional()])
