from wtforms import SelectField, StringField
from wtforms.validators import ValidationError

from ...dates import check_date_range, read_date
from ...dates import DATE_HINT
from ..forms_common import JapaneseForm, record_id


def _date(form, field):
    field.parsed = None
    if field.data:
        try:
            day = read_date(field.data)
        except ValueError:
            raise ValidationError("日付を 2024-05-10 や R6.5.10 の形で入力してください。") from None
        try:
            field.parsed = check_date_range(day)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def _record_id(form, field):
    text = (field.data or "").strip()
    field.parsed = None
    if text:
        field.parsed = record_id(text)
        if not field.parsed:
            raise ValidationError("1以上の数で入力してください。")


class AuditSearchForm(JapaneseForm):
    class Meta:
        csrf = False  # a GET search form

    user_id = SelectField("職員", coerce=record_id, validate_choice=False)
    action = SelectField("操作", validate_choice=False)
    object_type = SelectField("記録の種類", validate_choice=False)
    object_id = StringField("記録のID", validators=[_record_id])
    date_from = StringField("期間（から）", validators=[_date], description=DATE_HINT)
    date_to = StringField("期間（まで）", validators=[_date], description=DATE_HINT)
