"""The app's own form fields and WTForms' messages in Japanese: every form uses these.

- JapaneseTranslations: every message WTForms (and Flask-WTF) can produce, in Japanese; an
  unknown message becomes 「入力内容が正しくありません。」, never English.
- DateField: a text input (with a calendar button added by casework.js) that reads what the hint
  shows (casework.dates.parse_date) and refuses dates outside the sane range beside the field.
- IntegerField / DecimalField: bounded, so a 20-digit number or NaN is refused, not a 500.
- NameField / name_text: a name must have a visible character; bidi controls are dropped.
- id_value: the coerce of every select of record ids (bounded like the URL converter).
"""
from __future__ import annotations

import decimal

from wtforms import fields as wtf_fields
from wtforms import widgets
from wtforms.validators import StopValidation

from ..dates import DATE_HINT, check_date_range, read_date, today_jst
from ..textnorm import NameRefused, clean_name
from . import html_attrs

html_attrs.install()  # the widgets' attributes without a string.Formatter each (same text)

# Integer columns are 32-bit on PostgreSQL: nothing typed may exceed them.
INT_MAX = 2**31 - 1
INT_MIN = -(2**31)
ID_MAX = INT_MAX

FALLBACK = "入力内容が正しくありません。"

MESSAGES = {
    "Invalid field name '%s'.": "%s は無効な項目名です。",
    "Field must be equal to %(other_name)s.": "%(other_name)s と同じ内容を入力してください。",
    "Field must be at least %(min)d character long.": "%(min)d文字以上で入力してください。",
    "Field must be at least %(min)d characters long.": "%(min)d文字以上で入力してください。",
    "Field cannot be longer than %(max)d character.": "%(max)d文字以内で入力してください。",
    "Field cannot be longer than %(max)d characters.": "%(max)d文字以内で入力してください。",
    "Field must be exactly %(max)d character long.": "%(max)d文字で入力してください。",
    "Field must be exactly %(max)d characters long.": "%(max)d文字で入力してください。",
    "Field must be between %(min)d and %(max)d characters long.": "%(min)d〜%(max)d文字で入力してください。",
    "Number must be at least %(min)s.": "%(min)s以上の数を入力してください。",
    "Number must be at most %(max)s.": "%(max)s以下の数を入力してください。",
    "Number must be between %(min)s and %(max)s.": "%(min)s〜%(max)sの数を入力してください。",
    "Date must be at least %(min)s.": "%(min)s以降の日付を入力してください。",
    "Date must be at most %(max)s.": "%(max)sまでの日付を入力してください。",
    "Date must be between %(min)s and %(max)s.": "%(min)s〜%(max)sの日付を入力してください。",
    "This field is required.": "入力してください。",
    "Invalid input.": "入力内容が正しくありません。",
    "Invalid email address.": "メールアドレスの形式が正しくありません。",
    "Invalid IP address.": "IPアドレスの形式が正しくありません。",
    "Invalid Mac address.": "MACアドレスの形式が正しくありません。",
    "Invalid URL.": "URLの形式が正しくありません。",
    "Invalid UUID.": "UUIDの形式が正しくありません。",
    "Invalid value, must be one of: %(values)s.": "次のいずれかを入力してください: %(values)s。",
    "Invalid value, can't be any of: %(values)s.": "次の値は使えません: %(values)s。",
    "This field cannot be edited.": "この項目は変更できません。",
    "This field is disabled and cannot have a value.": "この項目には入力できません。",
    "Invalid CSRF Token.": "画面の有効期限が切れました。もう一度開き直してください。",
    "CSRF token missing.": "画面の有効期限が切れました。もう一度開き直してください。",
    "CSRF failed.": "画面の有効期限が切れました。もう一度開き直してください。",
    "CSRF token expired.": "画面の有効期限が切れました。もう一度開き直してください。",
    "The CSRF token is missing.": "画面の有効期限が切れました。もう一度開き直してください。",
    "The CSRF session token is missing.": "画面の有効期限が切れました。もう一度開き直してください。",
    "The CSRF token has expired.": "画面の有効期限が切れました。もう一度開き直してください。",
    "The CSRF token is invalid.": "画面の有効期限が切れました。もう一度開き直してください。",
    "The CSRF tokens do not match.": "画面の有効期限が切れました。もう一度開き直してください。",
    "Invalid Choice: could not coerce.": "選択肢から選んでください。",
    "Choices cannot be None.": "選択肢から選んでください。",
    "Not a valid choice.": "選択肢が正しくありません。",
    "Invalid choice(s): one or more data inputs could not be coerced.": "選択肢から選んでください。",
    "'%(value)s' is not a valid choice for this field.": "選択肢から選んでください。",
    "'%(value)s' are not valid choices for this field.": "選択肢から選んでください。",
    "Not a valid datetime value.": "日時の形式が正しくありません。",
    "Not a valid date value.": f"日付として読めません（{DATE_HINT}）",
    "Not a valid time value.": "時刻の形式が正しくありません。",
    "Not a valid week value.": "週の形式が正しくありません。",
    "Not a valid integer value.": "整数を入力してください。",
    "Not a valid decimal value.": "数値を入力してください。",
    "Not a valid float value.": "数値を入力してください。",
    "File does not have an approved extension.": "この種類のファイルは受け付けていません。",
}


def _japanese(text: str) -> str:
    return text if not text.isascii() else FALLBACK


class JapaneseTranslations:
    """gettext/ngettext for WTForms: our Japanese for each known message, never English."""

    def gettext(self, string):
        return MESSAGES.get(str(string)) or _japanese(str(string))

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


