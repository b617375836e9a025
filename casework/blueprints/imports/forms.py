from flask_wtf.file import MultipleFileField
from wtforms import HiddenField
from wtforms.validators import DataRequired

from ..forms_common import JapaneseForm


class UploadForm(JapaneseForm):
    files = MultipleFileField("CSV ファイル・Excel ブック（.xlsx）（複数可）")

    def uploads(self) -> list[tuple[str, bytes]]:
        out = []
        for storage in self.files.data or []:
            if storage and storage.filename:
                out.append((storage.filename.replace("\\", "/").rsplit("/", 1)[-1], storage.read()))
        return out


class ConfirmForm(JapaneseForm):
    token = HiddenField(validators=[DataRequired()])
