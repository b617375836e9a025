from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms_common import (DateField, DecimalField, FilterForm, IdSelectField, IntegerField, JapaneseForm,
                            NameField, VersionedForm, center_filter, date_range, id_value)

DATE_REQUIRED = "日付を入力してください。"


class ExpertForm(VersionedForm):
    name = NameField("氏名", validators=[DataRequired("氏名を入力してください。"), Length(max=100)])
    organisation = StringField("所属", validators=[Optional(), Length(max=200)])
    specialties = StringField("専門分野", validators=[Optional(), Length(max=300)])
    fee_per_visit = IntegerField("1回あたりの謝金（円）", validators=[
        Optional(), NumberRange(min=0, message="0以上の整数を入力してください。")])
    active = BooleanField("有効（派遣を申請できる）", default=True)


class DispatchRequestForm(JapaneseForm):
    case_id = SelectField("案件", coerce=id_value, validate_choice=False, validators=[InputRequired("案件を選んでください。")])
    expert_id = SelectField("専門家", coerce=id_value, validate_choice=False, validators=[InputRequired("専門家を選んでください。")])
    program_id = SelectField("派遣事業", coerce=id_value, validate_choice=False, validators=[Optional()])
    requested_on = DateField("申請日", validators=[InputRequired(DATE_REQUIRED)])
    planned_visits = IntegerField("予定回数", validators=[Optional(), NumberRange(min=1, message="1以上の整数を入力してください。")])
    purpose = TextAreaField("派遣の目的・課題", validators=[Optional()])


class DecisionForm(VersionedForm):
    decision = RadioField("決定", choices=[("approve", "承認"), ("reject", "却下")],
                          validators=[InputRequired("承認か却下を選んでください。")])
    decided_on = DateField("決定日", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    note = TextAreaField("コメント（却下の場合は理由）", validators=[Optional()])


class VisitForm(JapaneseForm):
    held_on = DateField("訪問日", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    hours = DecimalField("時間", places=2, validators=[Optional(), NumberRange(min=0.25, max=24, message="0.25〜24の数値を入力してください。")])
    fee = IntegerField("謝金（円）", validators=[Optional(), NumberRange(min=0, message="0以上の整数を入力してください。")])
    company_share = IntegerField("企業負担額（円）", validators=[Optional(), NumberRange(min=0, message="0以上の整数を入力してください。")])
    notes = TextAreaField("内容", validators=[Optional()])


class ReportForm(VersionedForm):
    received_on = DateField("報告書受領日", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    report_file = FileField("報告書ファイル（任意）")  # becomes a document of the dispatch (services/attachments.py)


class SimpleVersionForm(VersionedForm):
    pass



class DispatchFilterForm(FilterForm):
    """The dispatch list's filters (?q=&status=&center_id=&expert_id=&from=&to=&overdue=1): a
    wrong value is said beside its field and filters nothing."""
    q = StringField("相談先（名称・フリガナ）")
    status = SelectField("状態")
    center_id = center_filter()
    expert_id = IdSelectField("専門家")
    requested_from, requested_to = date_range("申請日", names=("from", "to"))
    overdue = BooleanField("報告書期限切れあり")

    def offer(self, user):
        from ...models import DISPATCH_STATUSES
        from ...services.dispatch import expert_choices

        self.status.choices = [("", "すべての状態")] + list(DISPATCH_STATUSES.items())
        self.expert_id.choices = [("", "すべての専門家")] + expert_choices()

    def dispatch_filter(self):
        from ...services.dispatch import DispatchFilter

        return DispatchFilter(center_id=self.center_id.data, status=self.status.data or None,
                              expert_id=self.expert_id.data, q=(self.q.data or "").strip() or None,
                              requested_from=self.requested_from.data, requested_to=self.requested_to.data,
                              report_overdue=bool(self.overdue.data))
