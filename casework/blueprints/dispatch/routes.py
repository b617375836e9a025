"""Dispatches: list, request, decide, log visits, receive reports, fiscal-year figures."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import get_in_center_or_404
from ...dates import fiscal_year, today_jst
from ...extensions import db
from ...models import DISPATCH_STATUSES, Dispatch, DispatchVisit
from ...permissions import requires
from ...services import dispatch as service
from ..forms_common import paginate, record_id
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import DecisionForm, DispatchFilterForm, DispatchRequestForm, ReportForm, SimpleVersionForm, VisitForm


def _arg_int(name):
    value = request.args.get(name, "")
    return record_id(value)


def _load(dispatch_id) -> Dispatch:
    return get_in_center_or_404(current_user, Dispatch, dispatch_id)  # a confidential one's view is noted


@bp.route("/")
def index():
    filters = DispatchFilterForm(current_user)
    filters.checked()
    page = paginate(service.dispatch_list_query(current_user, filters.dispatch_filter()))
    counts = service.visit_counts([d.id for d in page.items])
    return render_template("dispatch/index.html", page=page, filters=filters, counts=counts, statuses=DISPATCH_STATUSES)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = DispatchRequestForm()
    cases = service.open_cases_for(current_user)
    form.case_id.choices = [(0, "（案件を選択）")] + [(k.id, f"{k.client.name}｜{k.center.name}｜{k.title or ''}") for k in cases]
    form.expert_id.choices = [(0, "（専門家を選択）")] + [
        (e.id, f"{e.name}（{e.organisation or ''}）{e.specialties or ''}")
        for e in db.session.scalars(service.expert_list_query(active_only=True))]
    form.program_id.choices = [(0, "（案件のセンターの事業）")] + [(p.id, p.name) for p in service.programs()]
    if request.method == "GET":
        form.case_id.data = _arg_int("case_id") or 0
        form.requested_on.data = today_jst()
    submission = Submission(form)
    if submission.valid():
        with submission:
            dispatch = service.request_dispatch(service.DispatchRequest(
                case_id=form.case_id.data, expert_id=form.expert_id.data, program_id=form.program_id.data or None,
                requested_on=form.requested_on.data, purpose=form.purpose.data,
                planned_visits=form.planned_visits.data), by=current_user)
            flash("専門家派遣を申請しました。統括責任者の承認を待っています。", "success")
            return redirect(url_for("dispatch.detail", dispatch_id=dispatch.id))
    return render_template("dispatch/new.html", form=form), submission.status


@bp.route("/<int:dispatch_id>")
def detail(dispatch_id):
    dispatch = _load(dispatch_id)
    return _detail_page(dispatch, DecisionForm(version=dispatch.version, decided_on=today_jst()))


def _detail_page(dispatch, decision, status=200):
    return render_template("dispatch/detail.html", dispatch=dispatch, visits=service.visits_of(dispatch),
                           decision=decision, report_form=ReportForm(received_on=today_jst()), statuses=DISPATCH_STATUSES,
                           today=today_jst()), status


@bp.route("/<int:dispatch_id>/decide", methods=["POST"])
@requires("dispatch.decide")
def decide(dispatch_id):
    dispatch = _load(dispatch_id)
    submission = Submission(DecisionForm(), invalid=422)
    if submission.valid():
        with submission:
            form = submission.form
            service.decide_dispatch(dispatch, approve=form.decision.data == "approve", decided_on=form.decided_on.data,
                                    note=form.note.data, expected_version=form.expected_version(), by=current_user)
            flash("派遣を承認しました。" if dispatch.status == "approved" else "派遣を却下しました。", "success")
            return redirect(url_for("dispatch.detail", dispatch_id=dispatch_id))
    return _detail_page(dispatch, submission.form, submission.status)


@bp.route("/<int:dispatch_id>/complete", methods=["POST"])
def complete(dispatch_id):
    dispatch = _load(dispatch_id)
    with Submission():
        service.complete_dispatch(dispatch, expected_version=SimpleVersionForm().expected_version(), by=current_user)
        flash("派遣を完了にしました。", "success")
    return redirect(url_for("dispatch.detail", dispatch_id=dispatch_id))


@bp.route("/<int:dispatch_id>/visits/new", methods=["GET", "POST"])
def visit_new(dispatch_id):
    dispatch = _load(dispatch_id)
    form = VisitForm()
    if request.method == "GET":
        form.held_on.data = today_jst()
        form.fee.data = dispatch.expert.fee_per_visit
    submission = Submission(form)
    if submission.valid():
        with submission:
            visit = service.log_visit(dispatch, service.VisitData(
                held_on=form.held_on.data, hours=float(form.hours.data) if form.hours.data is not None else None,
                fee=form.fee.data, company_share=form.company_share.data, notes=form.notes.data), by=current_user)
            flash(f"訪問を記録しました。企業負担 {visit.company_share:,}円、報告書の期限は {visit.report_due_on:%Y-%m-%d} です。",
                  "success")
            return redirect(url_for("dispatch.detail", dispatch_id=dispatch_id))
    return render_template("dispatch/visit_form.html", form=form, dispatch=dispatch), submission.status


@bp.route("/visits/<int:visit_id>/report", methods=["POST"])
def report(visit_id):
    visit = get_in_center_or_404(current_user, DispatchVisit, visit_id)
    form = ReportForm()
    if not Submission(form).valid():
        flash("報告書受領日を入力してください。", "danger")
        return redirect(url_for("dispatch.detail", dispatch_id=visit.dispatch_id)), 303
    with Submission():
        service.receive_report(visit, form.received_on.data, expected_version=form.expected_version(), by=current_user)
        attached = _attach_report(visit, form.report_file.data)
        flash("報告書の受領を記録しました。" + (f"ファイル「{attached.original_name}」を添付しました。" if attached else ""),
              "success")
    return redirect(url_for("dispatch.detail", dispatch_id=visit.dispatch_id))


def _attach_report(visit, upload):
    """The report file, if one was sent: a document of the dispatch, labelled with the visit."""
    if not upload or not upload.filename:
        return None
    from ...services.attachments import read_upload

    max_bytes = current_app.config["ATTACHMENT_MAX_BYTES"]
    return service.attach_report(visit, upload.filename, read_upload(upload.stream, max_bytes), by=current_user,
                                 max_bytes=max_bytes)


@bp.route("/<int:dispatch_id>/void", methods=["GET", "POST"])
def void(dispatch_id):
    dispatch = _load(dispatch_id)
    return void_page(dispatch, void=service.void_dispatch, subject=f"{dispatch.client.name}（{dispatch.expert.name}）",
                     detail=f"申請 {dispatch.requested_on:%Y-%m-%d}", back=url_for("dispatch.detail", dispatch_id=dispatch.id),
                     done=url_for("dispatch.index"), message="派遣を取り消しました。")


@bp.route("/visits/<int:visit_id>/void", methods=["GET", "POST"])
def visit_void(visit_id):
    visit = get_in_center_or_404(current_user, DispatchVisit, visit_id)
    back = url_for("dispatch.detail", dispatch_id=visit.dispatch_id) if visit.dispatch_id else url_for("dispatch.index")
    return void_page(visit, void=service.void_visit, subject=f"{visit.client.name}（{visit.expert.name}）",
                     detail=f"訪問 {visit.held_on:%Y-%m-%d} 謝金 {visit.fee or 0:,}円", back=back, done=back,
                     message=f"{visit.held_on:%Y-%m-%d} の訪問記録を取り消しました。")


@bp.route("/stats")
def stats():
    fy = _arg_int("fy") or fiscal_year(today_jst())
    figures = service.fiscal_year_stats(current_user, fy)
    this_year = fiscal_year(today_jst())
    return render_template("dispatch/stats.html", years=range(this_year, this_year - 6, -1), **figures)
