"""Form pieces shared by the blueprints: the Japanese base form, vocabulary choices, the
optimistic-lock field, the filter form and the error helpers. The fields themselves (dates,
bounded numbers, names) live in fields.py and are re-exported here."""
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectField, SelectMultipleField, widgets
from wtforms.validators import Optional, ValidationError

from .fields import (TRANSLATIONS, DateField, DecimalField, IntegerField, NameField, TextAreaField,  # noqa: F401
                     TextField, id_value, japanese_message, record_id)

from ..extensions import db
from ..models import Industry, IndustryDivision, Municipality
from ..services import vocab_cache


class JapaneseForm(FlaskForm):
    """Every form of the app: WTForms' own messages (not a valid choice, not a valid integer...)
    in Japanese (fields.MESSAGES), and after validation no English message is left anywhere."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for f in self:
            f.errors = [japanese_message(e) for e in f.errors]
        return ok

    stale = None  # a StaleRecord when a save was refused as stale (show_stale)

    def stale_rows(self, exc):
        return stale_rows(exc, self)

    @property
    def error_count(self) -> int:
        return sum(len(f.errors) for f in self) + len(self.form_errors)


class VersionedForm(JapaneseForm):
    """Carries the record's version so a stale save is refused (optimistic locking)."""
    version = HiddenField()

    def expected_version(self):
        return record_id(self.version.data)


def industry_choices(blank="（未選択）"):
    return [("", blank)] + [(i.code, f"{i.code} {i.name}") for i in db.session.scalars(select(Industry).order_by(Industry.code))]


def industry_division_choices(blank="（未選択）"):
    """JSIC middle divisions grouped by their major (an optgroup each: 「E 製造業」 › 「11 繊維工業」)."""
    rows = db.session.execute(select(IndustryDivision, Industry.name).join(Industry, Industry.code == IndustryDivision.major_code)
                              .order_by(IndustryDivision.code))
    groups: dict[str, list] = {"": [("", blank)]}
    for division, major_name in rows:
        groups.setdefault(f"{division.major_code} {major_name}", []).append((division.code, f"{division.code} {division.name}"))
    return groups


def municipality_choices(blank="（未選択）"):
    rows = db.session.scalars(select(Municipality).order_by(Municipality.sort_order, Municipality.code))
    return [("", blank)] + [(m.code, m.name) for m in rows]


# The choices below come from the per-process vocabulary cache (services/vocab_cache.py): what
# only an admin changes is read once per worker, again when the database's fingerprint moves.

def theme_choices():
    return [(t.code, t.label) for t in vocab_cache.themes() if t.active]


def channel_choices():
    return [(c.code, c.label) for c in vocab_cache.channels()]


def center_choices(user, blank=None):
    from ..access import visible_center_ids

    ids = visible_center_ids(user)
    choices = [(c.id, c.name) for c in vocab_cache.centers() if c.active and (ids is None or c.id in ids)]
    return ([("", blank)] if blank else []) + choices


def staff_choices(blank=None, center_ids=None):
    """Active staff (of these centers, and admins), by name."""
    rows = [s for s in vocab_cache.staff() if s.active]
    if center_ids is not None:
        from ..permissions import roles_with

        everywhere, centers = set(roles_with("records.all_centers")), set(center_ids)
        rows = [s for s in rows if s.role in everywhere or s.center_ids & centers]
    return ([("", blank)] if blank else []) + [(s.id, s.name) for s in rows]


def recordable_program_choices(user, *, include=None, blank=None) -> list[tuple]:
    """services.programs.program_choices from the vocabulary cache, ids as ints: active programs
    of the centers the user records in (`include`, a program id, kept even when inactive)."""
    from ..access import visible_center_ids
    from ..dates import fy_label

    ids = visible_center_ids(user)
    choices = [("", blank)] if blank is not None else []
    for p in vocab_cache.programs():
        if (ids is None or p.center_id in ids) and (p.active or p.id == include):
            ended = f"・{fy_label(p.ended_fiscal_year)}で終了" if p.ended_fiscal_year else ""
            choices.append((p.id, f"{p.name}（{p.center_name}）{ended}"))
    return choices


