"""Forms speak one language: every form class of the app, filled with bad values, rendered as a
user sees it, says what is wrong in Japanese beside each field, all at once."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import fields as wtf_fields

import casework.blueprints as blueprints
from casework.blueprints import fields as ours

# Words that may appear in a Japanese message (formats, abbreviations).
ALLOWED_WORDS = {"YYYY", "CSV", "ID", "URL", "IP", "MAC", "UUID", "MM", "DD"}
BAD_ROUNDS = [
    "",  # required fields
    "zz",  # not a date, not a number, not a choice, not an email
    "9" * 20,  # 20 digits
    "x" * 5000,  # too long
    "R6.5.1x",
    "0001-01-01",
    "9999-12-31",
    "\u200b",
    "\u202e\u202e",
    "NaN",
    "a\x00b",
    "not an email@",
]


def all_form_classes():
    """Every form class defined by the app's blueprints (forms.py modules and the rest)."""
    for info in pkgutil.walk_packages(blueprints.__path__, blueprints.__name__ + "."):
        importlib.import_module(info.name)
    seen, out = set(), []
    stack = [FlaskForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                if sub.__module__.startswith("casework."):
                    out.append(sub)
    return sorted(out, key=lambda c: (c.__module__, c.__name__))


def _english(message: str, typed: str = "") -> list[str]:
    """English words of a message, leaving out what the user typed (quoted back to them)."""
    for shown in (typed, typed.replace("\x00", "")):
        if shown:
            message = message.replace(shown[:40], "")
    return [w for w in re.findall(r"[A-Za-z]{2,}", message) if w not in ALLOWED_WORDS]


def _build(cls, formdata, user, client, records=None):
    args = []
    for name, param in list(inspect.signature(cls.__init__).parameters.items())[1:]:
        if param.kind is not param.POSITIONAL_OR_KEYWORD or param.default is not param.empty:
            break
        args.append({"user": user, "client": client, **(records or {})}.get(name))
    if issubclass(cls, blueprints.forms_common.FilterForm):
        return cls(*args)  # reads request.args
    return cls(*args, formdata=formdata)


def _fields(cls, user, client, records=None):
    with_formdata = _build(cls, MultiDict(), user, client, records)
    return [f for f in with_formdata if f.type not in ("CSRFTokenField", "SubmitField")]


TEMPLATE = """{% from "_macros/forms.html" import field, checkboxes, form_errors %}{{ form_errors(form) }}
{% for f in form %}{% if f.type in ('MultiCheckboxField',) %}{{ checkboxes(f) }}{% elif f.type not in ('CSRFTokenField', 'HiddenField', 'SubmitField') %}{{ field(f) }}{% endif %}{% endfor %}"""


def test_there_are_forms_to_check():
    names = {c.__name__ for c in all_form_classes()}
    assert {"ClientForm", "ConsultationForm", "DispatchRequestForm", "ReferralForm", "StepForm", "VoidForm",
            "CaseFilterForm", "UserForm", "GrantDecisionForm", "AuditSearchForm"} <= names


def test_every_form_uses_the_apps_own_fields_and_japanese_base():
    """No form reaches for WTForms' DateField/IntegerField/DecimalField or a plain FlaskForm."""
    wrong = []
    for cls in all_form_classes():
        if not issubclass(cls, blueprints.forms_common.JapaneseForm):
            wrong.append(f"{cls.__name__} is not a JapaneseForm")
        for name, unbound in vars(cls).items():
            kind = getattr(unbound, "field_class", None)
            if kind in (wtf_fields.DateField, wtf_fields.DateTimeField, wtf_fields.IntegerField,
                        wtf_fields.DecimalField, wtf_fields.FloatField):
                wrong.append(f"{cls.__name__}.{name} is WTForms' {kind.__name__}")
            if kind is not None and issubclass(kind, wtf_fields.SelectFieldBase):
                coerce = unbound.kwargs.get("coerce")
                if coerce is int:
                    wrong.append(f"{cls.__name__}.{name} coerces with int (unbounded)")
    assert not wrong, wrong


@pytest.mark.parametrize("bad", BAD_ROUNDS, ids=lambda v: repr(v[:12]))
def test_every_form_with_bad_values_says_so_in_japanese_beside_each_field(app, make, bad):
    user = make.user("boss", role="admin")
    client = make.client("八戸水産株式会社")
    records = {"event": make.event(), "case": make.case(client)}  # forms built for their record (programs)
    english, crashed, checked = [], [], 0
    for cls in all_form_classes():
        with app.test_request_context("/", query_string={"x": "1"}):
            names = [f.name for f in _fields(cls, user, client, records)]
        data = MultiDict([(n, bad) for n in names])
        with app.test_request_context("/", method="POST", data=data, query_string=data):
            from flask_login import login_user

            login_user(user)
            try:
                form = _build(cls, None, user, client, records)
                form.validate()
                html = render_template_string(TEMPLATE, form=form)
            except Exception as exc:  # a form must refuse, never raise
                crashed.append(f"{cls.__name__}: {exc!r}"[:300])
                continue
            for f in form:
                for message in f.errors:
                    checked += 1
                    if _english(str(message), bad):
                        english.append(f"{cls.__name__}.{f.name}: {message}")
                    assert str(message) in html.replace("&#39;", "'").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"') or "&" in str(message)
    assert not crashed, crashed
    assert not english, english
    assert checked > 0


def test_all_errors_are_listed_at_the_top_and_shown_beside_each_field(app, client, make):
    from tests.conftest import text_of

    user = make.user("boss", role="admin")
    client.post("/auth/login", data={"login": user.login, "password": make.PASSWORD})
    response = client.post("/clients/new", data={"kind": "corporation", "name": "\u200b", "employees": "9" * 20,
                                                 "corporate_number": "123", "contact_email": "not-an-email"})
    assert response.status_code in (200, 422)
    html = response.get_data(as_text=True)
    text = text_of(response)
    assert "入力内容を確認してください（4件）" in text
    for label, message in [("名称（企業名・氏名）", "名前に表示できる文字がありません。"),
                           ("従業員数", "2,147,483,647以下の整数を入力してください。"),
                           ("法人番号（13桁）", "法人番号は13桁の数字です。"),
                           ("メール", "メールアドレスの形式が正しくありません。")]:
        assert f"{label}：{message}" in text  # in the summary, linking to the field
        assert html.count(message) == 2  # and beside the field
    # the first field in error is marked for casework.js to focus
    first = re.search(r'<(input|select|textarea)[^>]*aria-invalid="true"[^>]*>', html).group(0)
    assert 'name="name"' in first
    assert 'src="/static/casework.js' in html and "<script>" not in html


def test_the_focus_script_is_served_by_the_app(client):
    js = client.get("/static/casework.js").get_data(as_text=True)
    assert 'aria-invalid="true"' in js and "focus()" in js and "data-date" in js


def test_date_fields_are_text_inputs_with_a_hint(app, client, make):
    user = make.user("boss", role="admin")
    client.post("/auth/login", data={"login": user.login, "password": make.PASSWORD})
    k = make.case(make.client("八戸水産株式会社"))
    for url in ["/cases/new?client_id=%d" % k.client_id, f"/cases/{k.id}/close"]:
        html = client.get(url).get_data(as_text=True)
        assert 'type="date"' not in html
        assert re.search(r'<input[^>]*data-date[^>]*type="text"|<input[^>]*type="text"[^>]*data-date', html)
        assert "例: 2024-04-01、2024/4/1、R6.4.1、令和6年4月1日" in html


def test_japanese_translations_never_fall_back_to_english():
    t = ours.TRANSLATIONS
    assert t.gettext("Not a valid date value.").startswith("日付として読めません")
    assert t.gettext("Some future WTForms message.") == "入力内容が正しくありません。"
    assert "文字以内" in t.ngettext("Field cannot be longer than %(max)d character.",
                                   "Field cannot be longer than %(max)d characters.", 3)
