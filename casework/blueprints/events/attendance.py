"""Companies attending an event (商談会, 展示会): by side, with meetings, deals and amount."""
from flask import request, url_for
from flask_login import current_user
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ...models import Event, EventAttendance
from ...services import event_attendance as service
from ...services.event_attendance import AttendanceData
from ...services.program_records import load, resolve_client_text
from ...services.programs import terms_of
from ..forms_common import IdSelectField, VersionedForm
from ..program_forms import ClientField, count_field
from ..records import form_page
from ..voiding import void_page
from . import bp


class AttendanceForm(VersionedForm):
    side_id = IdSelectField("区分", description="発注企業・受注企業")
    client = ClientField("相談先（1社の記録）", validators=[Optional(), Length(max=200)], description="名称の一部、法人番号、または #番号")
    company_name = StringField("企業名（相談先に登録していない企業）", validators=[Optional(), Length(max=200)])
    in_prefecture = BooleanField("県内の企業（1社の記録）")
    companies = count_field("社数（合計の記録）", "合計の記録のとき（1社の記録なら空欄）")
    companies_in_prefecture = count_field("うち県内の社数")
    meetings = count_field("商談件数")
    meetings_in_prefecture = count_field("うち県内の商談件数")
    deals = count_field("成約件数")
    deals_in_prefecture = count_field("うち県内の成約件数")
    amount = count_field("成約金額（円）", "円で入力（報告書は千円で表示）")
    amount_in_prefecture = count_field("うち県内の成約金額（円）")
    quote_requests = count_field("見積依頼")
    notes = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = getattr(kwargs.get("obj"), "side_id", None)
        self.side_id.choices = [("", "（区分なし）")] + [
            (t.id, t.label) for t in terms_of(event.program_id, "side", include=current)]


def _data(form) -> AttendanceData:
    client = resolve_client_text(current_user, form.client.data, "client", required=False)
    return AttendanceData(
        side_id=form.side_id.data, client_id=client.id if client else None, company_name=form.company_name.data,
        companies=form.companies.data, companies_in_prefecture=form.companies_in_prefecture.data,
        in_prefecture=bool(form.in_prefecture.data), meetings=form.meetings.data,
        meetings_in_prefecture=form.meetings_in_prefecture.data, deals=form.deals.data,
        deals_in_prefecture=form.deals_in_prefecture.data, amount=form.amount.data,
        amount_in_prefecture=form.amount_in_prefecture.data, quote_requests=form.quote_requests.data,
        notes=form.notes.data)


def _shown(row: EventAttendance) -> str:
    return url_for("events.detail", event_id=row.event_id)


@bp.route("/<int:event_id>/attendances/new", methods=["GET", "POST"])
def new_attendance(event_id):
    event = load(current_user, Event, event_id)
    form = AttendanceForm(event)
    if request.method == "GET":
        form.side_id.data = request.args.get("side_id", type=int)
    return form_page(form, "events/attendance_form.html", lambda: service.add_attendance(event, _data(form), by=current_user),
                     message=lambda row: f"参加企業（{row.company_label}）を記録しました。", done=_shown,
                     event=event, attendance=None)


@bp.route("/attendances/<int:attendance_id>/edit", methods=["GET", "POST"])
def edit_attendance(attendance_id):
    row = load(current_user, EventAttendance, attendance_id)
    form = AttendanceForm(row.event, obj=row)
    if request.method == "GET" and row.companies == 1:  # one company: its 県内 box, not the counts
        form.in_prefecture.data = row.companies_in_prefecture == 1
        form.companies.data = form.companies_in_prefecture.data = None
    return form_page(form, "events/attendance_form.html", lambda: service.update_attendance(
        row, _data(form), expected_version=form.expected_version(), by=current_user),
        message="参加企業の記録を保存しました。", done=_shown, event=row.event, attendance=row)


@bp.route("/attendances/<int:attendance_id>/void", methods=["GET", "POST"])
def attendance_void(attendance_id):
    row = load(current_user, EventAttendance, attendance_id)
    return void_page(row, void=service.void_attendance, subject=f"参加企業 {row.company_label}",
                     detail=f"{row.event.kind.label} {row.event.held_on:%Y-%m-%d}", back=_shown(row), done=_shown(row),
                     message=f"参加企業（{row.company_label}）の記録を取り消しました。")
