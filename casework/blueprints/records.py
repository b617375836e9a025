"""The screens the program record kinds share (registrations, introductions, grants, case
milestones, event attendance, and the programs admin's forms), written once:

- `record_views(bp, Model, "registration", …)` adds a kind's list (`index`: filters, search,
  pages), its new and edit forms (`new`, `edit`), its record page (`detail`) and its void page
  (`void`), with the endpoint names, URLs and templates (`<blueprint>/index.html`, `form.html`,
  `detail.html`) every kind uses;
- `form_page(form, template, save, …)` is a new or edit form handed to its service through
  saving.Submission: an invalid form is shown again (200), a service's DomainError beside its
  field (422), a stale version 409; the request then writes nothing (casework/unit_of_work.py);
- `preselect_program` / `prefill_client` are how a new record's form starts.
"""
from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..services.program_records import client_text, load
from .forms_common import paginate
from .saving import Submission
from .voiding import void_page


def list_page(template: str, filters, query, **context):
    """A filtered, paged list: invalid filters show beside their field and are ignored."""
    filters.checked()
    page = paginate(query(current_user, **filters.filters()))
    return render_template(template, page=page, filters=filters, **context)


def form_page(form, template: str, save, *, message, done, invalid: int = 200, **context):
    """GET shows the form; a valid POST runs `save()` (a service call returning the record),
    flashes `message` and redirects to `done` (either may be a function of the record)."""
    submission = Submission(form, invalid=invalid, rejected=422)
    if submission.valid():
        with submission:
            record = save()
            flash(message(record) if callable(message) else message, "success")
            return redirect(done(record) if callable(done) else done)
    return render_template(template, form=form, stale=submission.stale, **context), submission.status


def record_views(bp, model, name: str, *, filters=None, query=None, detail: bool = True, void=None, describe=None,
                 form=None, data=None, create=None, created=None, start=None, update=None, saved=None, on_edit=None):
    """Add a record kind's screens to its blueprint, each where its pieces are given:

    - `index` at `/`: the list, `filters(user)` (a FilterForm) narrowing `query(user, **filters)`;
    - `detail` at `/<int:NAME_id>`: the record page (`<blueprint>/detail.html`, the record as NAME);
    - `new` at `/new` and `edit` at `/<int:NAME_id>/edit`: `form(user, obj=, record=)` on
      `<blueprint>/form.html`, `start(form)` filling a new one on GET and `on_edit(form, record)`
      an edited one; a valid form goes to `create(data(form, None), by=)` or
      `update(record, data(form, record), expected_version=, by=)`, flashes `created(record)` or
      `saved` and shows the record;
    - `void` at `/<int:NAME_id>/void`: `void` is the service, `describe(record)` gives void_page
      its subject, detail and message (`back` and `done` are the record's page and the list
      when the kind has record pages).
    Login and permission are the table's (casework/permissions.py: the blueprint's base one)."""
    key = f"{name}_id"
    template = f"{bp.name}/form.html"
    if filters is not None:
        def index():
            return list_page(f"{bp.name}/index.html", filters(current_user), query)
        bp.add_url_rule("/", "index", index)
    if create is not None:
        def new():
            page_form = form(current_user)
            if request.method == "GET" and start is not None:
                start(page_form)
            return form_page(page_form, template, lambda: create(data(page_form, None), by=current_user),
                             message=created, done=record_url, **{name: None})
        bp.add_url_rule("/new", "new", new, methods=["GET", "POST"])
    if detail:
        def show(**ids):
            return render_template(f"{bp.name}/detail.html", **{name: load(current_user, model, ids[key])})
        bp.add_url_rule(f"/<int:{key}>", "detail", show)
    if update is not None:
        def edit(**ids):
            record = load(current_user, model, ids[key])
            page_form = form(current_user, obj=record, record=record)
            if request.method == "GET" and on_edit is not None:
                on_edit(page_form, record)
            return form_page(page_form, template, lambda: update(
                record, data(page_form, record), expected_version=page_form.expected_version(), by=current_user),
                message=saved, done=record_url, **{name: record})
        bp.add_url_rule(f"/<int:{key}>/edit", "edit", edit, methods=["GET", "POST"])
    if void is not None:
        def void_view(**ids):
            record = load(current_user, model, ids[key])
            text = describe(record)
            if detail:
                text = {"back": record_url(record), "done": url_for(f"{bp.name}.index"), **text}
            return void_page(record, void=void, **text)
        bp.add_url_rule(f"/<int:{key}>/void", "void", void_view, methods=["GET", "POST"])


def record_url(record) -> str:
    """A record's page: `<blueprint>.detail` with `<model>_id` (Registration -> registration_id)."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(record).__name__).lower()
    return url_for(f"{request.blueprint}.detail", **{f"{name}_id": record.id})


def preselect_program(field, *preferred) -> None:
    """A new record's program: the first preferred one offered, else the first offered."""
    offered = [v for v, _ in field.choices]
    field.data = next((p for p in preferred if p is not None and p in offered), offered[0] if offered else None)


def default_program_id(kind: str):
    from ..services.programs import user_default_program

    default = user_default_program(current_user, kind)
    return default.id if default is not None else None


def prefill_client(field) -> None:
    """A new record asked for from a client's page (?client_id=): that client, if visible."""
    client_id = request.args.get("client_id", type=int)
    if client_id:
        from ..access import get_client_or_404

        field.data = client_text(get_client_or_404(current_user, client_id))
