from wtforms import SelectField, StringField
from wtforms.validators import ValidationError

from ...dates import parse_date
from ..forms_common import JapaneseForm


def _date(form, field):
    if field.data:
        try:
            field.parsed = parse_date(field.data)
        except ValueError:
            raise ValidationError("日付を 2024-05-10 や R6.5.10 の形で入力してください。")
    else:
        field.parsed = None


def _record_id(form, field):
    text = (field.data or "").strip()
    field.parsed = None
    if text:
        if not text.isdigit() or int(text) < 1:
            raise ValidationError("1以上の数で入力してください。")
        field.parsed = int(text)


class AuditSearchForm(JapaneseForm):
    class Meta:
        csrf = False  # a GET search form

    user_id = SelectField("職員", coerce=lambda v: int(v) if str(v).isdigit() else None, validate_choice=False)
    action = SelectField("操作", validate_choice=False)
    object_type = SelectField("記録の種類", validate_choice=False)
    object_id = StringField("記録のID", validators=[_record_id])
    date_from = StringField("期間（から）", validators=[_date])
    date_to = StringField("期間（まで）", validators=[_date])
