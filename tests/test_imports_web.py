"""Web import (admins): upload → validation result → confirm → written, all or nothing."""
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import AuditEntry, Client, Consultation

from .conftest import text_of

DATA = Path(__file__).parent / "data"


def sample_files(folder):
    return [(io.BytesIO(p.read_bytes()), p.name) for p in sorted((DATA / folder).glob("*.csv"))]


@pytest.fixture
def admin(auth, make):
    user = make.user("root", role="admin", centers=[])
    auth.login(user)
    return user


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def uploads_left(app):
    root = Path(app.instance_path) / "uploads"
    return [p for p in root.iterdir()] if root.exists() else []


@pytest.mark.parametrize("method,url", [("get", "/imports/"), ("post", "/imports/"), ("post", "/imports/apply"),
                                        ("post", "/imports/cancel")])
def test_logged_out_is_sent_to_login(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_only_admins_may_import(client, logged_in):
    assert client.get("/imports/").status_code == 403
    assert client.post("/imports/", data={"files": sample_files("legacy-import")},
                       content_type="multipart/form-data").status_code == 403
    assert count(Client) == 0


def test_invalid_files_list_every_problem_and_write_nothing(app, client, admin):
    response = client.post("/imports/", data={"files": sample_files("legacy-import-invalid")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = text_of(response)
    assert "何も取り込んでいません" in page
    assert "clients.csv:" in page
    # FILE:ROW: COLUMN: message, one per line
    html = response.get_data(as_text=True)
    lines = html.split('<pre class="import-errors">', 1)[1].split("</pre>", 1)[0].strip().splitlines()
    assert lines and all(line.count(":") >= 3 and line.split(":")[1].strip().isdigit() for line in lines)
    assert count(Client) == 0 and count(Consultation) == 0
    assert uploads_left(app) == []


def test_valid_files_are_checked_then_written_on_confirmation(app, client, admin):
    response = client.post("/imports/", data={"files": sample_files("legacy-import")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = text_of(response)
    assert "誤りはありませんでした" in page and "相談記録" in page
    assert count(Client) == 0, "nothing is written before confirmation"
    token = response.get_data(as_text=True).split('name="token" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert len(uploads_left(app)) == 1

    response = client.post("/imports/apply", data={"token": token}, follow_redirects=True)
    page = text_of(response)
    assert "取り込みました" in page and "相談記録 作成" in page
    assert count(Client) > 0 and count(Consultation) > 0
    assert uploads_left(app) == []
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import")).user_id == admin.id

    # the report now shows the imported figures
    report = text_of(client.get("/reports/?fy=2025"))
    assert "窓口相談 61件 74件" in report

    # the same token cannot be applied twice
    again = client.post("/imports/apply", data={"token": token}, follow_redirects=True)
    assert "もう一度アップロード" in text_of(again)


def test_second_import_creates_nothing(client, admin):
    for _ in range(2):
        response = client.post("/imports/", data={"files": sample_files("legacy-import")},
                               content_type="multipart/form-data")
        token = response.get_data(as_text=True).split('name="token" type="hidden" value="', 1)[1].split('"', 1)[0]
        page = text_of(client.post("/imports/apply", data={"token": token}, follow_redirects=True))
    assert "相談先 作成0件" in page and "相談記録 作成0件" in page


def test_another_admins_token_is_refused(client, auth, admin, make):
    response = client.post("/imports/", data={"files": sample_files("legacy-import")},
                           content_type="multipart/form-data")
    token = response.get_data(as_text=True).split('name="token" type="hidden" value="', 1)[1].split('"', 1)[0]
    auth.logout()
    auth.login(make.user("root2", role="admin", centers=[]))
    page = text_of(client.post("/imports/apply", data={"token": token}, follow_redirects=True))
    assert "もう一度アップロード" in page and count(Client) == 0


@pytest.mark.parametrize("token", ["../../etc", "x" * 32, ""])
def test_forged_tokens_are_refused(client, admin, token):
    response = client.post("/imports/apply", data={"token": token}, follow_redirects=True)
    assert response.status_code in (200, 400)
    assert count(Client) == 0


def test_no_file_or_not_csv_is_an_error_beside_the_field(client, admin):
    page = text_of(client.post("/imports/", data={}, content_type="multipart/form-data"))
    assert "CSV ファイルを選んでください" in page
    page = text_of(client.post("/imports/", data={"files": [(io.BytesIO(b"x"), "notes.txt")]},
                               content_type="multipart/form-data"))
    assert "CSV ファイルではありません: notes.txt" in page


def test_cancel_removes_the_upload(app, client, admin):
    response = client.post("/imports/", data={"files": sample_files("legacy-import")},
                           content_type="multipart/form-data")
    token = response.get_data(as_text=True).split('name="token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/imports/cancel", data={"token": token})
    assert uploads_left(app) == [] and count(Client) == 0


def test_oversized_upload_is_refused(app, client, admin):
    app.config["IMPORT_MAX_BYTES"] = 1000
    response = client.post("/imports/", data={"files": [(io.BytesIO(b"ref,name\n" + b"x" * 5000), "clients.csv")]},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and count(Client) == 0


def test_upload_requires_the_csrf_token(app, client, admin):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/imports/", data={"files": sample_files("legacy-import")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and count(Client) == 0
