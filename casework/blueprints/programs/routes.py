"""Admin: programs (事業) and their vocabularies — add, edit, deactivate."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...extensions import db
from ...models import PROGRAM_RECORD_KINDS, PROGRAM_TERM_KINDS, Program, ProgramTerm
from ...services import programs as program_service
from ..forms_common import VersionedForm
from ..program_forms import save
from . import bp
from .forms import ProgramForm, TermForm


def _program(program_id) -> Program:
    program = db.session.get(Program, program_id)
    if program is None:
        abort(404)
    return program


@bp.route("/")
@login_required
def index():
    return render_template("programs/index.html", programs=program_service.list_programs(),
                           kinds=PROGRAM_RECORD_KINDS)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = ProgramForm(current_user)
    if request.method == "GET":
        form.center_id.data = request.args.get("center_id", type=int)
    if form.validate_on_submit():
        program, failed = save(form, "programs/form.html", lambda: program_service.create_program(
            form.program_data(), by=current_user), program=None)
        if failed:
            return failed
        flash(f"事業「{program.name}」を追加しました。", "success")
        return redirect(url_for("programs.detail", program_id=program.id))
    return render_template("programs/form.html", form=form, program=None)


@bp.route("/<int:program_id>")
@login_required
def detail(program_id):
    program = _program(program_id)
    form = TermForm(formdata=None)
    toggle = VersionedForm(formdata=None)
    toggle.version.data = program.version
    return render_template("programs/detail.html", program=program, term_form=form, toggle=toggle,
                           kinds=PROGRAM_TERM_KINDS, record_kinds=PROGRAM_RECORD_KINDS)


@bp.route("/<int:program_id>/edit", methods=["GET", "POST"])
@login_required
def edit(program_id):
    program = _program(program_id)
    form = ProgramForm(current_user, obj=program)
    if request.method == "GET":
        form.default_for.data = sorted(program.default_kinds())
    if form.validate_on_submit():
        _done, failed = save(form, "programs/form.html", lambda: program_service.update_program(
            program, form.program_data(), expected_version=form.expected_version(), by=current_user), program=program)
        if failed:
            return failed
        flash(f"事業「{program.name}」を保存しました。", "success")
        return redirect(url_for("programs.detail", program_id=program.id))
    return render_template("programs/form.html", form=form, program=program)


@bp.route("/<int:program_id>/active", methods=["POST"])
@login_required
def set_active(program_id):
    program = _program(program_id)
    form = VersionedForm()
    active = request.form.get("active") == "1"
    if form.validate_on_submit():
        _done, failed = save(form, "programs/detail.html", lambda: program_service.set_program_active(
            program, active, expected_version=form.expected_version(), by=current_user),
            program=program, term_form=TermForm(formdata=None), toggle=form, kinds=PROGRAM_TERM_KINDS,
            record_kinds=PROGRAM_RECORD_KINDS)
        if failed:
            return failed
        flash(f"事業「{program.name}」を{'入力画面に表示するようにしました' if active else '使用停止にしました（記録と集計は残ります）'}。",
              "success")
    return redirect(url_for("programs.detail", program_id=program.id))


@bp.route("/<int:program_id>/terms/new", methods=["POST"])
@login_required
def new_term(program_id):
    program = _program(program_id)
    form = TermForm()
    context = dict(program=program, toggle=VersionedForm(), kinds=PROGRAM_TERM_KINDS, record_kinds=PROGRAM_RECORD_KINDS)
    if form.validate_on_submit():
        term, failed = save(form, "programs/detail.html", lambda: program_service.create_term(
            program, form.term_data(), by=current_user), term_form=form, **context)
        if failed:
            return failed
        flash(f"{PROGRAM_TERM_KINDS[term.kind]}「{term.label}」を追加しました。", "success")
        return redirect(url_for("programs.detail", program_id=program.id))
    return render_template("programs/detail.html", term_form=form, **context), 422


@bp.route("/terms/<int:term_id>/edit", methods=["GET", "POST"])
@login_required
def edit_term(term_id):
    term = db.session.get(ProgramTerm, term_id)
    if term is None:
        abort(404)
    form = TermForm(obj=term)
    if form.validate_on_submit():
        _done, failed = save(form, "programs/term_form.html", lambda: program_service.update_term(
            term, form.term_data(), expected_version=form.expected_version(), by=current_user), term=term)
        if failed:
            return failed
        flash(f"「{term.label}」を保存しました。", "success")
        return redirect(url_for("programs.detail", program_id=term.program_id))
    return render_template("programs/term_form.html", form=form, term=term)
