from wtforms import SelectField, StringField, TextAreaField
from ..fields import IntegerField  # bounded to the columns (issue 13)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...models import INTRODUCTION_OUTCOMES
from ...services import programs as program_service
from ..forms_common import date_range, FilterForm, IdSelectField, JDateField, VersionedForm
from ..program_forms import NON_NEGATIVE, ClientField, program_choices


class IntroductionForm(VersionedForm):
    program_id = IdSelectField("事業", validators=[DataRequired("事業を選んでください。")])
    introduced_on = JDateField("紹介日", validators=[InputRequired("紹介日を入力してください。")], description="例: 2024-06-01、R6.6.1")
    buyer = ClientField("発注側（発注企業）", validators=[DataRequired("発注側の相談先を入力してください。"), Length(max=200)], description="名称の一部、法人番号、または #番号")
    supplier = ClientField("受注側（受注企業）", validators=[DataRequired("受注側の相談先を入力してください。"), Length(max=200)], description="名称の一部、法人番号、または #番号")
    subject = StringField("案件（加工内容など）", validators=[Optional(), Length(max=200)])
    outcome = SelectField("結果", choices=list(INTRODUCTION_OUTCOMES.items()), default="ongoing",
                          validators=[DataRequired("結果を選んでください。")])
    outcome_on = JDateField("成立・不成立の日", validators=[Optional()], description="成立・不成立になった日（継続中は空欄）")
    amount = IntegerField("成立金額（円）", validators=[Optional(), NON_NEGATIVE], description="成立の場合。円で入力（報告書は千円で表示）")
    notes = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, user, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program_id.choices = program_choices(program_service.recordable_programs(user), include=record.program if record else None)


class IntroductionFilterForm(FilterForm):
    q = StringField("相談先")
    program_id = IdSelectField("事業")
    outcome = SelectField("結果", choices=[("", "すべての結果"), *INTRODUCTION_OUTCOMES.items()])
    introduced_from, introduced_to = date_range("紹介日")

    def offer(self, user):
        self.program_id.choices = program_choices(program_service.recordable_programs(user), blank="すべての事業")

