from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...models import DEAL_STAGES, PROFILE_SIDES
from ...services.succession import EMPLOYEE_BANDS, PRICE_BANDS, REGIONS, SALES_BANDS
from ..fields import IntegerField
from ..forms_common import DateField, JapaneseForm, VersionedForm, id_value, industry_choices

DATE_REQUIRED = "日付を入力してください。"


def _blank(items, blank="（未設定）"):
    return [("", blank)] + list(items)


class DiagnosisForm(JapaneseForm):
    held_on = DateField("実施日", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    by_org = StringField("実施機関", validators=[DataRequired("実施機関を入力してください。"), Length(max=100)])
    result = TextAreaField("診断結果", validators=[DataRequired("診断結果を入力してください。")])


class ProfileForm(VersionedForm):
    case_id = SelectField("案件（事業承継・引継ぎ支援センター）", coerce=id_value, validate_choice=False, validators=[Optional()])
    side = SelectField("区分", choices=list(PROFILE_SIDES.items()), validators=[Optional()])
    industry_code = SelectField("業種（買い手は希望業種、空欄で問わない）", validators=[Optional()])
    region = SelectField("地域", choices=_blank([(r, r) for r in REGIONS], "（問わない・未設定）"), validators=[Optional()])
    employees_band = SelectField("従業員規模", choices=_blank(EMPLOYEE_BANDS.items()), validators=[Optional()])
    sales_band = SelectField("売上規模", choices=_blank(SALES_BANDS.items()), validators=[Optional()])
    price_band = SelectField("希望価格（譲渡）／予算（譲受）", choices=_blank(PRICE_BANDS.items()), validators=[Optional()])
    reasons = TextAreaField("理由（譲渡・譲受の理由）", validators=[Optional()])
    summary = TextAreaField("概要（社名・所在地・個人が分かる内容は書かない）", validators=[Optional()])
    active = BooleanField("マッチング対象", default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.industry_code.choices = industry_choices()


class ProposeForm(JapaneseForm):
    """The date of a proposal; the pair (seller_id, buyer_id) is each candidate row's own hidden inputs."""
    proposed_on = DateField("提案日", past_only=True, validators=[InputRequired(DATE_REQUIRED)])


class StepForm(VersionedForm):
    stage = SelectField("段階", choices=[(k, v) for k, v in DEAL_STAGES.items() if k != "proposed"],
                        validators=[InputRequired("段階を選んでください。")])
    stepped_on = DateField("日付", past_only=True, validators=[InputRequired(DATE_REQUIRED)])
    note = TextAreaField("メモ", validators=[Optional()])
    reason = TextAreaField("破談の理由", validators=[Optional()])
    closing_amount = IntegerField("成約金額（円・任意）", min=0, max=10**12, validators=[Optional()])


class ConfirmAnonymousForm(VersionedForm):
    """ノンネームシート: staff confirm that the text identifies nobody although the check matched."""
    confirmed = BooleanField("会社を特定できる情報が含まれていないことを確認しました",
                             validators=[DataRequired("確認にチェックしてください。")])
    note = StringField("確認の内容（任意）", validators=[Optional(), Length(max=300)])