TRANSLATIONS = JapaneseTranslations()


def japanese_message(message) -> str:
    """An error message as a user is shown it: Japanese as written, English ones translated."""
    text = str(message)
    return MESSAGES.get(text) or _japanese(text)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


class _SaidOnce:
    """A value that could not be read is said once (by process_formdata): the validators that
    would add "0以上…" or "入力してください" about the same value are skipped."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        super().pre_validate(form)


def _normalised_number(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text[:64]).replace(",", "").strip()


class IntegerField(_SaidOnce, wtf_fields.IntegerField):
    """An integer that fits the columns (-2^31 … 2^31-1; a form's NumberRange narrows it and
    speaks for it); full-width digits and thousands commas are read. Anything else is refused
    in Japanese beside the field."""

    def __init__(self, label=None, validators=None, *, min=INT_MIN, max=INT_MAX, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.min, self.max = min, max
        self.render_kw = {"inputmode": "numeric", **(self.render_kw or {})}

    def process_formdata(self, valuelist):
        text = _typed_number(self, valuelist)
        if text is None:
            return
        sign, digits = (text[0], text[1:]) if text[0] in "+-" else ("", text)
        if not digits.isascii() or not digits.isdigit():
            self.data = None
            raise ValueError("整数を入力してください。")
        value = int(sign + digits) if len(digits) <= 12 else (-1 if sign == "-" else 1) * 10**13
        if value > self.max:
            self.data = None
            raise ValueError(f"{self.max:,}以下の整数を入力してください。")
        if value < self.min:
            self.data = None
            raise ValueError(f"{self.min:,}以上の整数を入力してください。")
        self.data = value


def _typed_number(field, valuelist) -> str | None:
    """What was typed in a number field, folded (_normalised_number); None when nothing was
    (a blank box empties the field's data)."""
    if not valuelist:
        return None
    text = _normalised_number(valuelist[0] or "")
    if not text:
        field.data = None
        return None
    return text


class DecimalField(_SaidOnce, wtf_fields.DecimalField):
    """A finite decimal (no NaN, no Infinity, no exponent) within ±max."""

    def __init__(self, label=None, validators=None, *, max_abs=10**9, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_abs = max_abs
        self.render_kw = {"inputmode": "decimal", **(self.render_kw or {})}

    def process_formdata(self, valuelist):
        text = _typed_number(self, valuelist)
        if text is None:
            return
        try:
            value = decimal.Decimal(text)
        except (decimal.InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or "e" in text.lower() or not text.isascii():
            self.data = None
            raise ValueError("数値を入力してください。")
        if abs(value) > self.max_abs:
            self.data = None
            raise ValueError(f"{self.max_abs:,}以下の数値を入力してください。")
        self.data = value


def id_value(value):
    """Coerce of a select of record ids: None for the blank option, ValueError for anything that
    is not an id a record can have (so 2^64 is 'not a choice', never an overflow)."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text) > 10:
            raise ValueError("選択肢から選んでください。")
        number = int(text)
    if not 0 <= number <= ID_MAX:
        raise ValueError("選択肢から選んでください。")
    return number


def record_id(text) -> int | None:
    """An id typed or passed in a query string (?client_id=): the id, or None when it cannot be one."""
    try:
        return id_value(text)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


class DateInput(widgets.TextInput):
    """A text input for a date; casework.js adds a calendar button beside it (data-date)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("inputmode", "text")
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("placeholder", "2024-04-01")
        kwargs.setdefault("data-date", "")
        kwargs.setdefault("maxlength", 20)
        kwargs.setdefault("size", 12)
        return super().__call__(field, **kwargs)


class DateField(_SaidOnce, wtf_fields.StringField):
    """The one date field: typed as 2024-04-01, 2024/4/1, R6.4.1 or 令和6年4月1日 (full-width digits
    too), between 1900-01-01 and a few years ahead; past_only for things that happened.
    `.data` is a datetime.date or None; a wrong value is shown as typed, with the reason."""
    widget = DateInput()

    def __init__(self, label=None, validators=None, *, past_only=False, **kwargs):
        kwargs.setdefault("description", DATE_HINT)
        super().__init__(label, validators, **kwargs)
        self.past_only = past_only

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""

    def process_data(self, value):
        self.data = value if value else None

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "") or ""
        if text.strip():
            day = read_date(text)  # DateError (a ValueError): shown beside the field
            today = today_jst()
            if self.past_only and day > today:
                raise ValueError(f"{self.label.text}が未来の日付です（今日は{today:%Y-%m-%d}です）。")
            self.data = check_date_range(day, today=today)


# ---------------------------------------------------------------------------------------------
# Names and text
# ---------------------------------------------------------------------------------------------


class NameField(_SaidOnce, wtf_fields.StringField):
    """A name (of a client, a person, a center…): NFC, bidi and invisible controls dropped,
    spaces collapsed; a name without any visible character is refused."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data:
            try:
                self.data = clean_name(self.data)
            except NameRefused as exc:
                self.data = ""
                raise ValueError(str(exc)) from None


class TextField(wtf_fields.StringField):
    """One line of text: control characters (NUL…) and bidi overrides dropped."""

    def process_formdata(self, valuelist):
        from ..textnorm import clean_text

        super().process_formdata(valuelist)
        if self.data:
            self.data = clean_text(self.data, multiline=False)


class TextAreaField(wtf_fields.TextAreaField):
    """Free text: control characters other than newlines and tabs dropped."""

    def process_formdata(self, valuelist):
        from ..textnorm import clean_text

        super().process_formdata(valuelist)
        if self.data:
            self.data = clean_text(self.data, multiline=True)

