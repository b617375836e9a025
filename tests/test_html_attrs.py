"""casework/blueprints/html_attrs.py renders attributes exactly as WTForms' own html_params."""
import pytest
from markupsafe import Markup

from casework.blueprints import html_attrs

CASES = [
    {}, {"name": "q", "id": "q", "value": "株式会社 <script>\"&'"}, {"checked": True, "readonly": False, "name": "x"},
    {"class_": "text", "for_": "f", "data_date": "", "aria_invalid": "true", "aria_describedby": None},
    {"value": 3, "selected": True}, {"value": Markup('a"b<i>')}, {"maxlength": 20, "size": 12, "placeholder": "2024-04-01"},
    {"autofocus": True, "type": "search", "placeholder": "相談先の名称・フリガナ"}, {"value": 0}, {"value": 1.5},
]


@pytest.mark.parametrize("kwargs", CASES)
def test_same_text_as_wtforms(kwargs):
    mine, theirs = html_attrs.html_params(**kwargs), html_attrs.wtforms_html_params(**kwargs)
    assert mine == theirs and isinstance(mine, Markup)


def test_installed_for_the_widgets():
    from wtforms.widgets import core

    import casework.blueprints.fields  # noqa: F401  (installs it)

    assert core.html_params is html_attrs.html_params
