"""Form pieces shared by the program record screens (registrations,
introductions, grants, milestones, event attendance, the programs admin)."""
from __future__ import annotations

from wtforms import StringField
from .fields import IntegerField  # bounded to the columns (issue 13)
from wtforms.validators import NumberRange, Optional


NON_NEGATIVE = NumberRange(min=0, message="0以上の整数を入力してください。")
FISCAL_YEAR = NumberRange(min=1990, max=2100, message="西暦の年（例: 2023）で入力してください。")


def count_field(label: str, hint: str | None = None):
    return IntegerField(label, validators=[Optional(), NON_NEGATIVE], description=hint or "")


def year_field(label: str, description: str = ""):
    return IntegerField(label, validators=[Optional(), FISCAL_YEAR], description=description)


class ClientField(StringField):
    """A client typed as a name (or part of one), a 13-digit 法人番号 or #番号; resolved by
    services.program_records.resolve_client, whose message shows beside the field. Filled from
    a record (obj=), the client shows as its text, also when a POST leaves the field out."""

    def process_data(self, value):
        if value is not None and not isinstance(value, str):
            from ..services.program_records import client_text

            value = client_text(value)
        super().process_data(value)


def fill_choices(field, choices, current=None):
    """Choices as (str id, label); the record's own value kept when it is no longer offered."""
    field.choices = choices
    if current is not None and str(current) not in {str(v) for v, _ in choices}:
        field.choices = [*choices, (str(current), "（現在の値）")]
