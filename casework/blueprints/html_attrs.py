"""WTForms' html_params, the same text built without a Markup.format per attribute.

Every field of every page renders its attributes through wtforms.widgets.core.html_params; its
`Markup('{k}="{v}"').format(...)` runs string.Formatter once per attribute, a tenth of the case
list's CPU. This builds the same string (tests/test_html_attrs.py compares the two) and is
installed in WTForms' widgets module, which its widgets read it from.
"""
from markupsafe import Markup, escape
from wtforms.widgets import core

_QUOTE, _ENTITY = Markup('"'), Markup("&quot;")
wtforms_html_params = core.html_params


def html_params(**kwargs) -> Markup:
    params = []
    for key, value in sorted(kwargs.items()):
        key = core.clean_key(key)
        if value is True:
            params.append(escape(key))
        elif value is not False:
            params.append(f'{escape(key)}="{escape(value).replace(_QUOTE, _ENTITY)}"')
    return Markup(" ".join(params))


def install() -> None:
    core.html_params = html_params
