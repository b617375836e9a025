from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from ...dates import parse_date


def _date(form, field):
    if field.data:
        try:
            field.parsed = parse_date(field.data)
        except ValueError:
            raise ValidationError("日付を 2024-05-10 や R6.5.10 の形で入力してください。")
    else:
        field.parsed = None


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    user_id = SelectField("職員", coerce=lambda v: int(v) if str(v).isdigit() else None, validate_choice=False)
    action = SelectField("操作", validate_choice=False)
    object_type = StringField("記録の種類", validators=[Optional()])
    object_id = IntegerField("記録のID", validators=[Optional(), NumberRange(min=1, message="1以上の数で入力してください。")])
    date_from = StringField("期間（から）", validators=[_date])
    date_to = StringField("期間（まで）", validators=[_date])
