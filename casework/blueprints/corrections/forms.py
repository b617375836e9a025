from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

from ..forms_common import JapaneseForm, VersionedForm


class MergeForm(JapaneseForm):
    survivor_id = HiddenField()
    duplicate_id = HiddenField()
    reason = TextAreaField("統合の理由", validators=[DataRequired("統合の理由を入力してください。")])


class UndoMergeForm(JapaneseForm):
    reason = TextAreaField("元に戻す理由", validators=[DataRequired("元に戻す理由を入力してください。")])


class RestoreForm(VersionedForm):
    reason = TextAreaField("復元の理由", validators=[DataRequired("復元の理由を入力してください。")])
