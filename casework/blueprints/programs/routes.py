"""Admin: programs (事業) and their vocabularies — add, edit, deactivate."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...models import PROGRAM_RECORD_KINDS, PROGRAM_TERM_KINDS, Program, ProgramTerm
from ...services import programs as program_service
from ..forms_common import VersionedForm
from ..records import form_page, record_url
from . import bp
from .forms import ProgramForm, TermForm


def _program(program_id) -> Program:
    program = db.session.get(Program, program_id)
    if program is None:
        abort(404)
    return program


@bp.route("/")
def index():
    return render_template("programs/index.html", programs=program_service.list_programs(),
                           kinds=PROGRAM_RECORD_KINDS)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ProgramForm(current_user)
    if request.method == "GET":
        form.center_id.data = request.args.get("center_id", type=int)
    return form_page(form, "programs/form.html", lambda: program_service.create_program(form.program_data(), by=current_user),
                     message=lambda p: f"事業「{p.name}」を追加しました。", done=record_url, program=None)


def _detail_context(program: Program, **forms) -> dict:
    return dict(program=program, kinds=PROGRAM_TERM_KINDS, record_kinds=PROGRAM_RECORD_KINDS, **forms)


@bp.route("/<int:program_id>")
def detail(program_id):
    program = _program(program_id)
    toggle = VersionedForm(formdata=None)
    toggle.version.data = program.version
    return render_template("programs/detail.html", **_detail_context(program, term_form=TermForm(formdata=None),
                                                                      toggle=toggle))


@bp.route("/<int:program_id>/edit", methods=["GET", "POST"])
def edit(program_id):
    program = _program(program_id)
    form = ProgramForm(current_user, obj=program)
    if request.method == "GET":
        form.default_for.data = sorted(program.default_kinds())
    return form_page(form, "programs/form.html", lambda: program_service.update_program(
        program, form.program_data(), expected_version=form.expected_version(), by=current_user),
        message=lambda p: f"事業「{p.name}」を保存しました。", done=record_url, program=program)


@bp.route("/<int:program_id>/active", methods=["POST"])
def set_active(program_id):
    program = _program(program_id)
    form = VersionedForm()
    active = request.form.get("active") == "1"
    if not form.validate_on_submit():
        return redirect(record_url(program))
    shown = "入力画面に表示するようにしました" if active else "使用停止にしました（記録と集計は残ります）"
    return form_page(form, "programs/detail.html", lambda: program_service.set_program_active(
        program, active, expected_version=form.expected_version(), by=current_user),
        message=f"事業「{program.name}」を{shown}。", done=record_url(program),
        **_detail_context(program, term_form=TermForm(formdata=None), toggle=form))


@bp.route("/<int:program_id>/terms/new", methods=["POST"])
def new_term(program_id):
    program = _program(program_id)
    form = TermForm()
    return form_page(form, "programs/detail.html", lambda: program_service.create_term(
        program, form.term_data(), by=current_user), invalid=422,
        message=lambda term: f"{PROGRAM_TERM_KINDS[term.kind]}「{term.label}」を追加しました。", done=record_url(program),
        **_detail_context(program, term_form=form, toggle=VersionedForm()))


@bp.route("/terms/<int:term_id>/edit", methods=["GET", "POST"])
def edit_term(term_id):
    term = db.session.get(ProgramTerm, term_id)
    if term is None:
        abort(404)
    form = TermForm(obj=term)
    return form_page(form, "programs/term_form.html", lambda: program_service.update_term(
        term, form.term_data(), expected_version=form.expected_version(), by=current_user),
        message=lambda t: f"「{t.label}」を保存しました。", done=url_for("programs.detail", program_id=term.program_id), term=term)
