from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...services.followups import SALES_TRENDS
from ..forms_common import (DateField, FilterForm, IntegerField, JapaneseForm, VersionedForm, center_filter,
                            date_range, id_value)

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


class FollowUpFilterForm(FilterForm):
    """The follow-up list's filters; with none given: my open ones."""
    scope = SelectField("範囲", choices=[("mine", "自分の担当"), ("all", "担当センターのすべて")], default="mine")
    status = SelectField("状態", choices=[("open", "未完了"), ("done", "完了"), ("all", "すべて")], default="open")
    source = SelectField("作成", choices=[("", "手動・自動"), ("manual", "手動"), ("auto", "自動")])
    center_id = center_filter()
    due_from, due_to = date_range("期日")

    def followup_filter(self):
        from ...services.followups import FollowUpFilter

        return FollowUpFilter(scope=self.scope.data or "mine", status=self.status.data or "open",
                              center_id=self.center_id.data, source=self.source.data or None,
                              due_from=self.due_from.data, due_to=self.due_to.data)
