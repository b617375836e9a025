"""The screens the program record kinds share (registrations, introductions, grants, case
milestones, event attendance, and the programs admin's forms), written once:

- `record_views(bp, Model, "registration", …)` adds a kind's list (`index`: filters, search,
  pages), its record page (`detail`) and its void page (`void`), with the endpoint names, URLs
  and templates (`<blueprint>/index.html`, `<blueprint>/detail.html`) every kind uses;
- `form_page(form, template, save, …)` is a new or edit form handed to its service through
  saving.Submission: an invalid form is shown again (200), a service's DomainError beside its
  field (422), a stale version 409; the request then writes nothing (casework/unit_of_work.py);
- `preselect_program` / `prefill_client` are how a new record's form starts.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user, login_required

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


def record_views(bp, model, name: str, *, filters=None, query=None, detail: bool = True, void=None, describe=None):
    """Add the kind's `index` (`/`, when `filters` and `query` are given), `detail`
    (`/<int:NAME_id>`) and `void` (`/<int:NAME_id>/void`, when `void` — the service — is given;
    `describe(record)` gives void_page its subject, detail, back, done and message)."""
    key = f"{name}_id"
    if filters is not None:
        def index():
            return list_page(f"{bp.name}/index.html", filters(current_user), query)
        bp.add_url_rule("/", "index", login_required(index))
    if detail:
        def show(**ids):
            return render_template(f"{bp.name}/detail.html", **{name: load(current_user, model, ids[key])})
        bp.add_url_rule(f"/<int:{key}>", "detail", login_required(show))
    if void is not None:
        def void_view(**ids):
            record = load(current_user, model, ids[key])
            return void_page(record, void=void, **describe(record))
        bp.add_url_rule(f"/<int:{key}>/void", "void", login_required(void_view), methods=["GET", "POST"])


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