def program_term_choices(user, kind: str) -> list[tuple]:
    """The active terms of this kind of each program the user records in, 「事業：区分」 (as
    services.programs.programs_with_terms gives them), from the vocabulary cache."""
    from ..access import visible_center_ids

    ids = visible_center_ids(user)
    terms: dict[int, list] = {}
    for t in vocab_cache.terms():
        if t.kind == kind and t.active:
            terms.setdefault(t.program_id, []).append(t)
    return [(t.id, f"{p.name}：{t.label}") for p in vocab_cache.programs()
            if p.active and (ids is None or p.center_id in ids) for t in terms.get(p.id, ())]


def attach_error(form, exc) -> None:
    """Show a service's DomainError (or each of a DomainErrors) beside its field, or at the top
    of the page when it names no field of the form. The request then writes nothing
    (casework/unit_of_work.py)."""
    from flask import flash

    from ..unit_of_work import refuse

    refuse()
    for one in getattr(exc, "errors", None) or [exc]:
        field = getattr(form, one.field, None) if getattr(one, "field", None) else None
        if field is not None and hasattr(field, "errors"):
            if one.message not in field.errors:
                field.errors = list(field.errors) + [one.message]
        else:
            flash(one.message, "danger")


# ---------------------------------------------------------------------------------------------
# Fields and helpers shared by the cases, consultations, events and admin forms
# ---------------------------------------------------------------------------------------------



JDateField = DateField  # the one date field (fields.DateField); the old name kept for imports


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a vocabulary (themes): render with the checkboxes() macro."""
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        values = {str(v) for v, _ in self.choices or []}
        for item in self.data or []:
            if str(item) not in values:
                raise ValidationError("選択肢にない値です。")


optional_int = id_value  # coerce for SelectFields of ids whose blank option means 'none'


CHOOSE_FROM_LIST = "選択肢から選んでください。"


class IdSelectField(SelectField):
    """A select of record ids; the blank option is None. Any choice not offered is refused."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", optional_int)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = self.coerce(valuelist[0])
            except (TypeError, ValueError):
                self.data = None
                raise ValueError(CHOOSE_FROM_LIST) from None

    def pre_validate(self, form):
        if self.process_errors:
            return  # not an id at all: said once, by process_formdata
        if self.data is None and any(v in ("", None) for v, _ in self.choices or []):
            return
        if self.data not in {optional_int(v) for v, _ in self.choices or []}:
            raise ValidationError(CHOOSE_FROM_LIST)


class FilterForm(JapaneseForm):
    """A GET filter form read from the query string (no CSRF: it only reads), built for a user.

    Every filter is optional: a field absent from the query string or left blank means "no
    filter" and is never an error, whatever its type (a select without a blank choice, a date).
    A value that is there but wrong (not a choice, not a date) is shown beside its field.
    The choices that depend on who is looking come from each ViewerSelectField (center_filter,
    colleague_filter) and from `offer(user)`, which a form overrides for any others."""

    class Meta:
        csrf = False

    def __init__(self, user, **kwargs):
        from flask import request

        super().__init__(request.args, **kwargs)
        for f in self:
            if not any(isinstance(v, Optional) for v in f.validators):
                f.validators = [Optional(), *f.validators]
            if isinstance(f, ViewerSelectField):
                f.choices = f.choices_for(user)
        self.offer(user)

    def offer(self, user) -> None:
        """Fill the choices a field's declaration cannot (vocabularies, the user's programs)."""

    def checked(self) -> bool:
        """Validate; invalid filters show beside their field and are ignored."""
        ok = self.validate()
        for name in self.errors:
            getattr(self, name).data = None
        return ok

    def filters(self) -> dict:
        """The filters as a list query's keyword arguments: each field's value, blank text None."""
        return {f.name: (f.data.strip() or None) if isinstance(f.data, str) else f.data for f in self}


