from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from ..forms_common import JapaneseForm


class UploadForm(JapaneseForm):
    file = FileField("ファイル", validators=[FileRequired("ファイルを選んでください。")])
    label = StringField("説明（任意）", validators=[Optional(), Length(max=100)])
