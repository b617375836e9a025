from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms_common import (date_range, DateField, FilterForm, IdSelectField, IntegerField, VersionedForm,
                            center_choices, center_filter, event_kind_choices, municipality_choices, NameField)


class EventForm(VersionedForm):
    kind_code = SelectField("種別", validators=[DataRequired("種別を選んでください。")])
    held_on = DateField("開催日", validators=[InputRequired("開催日を入力してください。")])
    center_id = IdSelectField("センター", validators=[DataRequired("センターを選んでください。")])
    title = NameField("名称", validators=[Optional(), Length(max=200)])
    place = StringField("会場", validators=[Optional(), Length(max=200)])
    municipality_code = SelectField("市町村", validators=[Optional()])
    participants = IntegerField("参加者数", validators=[Optional(), NumberRange(min=0, message="0以上の整数を入力してください。")])
    notes = TextAreaField("メモ", validators=[Optional()])
    program_id = IdSelectField("事業")
    ends_on = DateField("終了日", validators=[Optional()])
    partners = StringField("連携機関", validators=[Optional(), Length(max=300)])
    area = StringField("開催地区", validators=[Optional(), Length(max=100)])
    companies = IntegerField("参加企業数・出展企業数", validators=[Optional(), NumberRange(min=0, message="0以上の整数を入力してください。")])
    speaker = StringField("講師", validators=[Optional(), Length(max=200)])

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ...services.programs import program_choices

        self.kind_code.choices = event_kind_choices()
        self.center_id.choices = center_choices(user)
        self.municipality_code.choices = municipality_choices()
        current = getattr(kwargs.get("obj"), "program_id", None)
        self.program_id.choices = [(int(v) if v else "", t) for v, t in
                                   program_choices(user, include=current, blank="（センターの既定の事業）")]

    def event_data(self):
        from ...services.events import EventData

        return EventData(center_id=self.center_id.data, kind_code=self.kind_code.data, held_on=self.held_on.data,
                         title=self.title.data, place=self.place.data,
                         municipality_code=self.municipality_code.data or None,
                         participants=self.participants.data, notes=self.notes.data,
                         program_id=self.program_id.data, ends_on=self.ends_on.data, partners=self.partners.data,
                         area=self.area.data, companies=self.companies.data, speaker=self.speaker.data)


class EventFilterForm(FilterForm):
    q = StringField("名称・会場")
    center_id = center_filter()
    kind_code = SelectField("種別")
    program_id = IdSelectField("事業")
    held_from, held_to = date_range("開催日")

    def offer(self, user):
        from ...services.programs import program_choices

        self.kind_code.choices = event_kind_choices(blank="すべての種別")
        self.program_id.choices = [(int(v) if v else "", t) for v, t in program_choices(user, blank="すべての事業")]

