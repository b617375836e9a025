from wtforms import SelectField, StringField, TextAreaField
from ..fields import IntegerField  # bounded to the columns (issue 13)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...models import GRANT_DECISION_LABELS
from ...services import programs as program_service
from ..forms_common import date_range, FilterForm, IdSelectField, JDateField, VersionedForm
from ..program_forms import NON_NEGATIVE, ClientField, program_choices, term_choices, year_field


class GrantForm(VersionedForm):
    client = ClientField("申請者（相談先）", validators=[DataRequired("申請者（相談先）を入力してください。"),
                                                   Length(max=200)], description="名称の一部、法人番号、または #番号")
    program_id = IdSelectField("事業", validators=[DataRequired("事業を選んでください。")])
    course_id = IdSelectField("コース・枠", description="コース・枠のある事業だけ")
    name = StringField("制度名", validators=[Optional(), Length(max=100)], description="空欄なら事業の名称")
    title = StringField("事業名・研究テーマ", validators=[Optional(), Length(max=300)])
    partners = StringField("研究等実施機関・共同実施者", validators=[Optional(), Length(max=300)])
    applied_on = JDateField("申請日", validators=[InputRequired("申請日を入力してください。")], description="例: 2024-05-01、R6.5.1")
    round_fiscal_year = year_field("採択の年度（西暦）", description="例: 令和4年度の採択なら 2022")
    project_fiscal_year = year_field("事業の年度（西暦）", description="翌年度の事業なら 2023（令和5年度事業）")
    project_end_fiscal_year = year_field("事業の最終年度（複数年度の場合）")
    decision = SelectField("審査結果", choices=[("", "審査中"), *GRANT_DECISION_LABELS.items()], default="")
    decided_on = JDateField("決定日", validators=[Optional()])
    amount = IntegerField("採択金額（円）", validators=[Optional(), NON_NEGATIVE], description="円で入力（報告書は千円で表示）")
    granted_on = JDateField("交付決定日", validators=[Optional()])
    granted_amount = IntegerField("交付金額（円）", validators=[Optional(), NON_NEGATIVE], description="円で入力")
    notes = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, user, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program_id.choices = program_choices(program_service.recordable_programs(user), include=record.business_program if record else None)
        self.course_id.choices = term_choices(program_service.programs_with_terms(user, "course"), "（コース・枠なし）", include=record.course if record else None)


class GrantFilterForm(FilterForm):
    q = StringField("申請者・事業名")
    program_id = IdSelectField("事業")
    course_id = IdSelectField("コース・枠")
    decision = SelectField("審査結果", choices=[("", "すべての結果"), ("pending", "審査中"), *GRANT_DECISION_LABELS.items()])
    round_fiscal_year = IntegerField("採択の年度（西暦）", render_kw={"placeholder": "採択の年度 例: 2023"})
    applied_from, applied_to = date_range("申請日")

    def offer(self, user):
        self.program_id.choices = program_choices(program_service.recordable_programs(user), blank="すべての事業")
        self.course_id.choices = term_choices(program_service.programs_with_terms(user, "course"), blank="すべてのコース・枠")

