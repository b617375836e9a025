from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import get_client_or_404, get_in_center_or_404
from ...dates import today_jst
from ...models import Case
from ...services import cases as case_service
from ...services.voiding import may_void
from ..forms_common import keyset_page
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import CaseFilterForm, CaseForm, CloseForm, ReopenForm


@bp.route("/")
def index():
    filters = CaseFilterForm(current_user)
    filters.checked()
    page = keyset_page(case_service.case_list_rows(current_user, filters.case_filter()), [Case.opened_on, Case.id],
                       rows=True)
    page.items = case_service.CaseRow.of_page(page.items)
    return render_template("cases/index.html", page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
def new():
    client_id = request.args.get("client_id", type=int)
    if client_id is None:
        flash("案件を開始する相談先を選んでください。", "info")
        return redirect(url_for("clients.index"))
    client = get_client_or_404(current_user, client_id)
    form = CaseForm(current_user)
    if request.method == "GET":
        home = current_user.home_center
        form.center_id.data = home.id if home else None
        form.assignee_id.data = current_user.id
        form.opened_on.data = today_jst()
        form.fill_program(current_user)
    submission = Submission(form)
    if submission.valid():
        with submission:
            case = case_service.open_case(client, form.case_data(), by=current_user)
            flash(f"「{client.name}」の案件を{case.center.name}で開始しました。", "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, client=client, case=None), submission.status


@bp.route("/<int:case_id>")
def detail(case_id):
    return _detail_page(get_in_center_or_404(current_user, Case, case_id))


def _detail_page(case, status=200):
    shown = case_service.case_page(current_user, case)  # a confidential case's view is noted for the audit log
    return render_template("cases/detail.html", case=case, reopen_form=ReopenForm(obj=case),
                           may_void=may_void(current_user, case), **shown), status


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id):
    case = get_in_center_or_404(current_user, Case, case_id)
    form = CaseForm(current_user, obj=case)
    del form.center_id  # a case stays at the center it was opened at
    if request.method == "GET":
        form.theme_codes.data = [t.code for t in case.themes]
    submission = Submission(form)
    if submission.valid():
        with submission:
            case_service.update_case(case, form.case_data(case.center_id), expected_version=form.expected_version(),
                                     by=current_user)
            flash("案件を更新しました。", "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, client=case.client, case=case,
                           stale=submission.stale), submission.status


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
def close(case_id):
    case = get_in_center_or_404(current_user, Case, case_id)
    if not case.is_open:
        flash("この案件は既に終了しています。", "info")
        return redirect(url_for("cases.detail", case_id=case.id))
    form = CloseForm(obj=case)
    if request.method == "GET":
        form.closed_on.data = today_jst()
    submission = Submission(form)
    if submission.valid():
        with submission:
            case_service.close_case(case, closed_on=form.closed_on.data, outcome_code=form.outcome_code.data or None,
                                    outcome_on=form.outcome_on.data, note=form.note.data,
                                    expected_version=form.expected_version(), by=current_user)
            label = f"（成果：{case.outcome.label}）" if case.outcome else ""
            flash(f"案件を終了しました{label}。", "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/close.html", form=form, case=case, stale=submission.stale), submission.status


@bp.route("/<int:case_id>/reopen", methods=["POST"])
def reopen(case_id):
    case = get_in_center_or_404(current_user, Case, case_id)
    submission = Submission(ReopenForm(), notice=False)
    if submission.valid():
        with submission:
            case_service.reopen_case(case, expected_version=submission.form.expected_version(), by=current_user)
            flash("案件を再開しました。", "success")
        if submission.error is not None:
            return _detail_page(case, submission.status)
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.route("/<int:case_id>/void", methods=["GET", "POST"])
def void(case_id):
    case = get_in_center_or_404(current_user, Case, case_id)
    return void_page(case, void=case_service.void_case, subject=case.client.name,
                     detail=f"{case.center.name} {case.opened_on:%Y-%m-%d}", back=url_for("cases.detail", case_id=case.id),
                     done=url_for("cases.index"), message=f"「{case.client.name}」の案件を取り消しました。",
                     notes=("この案件の相談記録・派遣などは取り消されません（別の案件へ移すか、個別に取り消してください）。",))
