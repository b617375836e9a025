"""409 pages show what changed, with the field labels, on every edit page (succession profiles
showed nothing): one display (templates/_macros/forms.html stale_notice / form_errors, fed by
forms_common.stale_rows) used by every edit form."""
import pytest
from sqlalchemy import update

from casework.extensions import db

from .conftest import text_of
from .test_locking import MODELS, STALE_MESSAGE, FormFields, _edit_rules, world_as_admin
from .test_route_matrix import _int_args

THEIRS = "他の職員が保存した内容"
TEXT_FIELDS = ["name", "title", "summary", "reasons", "notes", "note", "findings", "place", "organisation",
               "address", "specialties", "report_title"]
EXTRA = {"cases.close": "case_id", "followups.detail": "followup_id"}  # versioned forms not named …edit


def _pages(app):
    rules = _edit_rules(app) + [r for r in app.url_map.iter_rules() if r.endpoint in EXTRA]
    return [(r, (_int_args(r) or [EXTRA.get(r.endpoint)])[0]) for r in rules]


@pytest.mark.parametrize("code", ["onestop", "succession"])
def test_every_edit_pages_409_lists_the_changed_fields_by_label(app, code):
    w, client = world_as_admin(app)
    problems, checked = [], 0
    for rule, param in _pages(app):
        record_id = w.ids[code].get(param) or w.globals.get(param)
        model = MODELS.get(param)
        if record_id is None or model is None:
            continue
        url = rule.build({param: record_id})[1]
        page = client.get(url)
        parser = FormFields()
        parser.feed(page.get_data(as_text=True))
        form = parser.versioned_form()
        if page.status_code != 200 or form is None:
            continue  # a closed case has no close form, …: test_locking checks the edit pages exist
        fields = dict(form)
        table = model.__table__
        text_columns = [c for c in TEXT_FIELDS if c in fields and c in table.columns]
        if not text_columns:
            continue  # (closing a case: dates and choices only) test_locking covers its 409
        column = text_columns[0]
        # someone else saves a change to that field meanwhile
        db.session.execute(update(table).where(table.c.id == record_id)
                           .values({column: THEIRS, "version": table.c.version + 1}))
        db.session.commit()
        fields[column] = fields[column] or "わたしの入力"
        response = client.post(url, data=fields)
        checked += 1
        body = text_of(response)
        if response.status_code != 409 or STALE_MESSAGE not in body:
            problems.append(f"{url}: stale save answered {response.status_code} without the stale message")
            continue
        if "変更された項目" not in body or THEIRS not in body:
            problems.append(f"{url}: the 409 page does not show what changed ({column})")
            continue
        label = _label_of(response.get_data(as_text=True), column)
        row = body[body.index("変更された項目"):]
        if label is None or label not in row[:400]:
            problems.append(f"{url}: the change of {column} is not named by its label {label!r}")
        if body.count(STALE_MESSAGE) != 1:
            problems.append(f"{url}: the refusal is shown {body.count(STALE_MESSAGE)} times")
    assert checked >= 5
    assert not problems, "\n".join(problems)


def _label_of(html, name):
    import re

    m = re.search(rf'<label for="{name}">([^<]+)</label>', html)
    return m.group(1).strip() if m else None
