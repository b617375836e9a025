"""Formula injection: every export writes cells through services/spreadsheet.py, so text that
starts with = + - @ tab CR is shown by a spreadsheet, never run."""
import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from casework.extensions import db
from casework.models import Theme
from casework.services import spreadsheet

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_cell_gets_an_apostrophe(text):
    assert spreadsheet.safe_cell(text) == "'" + text
    assert spreadsheet.safe_cell("株式会社=") == "株式会社=" and spreadsheet.safe_cell(-2) == -2
    assert spreadsheet.safe_cell(None) is None


def _cells(text):
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_the_privacy_zip_escapes_formulas_in_every_csv(client, make):
    admin = make.user("boss", role="admin")
    client.post("/auth/login", data={"login": admin.login, "password": make.PASSWORD})
    c = make.client(name='=HYPERLINK("http://evil","開く")', representative="+1+1", contact_name="-2+3",
                    address="@SUM(1,1)")
    make.consultation(c, notes="=1+1 相談内容")
    response = client.get(f"/admin/privacy/clients/{c.id}/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    seen = []
    for name in archive.namelist():
        if not name.endswith(".csv"):
            continue
        cells = _cells(archive.read(name).decode("utf-8-sig"))
        bad = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert not bad, (name, bad)
        seen += cells
    for text in ['=HYPERLINK("http://evil","開く")', "+1+1", "-2+3", "@SUM(1,1)", "=1+1 相談内容"]:
        assert "'" + text in seen  # kept, readable, but as text


def test_report_csv_and_xlsx_go_through_the_same_writer(client, make):
    from casework.dates import fiscal_year

    admin = make.user("boss", role="admin")
    client.post("/auth/login", data={"login": admin.login, "password": make.PASSWORD})
    db.session.add(Theme(code="evil", label="@SUM(1,1)", sort_order=1))
    db.session.commit()
    day = dt.date(2024, 5, 1)
    make.consultation(held_on=day, theme_codes=["evil"])
    fy = fiscal_year(day)
    text = client.get(f"/reports/{fy}/report.csv").get_data().decode("utf-8-sig")
    assert "@SUM(1,1)" in text
    assert not [cell for cell in _cells(text) if cell[:1] in ("=", "+", "@", "\t", "\r")]
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/{fy}/report.xlsx").get_data())).active
    found = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "@SUM(1,1)" in c.value]
    assert found and all(c.data_type == "s" for c in found)


def test_no_export_writes_csv_by_hand():
    """One writer: no module but services/spreadsheet.py calls csv.writer / DictWriter / openpyxl's cell()."""
    from pathlib import Path

    import casework

    root = Path(casework.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "spreadsheet.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "csv.writer(" in text or "csv.DictWriter(" in text or "Workbook(" in text:
            offenders.append(str(path.relative_to(root)))
    assert not offenders, offenders
