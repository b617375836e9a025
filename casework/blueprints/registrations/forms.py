from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...services import programs as program_service
from ..forms_common import date_range, FilterForm, IdSelectField, JDateField, VersionedForm
from ..program_forms import ClientField


def side_choices(user, blank=None, include=None):
    choices = [("", blank)] if blank else []
    for program, terms in program_service.programs_with_terms(user, "side"):
        choices += [(t.id, f"{program.name}：{t.label}") for t in terms]
    if include is not None and include.id not in {v for v, _ in choices}:
        choices.append((include.id, f"{include.program.name}：{include.label}"))
    return choices


def side_program_choices(user, blank=None, include=None):
    choices = [("", blank)] if blank else []
    choices += [(p.id, program_service.program_label(p)) for p, _ in program_service.programs_with_terms(user, "side")]
    if include is not None and include.id not in {v for v, _ in choices}:
        choices.append((include.id, program_service.program_label(include)))
    return choices


class RegistrationForm(VersionedForm):
    client = ClientField("相談先", validators=[DataRequired("相談先を入力してください。"), Length(max=200)], description="名称の一部、13桁の法人番号、または #番号")
    program_id = IdSelectField("事業", validators=[DataRequired("事業を選んでください。")])
    side_id = IdSelectField("区分", validators=[DataRequired("区分（発注・受注）を選んでください。")], description="発注企業・受注企業")
    registered_on = JDateField("登録日", validators=[InputRequired("登録日を入力してください。")], description="例: 2024-04-01、R6.4.1")
    ended_on = JDateField("登録終了日", validators=[Optional()], description="登録をやめた日（登録中なら空欄）")
    notes = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, user, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program_id.choices = side_program_choices(user, include=record.program if record else None)
        self.side_id.choices = side_choices(user, include=record.side if record else None)


class RegistrationFilterForm(FilterForm):
    q = StringField("相談先")
    program_id = IdSelectField("事業")
    side_id = IdSelectField("区分")
    active_on = JDateField("この日に登録中")
    registered_from, registered_to = date_range("登録日")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.program_id.choices = side_program_choices(user, blank="すべての事業")
        self.side_id.choices = side_choices(user, blank="すべての区分")

