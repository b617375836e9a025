from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...models import FOUNDER_STAGES
from ...services.founders import DEFAULT_GRANT_PROGRAM, GRANT_DECISIONS
from ..forms_common import (DateField, FilterForm, IntegerField, JapaneseForm, NameField, VersionedForm,
                            colleague_filter, date_range, industry_choices)

DATE_REQUIRED = "日付を入力してください。"


class StageForm(VersionedForm):
    stage = SelectField("次の段階", choices=[(k, v) for k, v in FOUNDER_STAGES.items() if k not in ("consultation", "founded")],
                        validators=[InputRequired("段階を選んでください。")])
    changed_on = DateField("日付", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    note = TextAreaField("メモ", validators=[Optional()])


class FoundingForm(VersionedForm):
    founded_on = DateField("創業日（開業日・設立日）", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    business_name = NameField("事業者名（屋号・法人名）", validators=[DataRequired("事業者名を入力してください。"), Length(max=200)])
    incorporated = BooleanField("法人を設立した")
    corporate_number = StringField("法人番号（13桁）", validators=[Optional(), Length(max=20)])
    industry_code = SelectField("業種", validators=[Optional()])
    note = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.industry_code.choices = industry_choices()


class GrantForm(JapaneseForm):
    program = StringField("制度", default=DEFAULT_GRANT_PROGRAM, validators=[DataRequired("制度名を入力してください。"), Length(max=100)])
    applied_on = DateField("申請日", validators=[InputRequired(DATE_REQUIRED)])


class GrantDecisionForm(VersionedForm):
    decision = RadioField("結果", choices=list(GRANT_DECISIONS.items()), validators=[InputRequired("採択・不採択を選んでください。")])
    decided_on = DateField("決定日", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    amount = IntegerField("交付額（円）", validators=[Optional(), NumberRange(min=0, message="0以上の整数を入力してください。")])


class FounderFilterForm(FilterForm):
    """The founders list's filters; with no status given it shows the open ones."""
    q = StringField("氏名・フリガナ")
    stage = SelectField("段階", choices=[("", "すべての段階")] + list(FOUNDER_STAGES.items()))
    status = SelectField("状態", choices=[("open", "対応中"), ("closed", "終了"), ("", "すべて")], default="open")
    assignee_id = colleague_filter("担当IM", "すべての担当者")
    opened_from, opened_to = date_range("開始日")

    def filters(self) -> dict:
        return dict(stage=self.stage.data or None, status=self.status.data or None,
                    q=(self.q.data or "").strip() or None, assignee_id=self.assignee_id.data,
                    opened_from=self.opened_from.data, opened_to=self.opened_to.data)
