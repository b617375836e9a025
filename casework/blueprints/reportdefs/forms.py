from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from ..fields import IntegerField  # bounded to the columns (issue 13)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...dates import fy_label
from ...extensions import db
from ...models import REPORT_AGGREGATIONS, REPORT_ROW_KINDS, Center, Channel, EventKind, Outcome
from ...reporting.sources import FILTERS, SOURCES, SUM_LABELS
from ...services.report_definitions import UNITS
from ..forms_common import MultiCheckboxField, VersionedForm

BLANK = ("", "（指定なし）")


def _centers(blank="（すべてのセンター）"):
    return [("", blank)] + [(c.code, c.name) for c in db.session.scalars(select(Center).order_by(Center.sort_order))]


def fy_choices(first=2003, blank="（なし）"):
    from ...services.report_definitions import today_fy

    return [("", blank)] + [(str(y), f"{fy_label(y)}（{y}）") for y in range(today_fy() + 1, first - 1, -1)]


class SectionForm(VersionedForm):
    number = StringField("番号（報告書の番号。例：1(1)①）", validators=[Optional(), Length(max=20)])
    title = StringField("事業名", validators=[DataRequired("事業名を入力してください。"), Length(max=200)])
    center_code = SelectField("センター（この事業の記録を数えるセンター）", default="")
    optional = BooleanField("数える記録がない年度は表示しない")
    note = TextAreaField("注記（表の下に印刷）", validators=[Optional(), Length(max=2000)])
    project_year_offset = IntegerField("事業年度のずれ（「令和4年度 (令和5年度事業)」と見出しを付けるとき：1）",
                                       validators=[Optional(), NumberRange(min=0, max=5, message="0〜5の年数を入力してください。")])
    split_by = SelectField("表の分け方", default="")
    column_labels = StringField("分けた表の列の見出し（例：全体;うち青森県（受注企業））",
                                validators=[Optional(), Length(max=200)])
    active = BooleanField("有効（報告書・月次集計・ダッシュボードに載せる）", default=True)

    def __init__(self, *args, **kwargs):
        from ...reporting.sources import SPLITS

        super().__init__(*args, **kwargs)
        self.center_code.choices = _centers()
        self.split_by.choices = [("", "分けない（前年度・当年度の表）")] + list(SPLITS.items())


class RowForm(VersionedForm):
    label = StringField("区分（表示名）", validators=[DataRequired("区分（表示名）を入力してください。"), Length(max=200)])
    kind = SelectField("行の種類", choices=list(REPORT_ROW_KINDS.items()), default="figure")
    source = SelectField("数える記録", choices=[(k, s.label) for k, s in SOURCES.items()])
    center_code = SelectField("センター")
    program_code = SelectField("事業", default="")
    channels = MultiCheckboxField("相談方法（相談を数えるとき）")
    event_kinds = MultiCheckboxField("催しの種類（催しを数えるとき）")
    outcome = SelectField("結果（案件の結果を数えるとき）", default="")
    decision = SelectField("採択・不採択（助成を数えるとき）", choices=[BLANK, ("adopted", "採択"), ("rejected", "不採択")], default="")
    activity = SelectField(FILTERS["activity"], default="")
    category = SelectField(FILTERS["category"], default="")
    side = SelectField(FILTERS["side"], default="")
    aggregation = SelectField("数え方", choices=list(REPORT_AGGREGATIONS.items()), default="records")
    sum_of = SelectField("合計する項目（数え方が「合計」のとき）", default="")
    unit = SelectField("単位", choices=[(u, u) for u in UNITS], default="件")
    cumulative_from = SelectField("累計の開始年度（累計欄を出すとき）", default="")
    opening_as_of = SelectField("開始残高の年度（この年度より前の合計）", default="")
    opening_value = IntegerField("開始残高", validators=[Optional(), NumberRange(min=0, message="0以上の数を入力してください。")])
    combine_with = SelectField("併記する行（例：派遣企業に「派遣延べ回数」を括弧書き）", default="")
    breakdown_of = SelectField("内訳を出す行（行の種類が「内訳」のとき）", default="")
    breakdown_by = SelectField("内訳の種類", choices=[BLANK, ("theme", "相談テーマ"), ("industry", "業種"),
                                                        ("industry_middle", "業種（中分類）")], default="")
    list_columns = MultiCheckboxField("一覧表の列（行の種類が「一覧表」のとき）")
    list_headers = StringField("列の見出しを変えるとき（例：title=専門アドバイザー;area=開催場所）",
                               validators=[Optional(), Length(max=200)])
    active = BooleanField("有効", default=True)
    preview_fy = SelectField("試算する年度")

    def __init__(self, *args, section=None, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        from ...reporting.metrics import program_ids

        self.center_code.choices = _centers()
        programs = program_ids()
        table = db.metadata.tables.get("programs")
        if programs and table is not None and "name" in table.c:
            names = dict(db.session.execute(select(table.c.code, table.c.name)).all())
            self.program_code.choices = [BLANK] + [(code, names.get(code, code)) for code in programs]
        else:
            self.program_code.choices = [BLANK]
        self.channels.choices = [(c.code, c.label) for c in db.session.scalars(select(Channel).order_by(Channel.sort_order))]
        self.event_kinds.choices = [(k.code, k.label) for k in db.session.scalars(select(EventKind).order_by(EventKind.sort_order))]
        self.outcome.choices = [BLANK] + [(o.code, o.label) for o in db.session.scalars(select(Outcome).order_by(Outcome.sort_order))]
        for name in ("activity", "category", "side"):
            getattr(self, name).choices = [BLANK] + term_choices(name)
        sums = {}
        for source in SOURCES.values():
            sums.update(source.sums)
        self.sum_of.choices = [BLANK] + [(k, SUM_LABELS.get(k, v)) for k, v in sums.items()]
        self.cumulative_from.choices = fy_choices()
        self.opening_as_of.choices = fy_choices()
        others = [r for r in (section.rows if section is not None else []) if row is None or r.id != row.id]
        self.combine_with.choices = [BLANK] + [(r.key, r.label) for r in others if r.kind == "figure"]
        self.breakdown_of.choices = [BLANK] + [(r.key, r.label) for r in others if r.kind == "figure"]
        columns = {}
        for source in SOURCES.values():
            for key, label in source.list_columns.items():
                columns.setdefault(key, f"{label.replace('{year}', '年度')}（{key}）")
        self.list_columns.choices = list(columns.items())
        self.preview_fy.choices = fy_choices(first=2015, blank="（今年度）")[1:]
        if not self.preview_fy.data:
            from ...services.report_definitions import today_fy

            self.preview_fy.data = str(today_fy())

    def int_or_none(self, name):
        value = getattr(self, name).data
        return int(value) if value not in (None, "") else None


def term_choices(name: str) -> list[tuple[str, str]]:
    """Program vocabularies (program_terms) for activity / category / side, where the schema has them."""
    table = db.metadata.tables.get("program_terms")
    if table is None:
        return []
    cols = table.c
    kind_col = next((cols[c] for c in ("vocabulary", "kind", "term_kind", "field") if c in cols), None)
    code_col = next((cols[c] for c in ("code", "key") if c in cols), None)
    label_col = next((cols[c] for c in ("label", "name") if c in cols), None)
    if kind_col is None or code_col is None or label_col is None:
        return []
    rows = db.session.execute(select(code_col, label_col).where(kind_col == name).distinct()).all()
    return [(code, label) for code, label in rows]
