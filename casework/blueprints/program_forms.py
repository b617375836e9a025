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


def program_choices(programs, blank=None, include=None):
    """(id, label) of these programs, after a blank choice when given; the record's own program
    kept when it is no longer offered."""
    from ..services.programs import program_label

    choices = [("", blank)] if blank else []
    choices += [(p.id, program_label(p)) for p in programs]
    if include is not None and include.id not in {v for v, _ in choices}:
        choices.append((include.id, program_label(include)))
    return choices


def term_choices(programs_with_terms, blank=None, include=None, label=lambda term: term.label):
    """(id, 「program：term」) of each program's terms (sides, courses, milestones), likewise."""
    choices = [("", blank)] if blank else []
    for program, terms in programs_with_terms:
        choices += [(t.id, f"{program.name}：{label(t)}") for t in terms]
    if include is not None and include.id not in {v for v, _ in choices}:
        choices.append((include.id, f"{include.program.name}：{include.label}"))
    return choices
