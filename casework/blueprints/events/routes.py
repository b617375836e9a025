from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import get_in_center_or_404
from ...dates import today_jst
from ...models import Event
from ...services import consultations as consultation_service
from ...services import events as event_service
from ...services.voiding import may_void
from ..forms_common import paginate
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import EventFilterForm, EventForm


@bp.route("/")
def index():
    filters = EventFilterForm(current_user)
    filters.checked()
    page = paginate(event_service.event_list_query(current_user, **filters.filters()))
    return render_template("events/index.html", page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = EventForm(current_user)
    if request.method == "GET":
        home = current_user.home_center
        form.center_id.data = home.id if home else None
        form.held_on.data = today_jst()
        form.kind_code.data = request.args.get("kind") or "outreach_day"
    submission = Submission(form)
    if submission.valid():
        with submission:
            event = event_service.create_event(form.event_data(), by=current_user)
            flash(f"{event.kind.label}（{event.held_on:%Y-%m-%d}）を登録しました。", "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=None), submission.status


@bp.route("/<int:event_id>")
def detail(event_id):
    event = get_in_center_or_404(current_user, Event, event_id)
    held = consultation_service.consultation_list_query(
        current_user, consultation_service.ConsultationFilter(event_id=event.id))
    page = paginate(held)
    from ...services.event_attendance import attendances_of, totals_by_side
    from ...services.programs import terms_of

    attendances = attendances_of(event)
    return render_template("events/detail.html", event=event, page=page, may_void=may_void(current_user, event),
                           attendances=attendances, totals=totals_by_side(event),
                           voidable={a.id for a in attendances if may_void(current_user, a)},
                           sides=terms_of(event.program_id, "side"))


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id):
    event = get_in_center_or_404(current_user, Event, event_id)
    form = EventForm(current_user, obj=event)
    submission = Submission(form)
    if submission.valid():
        with submission:
            event_service.update_event(event, form.event_data(), expected_version=form.expected_version(), by=current_user)
            flash("催しを更新しました。", "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, stale=submission.stale), submission.status


@bp.route("/<int:event_id>/void", methods=["GET", "POST"])
def void(event_id):
    event = get_in_center_or_404(current_user, Event, event_id)
    return void_page(event, void=event_service.void_event, subject=f"{event.kind.label} {event.title or ''}".strip(),
                     detail=f"{event.held_on:%Y-%m-%d}", back=url_for("events.detail", event_id=event.id),
                     done=url_for("events.index"), message=f"{event.kind.label}（{event.held_on:%Y-%m-%d}）を取り消しました。",
                     notes=("この催しで記録された相談は取り消されません（相談そのものは行われたため）。",))