from wtforms import StringField, TextAreaField
from ..fields import IntegerField  # bounded to the columns (issue 13)
from wtforms.validators import DataRequired, InputRequired, Optional

from ...services import programs as program_service
from ..forms_common import date_range, FilterForm, IdSelectField, JDateField, VersionedForm
from ..program_forms import NON_NEGATIVE, program_choices, term_choices


def milestone_programs(user, center_id=None):
    return [(p, terms) for p, terms in program_service.programs_with_terms(user, "milestone")
            if center_id is None or p.center_id == center_id]


def _with_unit(term) -> str:
    return f"{term.label}{'（' + term.unit + '）' if term.unit else ''}"


class MilestoneForm(VersionedForm):
    program_id = IdSelectField("事業", validators=[DataRequired("事業を選んでください。")])
    milestone_id = IdSelectField("到達段階", validators=[DataRequired("到達段階を選んでください。")])
    achieved_on = JDateField("日付", validators=[InputRequired("日付を入力してください。")], description="例: 2024-06-01、R6.6.1")
    number = IntegerField("数（雇用維持効果の人数、伴走支援の回数など）", validators=[Optional(), NON_NEGATIVE], description="雇用維持効果は人数（名）、伴走支援は回数（回）")
    notes = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, user, case, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        programs = milestone_programs(user, case.center_id)
        self.program_id.choices = program_choices([p for p, _ in programs], include=record.program if record else None)
        self.milestone_id.choices = term_choices(programs, include=record.milestone if record else None, label=_with_unit)


class MilestoneFilterForm(FilterForm):
    q = StringField("相談先")
    program_id = IdSelectField("事業")
    milestone_id = IdSelectField("到達段階")
    achieved_from, achieved_to = date_range("日付")

    def offer(self, user):
        programs = milestone_programs(user)
        self.program_id.choices = program_choices([p for p, _ in programs], "すべての事業")
        self.milestone_id.choices = term_choices(programs, "すべての到達段階", label=_with_unit)

