from wtforms import BooleanField, SelectField, StringField, TextAreaField
from ..fields import IntegerField  # bounded to the columns (issue 13)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...models import PROGRAM_RECORD_KINDS, PROGRAM_TERM_KINDS
from ..forms_common import IdSelectField, MultiCheckboxField, VersionedForm, center_choices
from ..program_forms import year_field


class ProgramForm(VersionedForm):
    center_id = IdSelectField("センター", validators=[DataRequired("センターを選んでください。")])
    code = StringField("コード", validators=[DataRequired("コードを入力してください。"), Length(max=32)], description="半角英小文字・数字・_（例：trade_matching）。取込ファイルで使います")
    name = StringField("名称（画面）", validators=[DataRequired("名称を入力してください。"), Length(max=100)], description="画面に表示する短い名称")
    report_name = StringField("報告書での名称", validators=[DataRequired("報告書での名称を入力してください。"),
                                                          Length(max=200)], description="報告書に印刷される名称（例：受発注取引推進事業）")
    report_number = StringField("報告書の番号", validators=[Optional(), Length(max=20)], description="例：1(2)①、2(3)")
    confidential = BooleanField("秘（そのセンターの職員と管理者だけが見られる）")
    active = BooleanField("入力画面に表示する", default=True)
    sort_order = IntegerField("並び順", default=100, validators=[Optional(), NumberRange(min=0, max=100000,
                                                                                        message="0以上の整数を入力してください。")])
    started_fiscal_year = year_field("開始年度（西暦）", description="例：2023（令和5年度）")
    ended_fiscal_year = year_field("終了年度（西暦）", description="終了した事業だけ")
    default_for = MultiCheckboxField("このセンターで既定の事業にする記録", description="チェックした種類の記録は、事業を選ばずに登録するとこの事業になります（センターごとに1つ）。")
    notes = TextAreaField("メモ", validators=[Optional()])

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.center_id.choices = center_choices(user)
        self.default_for.choices = list(PROGRAM_RECORD_KINDS.items())

    def program_data(self):
        from ...services.programs import ProgramData

        return ProgramData(center_id=self.center_id.data, code=self.code.data, name=self.name.data,
                           report_name=self.report_name.data, report_number=self.report_number.data,
                           confidential=bool(self.confidential.data), active=bool(self.active.data),
                           sort_order=self.sort_order.data if self.sort_order.data is not None else 100,
                           started_fiscal_year=self.started_fiscal_year.data,
                           ended_fiscal_year=self.ended_fiscal_year.data, default_for=list(self.default_for.data or []),
                           notes=self.notes.data)


class TermForm(VersionedForm):
    kind = SelectField("種類", choices=list(PROGRAM_TERM_KINDS.items()),
                       validators=[DataRequired("種類を選んでください。")])
    code = StringField("コード", validators=[DataRequired("コードを入力してください。"), Length(max=32)])
    label = StringField("表示名", validators=[DataRequired("表示名を入力してください。"), Length(max=100)])
    unit = StringField("数の単位（名・回など）", validators=[Optional(), Length(max=8)])
    sort_order = IntegerField("並び順", default=100, validators=[Optional(), NumberRange(min=0, max=100000,
                                                                                        message="0以上の整数を入力してください。")])
    active = BooleanField("入力画面に表示する", default=True)

    def term_data(self):
        from ...services.programs import TermData

        return TermData(kind=self.kind.data, code=self.code.data, label=self.label.data, unit=self.unit.data,
                        sort_order=self.sort_order.data if self.sort_order.data is not None else 100,
                        active=bool(self.active.data))
