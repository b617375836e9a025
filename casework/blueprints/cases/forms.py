from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms_common import (date_range, FilterForm, IdSelectField, DateField, MultiCheckboxField, VersionedForm,
                            center_choices, center_filter, colleague_choices, colleague_filter, outcome_choices,
                            recordable_program_choices, theme_choices, NameField)


class CaseForm(VersionedForm):
    center_id = IdSelectField("センター", validators=[DataRequired("センターを選んでください。")])
    assignee_id = IdSelectField("担当者")
    title = NameField("件名", validators=[Optional(), Length(max=200)])
    opened_on = DateField("開始日", validators=[InputRequired("開始日を入力してください。")])
    theme_codes = MultiCheckboxField("相談テーマ")
    program_id = IdSelectField("事業")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.center_id.choices = center_choices(user)
        current = getattr(kwargs.get("obj"), "assignee", None)
        self.assignee_id.choices = colleague_choices(user, blank="（未定）", include=current)
        self.theme_codes.choices = theme_choices()
        self.program_id.choices = recordable_program_choices(
            user, include=getattr(kwargs.get("obj"), "program_id", None), blank="（センターの既定の事業）")

    def fill_program(self, user):
        """A fresh form's 事業: my home center's default."""
        from ...services.programs import user_default_program

        program = user_default_program(user, "case")
        if program is not None and program.id in {v for v, _ in self.program_id.choices}:
            self.program_id.data = program.id

    def case_data(self, center_id=None):
        from ...services.cases import CaseData

        return CaseData(center_id=center_id or self.center_id.data, opened_on=self.opened_on.data,
                        assignee_id=self.assignee_id.data, title=self.title.data,
                        theme_codes=list(self.theme_codes.data or []), program_id=self.program_id.data)


class CloseForm(VersionedForm):
    closed_on = DateField("終了日", past_only=True, validators=[InputRequired("終了日を入力してください。")])
    outcome_code = SelectField("成果", validators=[Optional()])
    outcome_on = DateField("成果の日付", past_only=True, validators=[Optional()])
    note = TextAreaField("成果・終了のメモ", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome_code.choices = outcome_choices()


class ReopenForm(VersionedForm):
    pass


class CaseFilterForm(FilterForm):
    q = StringField("相談先（名称・フリガナ）")
    center_id = center_filter()
    assignee_id = colleague_filter("担当者", "すべての担当者")
    status = SelectField("状態", choices=[("", "すべての状態"), ("open", "対応中"), ("closed", "終了")])
    opened_from, opened_to = date_range("開始日")

    def case_filter(self):
        from ...services.cases import CaseFilter

        return CaseFilter(center_id=self.center_id.data, assignee_id=self.assignee_id.data,
                          status=self.status.data or None, opened_from=self.opened_from.data,
                          opened_to=self.opened_to.data, q=self.q.data)