class ViewerSelectField(IdSelectField):
    """A filter of record ids whose choices depend on the user the FilterForm is built for:
    `choices_for(user)` gives them."""

    def __init__(self, label, choices_for, **kwargs):
        super().__init__(label, **kwargs)
        self.choices_for = choices_for


def center_filter(label="センター"):
    """A list's センター filter: the centers the user sees, after 「すべてのセンター」."""
    return ViewerSelectField(label, lambda user: center_choices(user, blank="すべてのセンター"))


def colleague_filter(label, blank):
    """A list's staff filter (担当者, 職員): the user's colleagues, after `blank`."""
    return ViewerSelectField(label, lambda user: colleague_choices(user, blank=blank))


def date_range(label: str, names=(None, None)):
    """A list's period filter: 「label（から）」 and 「label（まで）」 (`held_from, held_to = date_range("相談日")`);
    `names` are the query string's names where they are not the attributes' (?from=&to=)."""
    start, end = ({"name": n} if n else {} for n in names)
    return DateField(f"{label}（から）", **start), DateField(f"{label}（まで）", **end)


def _shown(field, value) -> str:
    """A value as the form shows it: choice labels for codes and ids, dates as typed, はい/いいえ."""
    import datetime as dt

    if value is None or value == "" or value == []:
        return "（空欄）"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    choices = getattr(field, "choices", None) if field is not None else None
    if choices:
        names = {str(v): t for v, t in choices}
        if isinstance(value, (list, tuple, set)):
            return "、".join(names.get(str(v), str(v)) for v in value)
        return names.get(str(value), str(value))
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    return str(value)


def stale_rows(exc, form) -> list[tuple[str, str, str]]:
    """What changed in a stale save, as (field label, saved value, your value), in the form's
    order: the one display of a 409 on every edit page (templates/_macros/forms.html)."""
    if exc is None:
        return []
    rows = []
    fields = {f.name: f for f in form} if form is not None else {}
    labels = {f.label.text: f for f in fields.values()}
    order = list(fields)
    for key, (saved, mine) in exc.changes.items():
        field = fields.get(key) or labels.get(key)
        label = field.label.text if field is not None else key
        if isinstance(saved, str) and isinstance(mine, str) and field is None:
            rows.append((label, saved or "（空欄）", mine or "（空欄）"))
            continue
        rows.append((label, _shown(field, saved), _shown(field, mine)))
    rows.sort(key=lambda r: order.index(labels[r[0]].name) if r[0] in labels else len(order))
    return rows


def show_stale(form, exc):
    """A stale save: the form carries the refusal (form_errors / stale_notice show what changed,
    with the form's labels) and its version moves to the saved one, so saving again after
    reading the changes is deliberate."""
    form.stale = exc
    if getattr(form, "version", None) is not None and getattr(exc, "record", None) is not None:
        form.version.data = exc.record.version
        form.version.raw_data = None
    return exc


def keyset_page(stmt, columns, rows=False):
    """A keyset page of a long list (?after=cursor, ?n=page number shown): see casework/pagination.py."""
    from flask import current_app, request

    from ..pagination import keyset_paginate, page_number

    return keyset_paginate(stmt, columns, after=request.args.get("after"), per_page=current_app.config["PER_PAGE"],
                           number=page_number("n"), rows=rows)


def paginate(stmt):
    from flask import current_app

    return db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)


def outcome_choices(blank="（成果なし）"):
    return [("", blank)] + [(o.code, o.label) for o in vocab_cache.outcomes()]


def event_kind_choices(blank=None):
    from ..models import EventKind

    rows = [(k.code, k.label) for k in db.session.scalars(select(EventKind).order_by(EventKind.sort_order))]
    return ([("", blank)] if blank else []) + rows


def colleague_choices(user, blank=None, include=None):
    """Staff who share a center with the user (everyone for admins), plus the record's current
    person even if they have since left or been disabled, so an edit keeps them."""
    from ..access import visible_center_ids

    choices = staff_choices(blank=blank, center_ids=visible_center_ids(user))
    if include is not None and include.id not in {v for v, _ in choices}:
        choices.append((include.id, include.name if include.active else f"{include.name}（無効）"))
    return choices
