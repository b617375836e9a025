"""出張相談会: the month's days, a day with its slots, plan / edit / void a day, book / cancel a slot."""
import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import deny, get_client_or_404, get_in_center_or_404
from ...dates import today_jst
from ...extensions import db
from ...models import OutreachDay, OutreachSlot
from ...permissions import requires
from ...services import clients as client_service
from ...services import outreach as service
from ..forms_common import paginate
from ..saving import Submission
from ..voiding import void_page
from . import bp
from .forms import BookForm, CancelForm, DayFilterForm, DayForm

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
PICK_LIMIT = 20
DEFAULT_SLOTS = "10:00-10:45\n11:00-11:45\n13:00-13:45\n14:00-14:45\n15:00-15:45"


def load_day(day_id) -> OutreachDay:
    return get_in_center_or_404(current_user, OutreachDay, day_id)  # a confidential center's day: noted


def load_slot(slot_id) -> OutreachSlot:
    slot = db.session.get(OutreachSlot, slot_id)
    if slot is None:
        deny("OutreachSlot", slot_id)
    load_day(slot.day_id)
    return slot


def _month(text):
    m = MONTH.match((text or "").strip())
    if m and 1 <= int(m.group(2)) <= 12 and 2000 <= int(m.group(1)) <= 2100:
        return int(m.group(1)), int(m.group(2))
    return None


@bp.route("/")
def index():
    filters = DayFilterForm(current_user)
    filters.checked()
    month = _month(filters.month.data)
    if filters.month.data and month is None:
        filters.month.errors = ["月は 2024-06 のように入力してください。"]
    page = paginate(service.days_query(current_user, year=month[0] if month else None,
                                       month=month[1] if month else None, center_id=filters.center_id.data))
    return render_template("outreach/index.html", page=page, filters=filters, today=today_jst())


@bp.route("/new", methods=["GET", "POST"])
@requires("outreach.plan")
def new():
    return _day_form(None)


@bp.route("/<int:day_id>/edit", methods=["GET", "POST"])
@requires("outreach.plan")
def edit(day_id):
    return _day_form(load_day(day_id))


def _day_form(day):
    """Plan a new day (day None: my home center, me, five morning/afternoon slots) or change one."""
    form = DayForm(current_user, obj=day)
    if request.method == "GET":
        home = current_user.home_center
        form.center_id.data = day.center_id if day else (home.id if home else None)
        form.staff_ids.data = [u.id for u in day.staff] if day else [current_user.id]
        form.times.data = service.slots_text(day) if day else DEFAULT_SLOTS
    submission = Submission(form, rename={"slots": "times"})
    if submission.valid():
        with submission:
            if day is None:
                day = service.plan_day(form.day_data(), by=current_user)
                message = f"{day.held_on:%Y-%m-%d} の出張相談会（{day.place}、{len(day.slots)}枠）を登録しました。"
            else:
                service.update_day(day, form.day_data(), expected_version=form.expected_version(), by=current_user)
                message = "出張相談会を更新しました。"
            flash(message, "success")
            return redirect(url_for("outreach.detail", day_id=day.id))
    return render_template("outreach/form.html", form=form, day=day, stale=submission.stale), submission.status


@bp.route("/<int:day_id>")
def detail(day_id):
    day = load_day(day_id)
    return render_template("outreach/detail.html", day=day, prefill=service.consultation_prefill,
                           today=today_jst())


@bp.route("/<int:day_id>/void", methods=["GET", "POST"])
@requires("outreach.plan")
def void(day_id):
    day = load_day(day_id)
    return void_page(day, void=service.void_day, subject=f"{day.held_on:%Y-%m-%d} {day.place}",
                     detail=day.center.name, back=url_for("outreach.detail", day_id=day.id),
                     done=url_for("outreach.index"), message="出張相談会を取り消しました。")


@bp.route("/slots/<int:slot_id>/book", methods=["GET", "POST"])
def book(slot_id):
    """Step one (GET): search the client; step two (POST): book the picked client into the slot."""
    slot = load_slot(slot_id)
    form = BookForm()
    client_id = request.values.get("client_id", type=int)
    picked = get_client_or_404(current_user, client_id) if client_id else None
    form.client_id.choices = [(picked.id, picked.name)] if picked else []
    form.staff_id.choices = [("", "（枠の担当のまま）")] + [(u.id, u.name) for u in slot.day.staff]
    if request.method == "GET":
        form.version.data = slot.version
        form.client_id.data = client_id
    submission = Submission(form, invalid=422)
    if submission.valid():
        with submission:
            service.book_slot(slot, picked, by=current_user, note=form.note.data, staff_id=form.staff_id.data,
                              expected_version=form.expected_version())
            flash(f"{slot.starts_at:%H:%M}-{slot.ends_at:%H:%M} に {picked.name} を予約しました。", "success")
            return redirect(url_for("outreach.detail", day_id=slot.day_id))
    q = request.args.get("q", "").strip()
    results = list(db.session.scalars(client_service.search_query(current_user, q).limit(PICK_LIMIT))) if q else []
    return render_template("outreach/book.html", slot=slot, day=slot.day, form=form, picked=picked, q=q,
                           results=results, limit=PICK_LIMIT, stale=submission.stale), submission.status


@bp.route("/slots/<int:slot_id>/cancel", methods=["POST"])
def cancel(slot_id):
    slot = load_slot(slot_id)
    with Submission():
        name = slot.client.name if slot.client else ""
        service.cancel_booking(slot, by=current_user, expected_version=CancelForm().expected_version())
        flash(f"{slot.starts_at:%H:%M}-{slot.ends_at:%H:%M} の予約（{name}）を取り消しました。", "info")
    return redirect(url_for("outreach.detail", day_id=slot.day_id), 303)
