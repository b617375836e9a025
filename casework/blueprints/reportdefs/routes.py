"""Report definitions: sections and rows — add, edit, reorder, deactivate — and a preview of a
row's figures on real data before it is saved. The request's unit of work commits; a preview
or a form with errors writes nothing (unit_of_work.refuse)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ... import unit_of_work
from ...models import REPORT_AGGREGATIONS, REPORT_ROW_KINDS
from ...reporting.sources import FILTERS, SOURCES
from ...services import report_definitions as defs
from ...services.errors import DomainError
from ..forms_common import attach_error
from ..notifications.forms import ActionForm
from ..saving import Submission
from . import bp
from .forms import RowForm, SectionForm


def _section_or_404(section_id):
    section = defs.section_or_none(section_id)
    if section is None:
        abort(404)
    return section


def _row_or_404(row_id):
    row = defs.row_or_none(row_id)
    if row is None:
        abort(404)
    return row


@bp.route("/")
def index():
    return render_template("reportdefs/index.html", sections=defs.sections(), form=ActionForm(),
                           centers=dict(SectionForm().center_code.choices))


def _section_data(form) -> defs.SectionData:
    return defs.SectionData(title=form.title.data, number=form.number.data, center_code=form.center_code.data or None,
                            optional=bool(form.optional.data), note=form.note.data, active=bool(form.active.data),
                            project_year_offset=form.project_year_offset.data, split_by=form.split_by.data or None,
                            column_labels=form.column_labels.data)


@bp.route("/sections/new", methods=["GET", "POST"])
def section_new():
    form = SectionForm()
    submission = Submission(form)
    if submission.valid():
        with submission:
            section = defs.create_section(_section_data(form), by=current_user)
            flash(f"事業「{section.title}」を追加しました。続けて行を追加してください。", "success")
            return redirect(url_for("reportdefs.section", section_id=section.id))
    return render_template("reportdefs/section_form.html", form=form, section=None), submission.status


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
def section_edit(section_id):
    section = _section_or_404(section_id)
    form = SectionForm(obj=section)
    submission = Submission(form)
    if submission.valid():
        with submission:
            defs.update_section(section, _section_data(form), by=current_user, expected_version=form.expected_version())
            flash(f"事業「{section.title}」を保存しました。", "success")
            return redirect(url_for("reportdefs.section", section_id=section.id))
    return render_template("reportdefs/section_form.html", form=form, section=section,
                           stale=submission.stale), submission.status


@bp.route("/sections/<int:section_id>")
def section(section_id):
    section = _section_or_404(section_id)
    return render_template("reportdefs/section.html", section=section, form=ActionForm(), sources=SOURCES,
                           kinds=REPORT_ROW_KINDS, aggregations=REPORT_AGGREGATIONS,
                           centers=dict(SectionForm().center_code.choices))


def _checked_action():
    if not ActionForm().validate_on_submit():
        abort(400)


def _switched(record, what: str, back: str):
    """Switch a section or a row on or off, say so, and go back to the page that lists it."""
    defs.set_active(record, not record.active, by=current_user)
    flash(f"{what}を{'有効' if record.active else '無効'}にしました。", "success")
    return redirect(back)


@bp.route("/sections/<int:section_id>/move/<direction>", methods=["POST"])
def section_move(section_id, direction):
    _checked_action()
    defs.move(_section_or_404(section_id), -1 if direction == "up" else 1, by=current_user)
    return redirect(url_for("reportdefs.index"))


@bp.route("/sections/<int:section_id>/active", methods=["POST"])
def section_active(section_id):
    _checked_action()
    section = _section_or_404(section_id)
    return _switched(section, f"事業「{section.title}」", url_for("reportdefs.index"))


def _row_data(form) -> defs.RowData:
    return defs.RowData(
        label=form.label.data, source=form.source.data, kind=form.kind.data, center_code=form.center_code.data or None,
        program_code=form.program_code.data or None, channels=list(form.channels.data or []),
        event_kinds=list(form.event_kinds.data or []), outcome=form.outcome.data or None,
        decision=form.decision.data or None, activity=form.activity.data or None, category=form.category.data or None,
        side=form.side.data or None, aggregation=form.aggregation.data, sum_of=form.sum_of.data or None,
        unit=form.unit.data, cumulative_from=form.int_or_none("cumulative_from"),
        opening_as_of=form.int_or_none("opening_as_of"), opening_value=form.opening_value.data,
        combine_with=form.combine_with.data or None, breakdown_of=form.breakdown_of.data or None,
        breakdown_by=form.breakdown_by.data or None, list_columns=list(form.list_columns.data or []),
        list_headers=form.list_headers.data or None, active=bool(form.active.data))


def _row_page(form, section, row, preview=None, stale=None):
    return render_template("reportdefs/row_form.html", form=form, section=section, row=row, preview=preview,
                           stale=stale, filters=FILTERS,
                           term_fields=[n for n in ("activity", "category", "side") if len(getattr(form, n).choices) > 1])


def _handle_row_form(form, section, row):
    """Preview (nothing written) or save; the page again with errors otherwise."""
    submission = Submission(form)
    if not submission.valid():
        return _row_page(form, section, row), submission.status
    data = _row_data(form)
    if "preview" in request.form:
        unit_of_work.refuse()
        try:
            result = defs.preview_row(section, data, int(form.preview_fy.data), current_user, row)
        except DomainError as exc:
            attach_error(form, exc)
            return _row_page(form, section, row)
        return _row_page(form, section, row, preview=result)
    with submission:
        if row is None:
            row = defs.create_row(section, data, by=current_user)
        else:
            defs.update_row(row, data, by=current_user, expected_version=form.expected_version())
        flash(f"行「{row.label}」を保存しました。", "success")
        return redirect(url_for("reportdefs.section", section_id=section.id))
    return _row_page(form, section, row, stale=submission.stale), submission.status


@bp.route("/sections/<int:section_id>/rows/new", methods=["GET", "POST"])
def row_new(section_id):
    section = _section_or_404(section_id)
    form = RowForm(section=section)
    if request.method == "GET" and section.center_code:
        form.center_code.data = section.center_code
    return _handle_row_form(form, section, None)


@bp.route("/rows/<int:row_id>/edit", methods=["GET", "POST"])
def row_edit(row_id):
    row = _row_or_404(row_id)
    if request.method == "GET":
        data = defs.row_data_of(row)
        form = RowForm(section=row.section, row=row, data={
            **{k: v for k, v in vars(data).items() if v is not None},
            "cumulative_from": str(data.cumulative_from) if data.cumulative_from else "",
            "opening_as_of": str(data.opening_as_of) if data.opening_as_of else "", "version": row.version})
    else:
        form = RowForm(section=row.section, row=row)
    return _handle_row_form(form, row.section, row)


@bp.route("/rows/<int:row_id>/move/<direction>", methods=["POST"])
def row_move(row_id, direction):
    _checked_action()
    row = _row_or_404(row_id)
    defs.move(row, -1 if direction == "up" else 1, by=current_user)
    return redirect(url_for("reportdefs.section", section_id=row.section_id))


@bp.route("/rows/<int:row_id>/active", methods=["POST"])
def row_active(row_id):
    _checked_action()
    row = _row_or_404(row_id)
    return _switched(row, f"行「{row.label}」", url_for("reportdefs.section", section_id=row.section_id))
