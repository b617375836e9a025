from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ...dates import today_jst
from ..forms_common import (date_range, FilterForm, IdSelectField, DateField, MultiCheckboxField, VersionedForm,
                            center_choices, center_filter, channel_choices, colleague_choices, colleague_filter,
                            optional_int, program_term_choices, recordable_program_choices, theme_choices)

# What "保存して次を記録" carries to the next, fresh form (a day of visits).
KEPT = ("held_on", "channel_code", "staff_id", "center_id", "event_id")


class ConsultationForm(VersionedForm):
    client_id = HiddenField()
    held_on = DateField("相談日", past_only=True, validators=[InputRequired("相談日を入力してください。")])
    channel_code = RadioField("相談方法", validators=[DataRequired("相談方法を選んでください。")])
    theme_codes = MultiCheckboxField("相談テーマ")
    notes = TextAreaField("相談内容", validators=[Optional()])
    next_action = StringField("次回対応", validators=[Optional(), Length(max=300)])
    next_action_on = DateField("次回対応日", validators=[Optional()])
    center_id = IdSelectField("センター", validators=[DataRequired("センターを選んでください。")])
    staff_id = IdSelectField("対応職員")
    case_id = IdSelectField("案件")
    event_id = IdSelectField("出張相談会")
    program_id = IdSelectField("事業")
    activity_id = IdSelectField("活動区分")
    category_id = IdSelectField("相談区分")
    save = SubmitField("保存")
    save_next = SubmitField("保存して次を記録")

    def __init__(self, user, client, *args, current_case_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        from ...services.cases import open_cases_of

        self.channel_code.choices = channel_choices()
        self.theme_codes.choices = theme_choices()
        self.center_id.choices = center_choices(user)
        self.staff_id.choices = colleague_choices(user, blank="（未設定）", include=getattr(kwargs.get("obj"), "staff", None))
        self.cases = {k.id: k for k in open_cases_of(user, client, include_id=current_case_id)}
        self.case_id.choices = [("", "（自動：このセンターで対応中の案件。なければ新しく開始）")] + [
            (k.id, f"{k.center_name} {k.opened_on:%Y-%m-%d}開始 {k.title or ''}".strip()) for k in self.cases.values()]
        self._program_choices(user, kwargs.get("obj"))

    def _program_choices(self, user, record):
        """事業 (programs of the centers the user records in) and its 活動区分 / 相談区分."""
        self.program_id.choices = recordable_program_choices(
            user, include=getattr(record, "program_id", None), blank="（案件・センターの既定の事業）")
        for name, kind in (("activity_id", "activity"), ("category_id", "category")):
            choices = [("", "（なし）")] + program_term_choices(user, kind)
            current = getattr(record, name, None)
            if current and current not in {v for v, _ in choices}:
                choices.append((current, "（現在の値）"))
            getattr(self, name).choices = choices
        self.program_terms_offered = len(self.activity_id.choices) > 1 or len(self.category_id.choices) > 1

    def fill_program(self):
        """A fresh form's 事業: the chosen case's, else the chosen center's default (my home center's)."""
        from ...services.programs import center_default_program_id

        case = self.cases.get(self.case_id.data)
        program_id = case.program_id if case is not None else center_default_program_id(
            self.center_id.data, "consultation") if self.center_id.data else None
        if program_id in {v for v, _ in self.program_id.choices}:
            self.program_id.data = program_id

    def fill_defaults(self, user, args):
        """A fresh form: today (JST), me, my home center, 窓口 — or what the previous entry kept."""
        from ...dates import parse_date

        try:
            self.held_on.data = parse_date(args["held_on"]) if args.get("held_on") else today_jst()
        except ValueError:
            self.held_on.data = today_jst()
        codes = {c for c, _ in self.channel_code.choices}
        self.channel_code.data = args.get("channel_code") if args.get("channel_code") in codes else "window"
        home = user.home_center
        self.center_id.data = _int(args.get("center_id")) or (home.id if home else None)
        self.staff_id.data = _int(args.get("staff_id")) or user.id
        self.event_id.data = _int(args.get("event_id"))
        self.case_id.data = _int(args.get("case_id"))
        if self.case_id.data in self.cases:
            self.center_id.data = self.cases[self.case_id.data].center_id
        self.fill_program()

    def set_events(self, user, current_event=None):
        from ...services.events import outreach_days_near

        near = outreach_days_near(user, self.held_on.data or today_jst())
        if current_event is not None and current_event not in near:
            near.append(current_event)
        self.event_id.choices = [("", "（なし）")] + [(e.id, f"{e.held_on:%m/%d} {e.center.name} {e.title or e.place or ''}".strip())
                                                   for e in near]

    def validate_case_id(self, field):
        case = self.cases.get(field.data)
        if case is not None and self.center_id.data and case.center_id != self.center_id.data:
            raise ValidationError(f"この案件は{case.center_name}の案件です。センターを合わせてください。")

    def consultation_data(self):
        from ...services.consultations import ConsultationData

        return ConsultationData(held_on=self.held_on.data, channel_code=self.channel_code.data,
                                center_id=self.center_id.data, case_id=self.case_id.data, staff_id=self.staff_id.data,
                                theme_codes=list(self.theme_codes.data or []), notes=self.notes.data,
                                next_action=self.next_action.data, next_action_on=self.next_action_on.data,
                                event_id=self.event_id.data, program_id=self.program_id.data,
                                activity_id=self.activity_id.data, category_id=self.category_id.data)

    def kept(self) -> dict:
        values = {"held_on": self.held_on.data.isoformat() if self.held_on.data else None,
                  "channel_code": self.channel_code.data, "staff_id": self.staff_id.data,
                  "center_id": self.center_id.data, "event_id": self.event_id.data}
        return {k: v for k, v in values.items() if v not in (None, "")}


def _int(value):
    try:
        return optional_int(value)
    except (TypeError, ValueError):
        return None


def kept_args(args) -> dict:
    """The kept values of a query string, to pass along through the client search."""
    return {k: args[k] for k in KEPT if args.get(k)}


class ConsultationFilterForm(FilterForm):
    q = StringField("相談先（名称・フリガナ）")
    center_id = center_filter()
    staff_id = colleague_filter("職員", "すべての職員")
    channel_code = SelectField("相談方法")
    held_from, held_to = date_range("相談日")

    def offer(self, user):
        self.channel_code.choices = [("", "すべての方法")] + channel_choices()

    def consultation_filter(self, event_id=None):
        from ...services.consultations import ConsultationFilter

        return ConsultationFilter(center_id=self.center_id.data, staff_id=self.staff_id.data,
                                  channel_code=self.channel_code.data or None, held_from=self.held_from.data,
                                  held_to=self.held_to.data, q=self.q.data, event_id=event_id)


def describe_kept(user, kept: dict) -> list[str]:
    """What a 'log another' search carries, in words (only what the user may see)."""
    from ...access import can_see_center
    from ...extensions import db
    from ...models import Center, Channel, Event, User

    words = []
    if kept.get("held_on"):
        words.append(kept["held_on"])
    if kept.get("channel_code") and (channel := db.session.get(Channel, kept["channel_code"])):
        words.append(channel.label)
    center_id, event_id, staff_id = (_int(kept.get(k)) for k in ("center_id", "event_id", "staff_id"))
    if center_id and can_see_center(user, center_id) and (center := db.session.get(Center, center_id)):
        words.append(center.name)
    if staff_id and (staff := db.session.get(User, staff_id)):
        words.append(f"職員：{staff.name}")
    if event_id and (event := db.session.get(Event, event_id)) and event.voided_at is None \
            and can_see_center(user, event.center_id):
        words.append(f"{event.kind.label}：{event.title or event.place or ''}".rstrip("："))
    return words
