from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms_common import (DateField, FilterForm, IdSelectField, MultiCheckboxField, TextAreaField, VersionedForm,
                            center_choices, center_filter, id_value, staff_choices)


class DayForm(VersionedForm):
    held_on = DateField("開催日", validators=[InputRequired("開催日を入力してください。")])
    center_id = IdSelectField("センター", validators=[DataRequired("センターを選んでください。")])
    place = StringField("会場", validators=[DataRequired("会場を入力してください。"), Length(max=200)])
    title = StringField("名称（任意）", validators=[Optional(), Length(max=200)])
    times = TextAreaField("時間枠", validators=[DataRequired("時間枠を入力してください（例: 10:00-10:45）。")],
                          description="1行に1枠（例: 10:00-10:45）。「、」区切りでも入力できます。")
    staff_ids = MultiCheckboxField("担当職員", coerce=id_value)
    notes = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.center_id.choices = center_choices(user, "（センターを選択）")
        centers = [c for c, _ in self.center_id.choices if c]
        self.staff_ids.choices = staff_choices(center_ids=centers) if centers else []

    def day_data(self):
        from ...services.outreach import DayData

        return DayData(center_id=self.center_id.data, held_on=self.held_on.data, place=self.place.data,
                       title=self.title.data, notes=self.notes.data, slots=self.times.data,
                       staff_ids=list(self.staff_ids.data or []))


class BookForm(VersionedForm):
    client_id = IdSelectField("相談先", validators=[DataRequired("相談先を選んでください。")])
    staff_id = IdSelectField("担当職員")
    note = StringField("メモ（任意）", validators=[Optional(), Length(max=200)])


class CancelForm(VersionedForm):
    pass


class DayFilterForm(FilterForm):
    month = StringField("月（例: 2024-06）", validators=[Optional(), Length(max=7)])
    center_id = center_filter()
