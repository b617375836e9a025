from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...services import programs as program_service
from ..forms_common import date_range, FilterForm, IdSelectField, JDateField, VersionedForm
from ..program_forms import ClientField, program_choices, term_choices


def _offer(form, user, *, blank=(None, None), program=None, side=None) -> None:
    """The programs that have sides (受発注) and their sides, the record's own kept."""
    sides = program_service.programs_with_terms(user, "side")
    form.program_id.choices = program_choices([p for p, _ in sides], blank[0], include=program)
    form.side_id.choices = term_choices(sides, blank[1], include=side)


class RegistrationForm(VersionedForm):
    client = ClientField("相談先", validators=[DataRequired("相談先を入力してください。"), Length(max=200)], description="名称の一部、13桁の法人番号、または #番号")
    program_id = IdSelectField("事業", validators=[DataRequired("事業を選んでください。")])
    side_id = IdSelectField("区分", validators=[DataRequired("区分（発注・受注）を選んでください。")], description="発注企業・受注企業")
    registered_on = JDateField("登録日", validators=[InputRequired("登録日を入力してください。")], description="例: 2024-04-01、R6.4.1")
    ended_on = JDateField("登録終了日", validators=[Optional()], description="登録をやめた日（登録中なら空欄）")
    notes = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, user, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self, user, program=record.program if record else None, side=record.side if record else None)


class RegistrationFilterForm(FilterForm):
    q = StringField("相談先")
    program_id = IdSelectField("事業")
    side_id = IdSelectField("区分")
    active_on = JDateField("この日に登録中")
    registered_from, registered_to = date_range("登録日")

    def offer(self, user):
        _offer(self, user, blank=("すべての事業", "すべての区分"))

