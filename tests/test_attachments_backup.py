"""Documents travel with `casework backup` / `restore` and with a client's privacy export."""
import io
import json
import os
import stat
import tarfile
import zipfile

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Attachment
from casework.services import attachments as service

from .test_attachments import PDF, PNG, stored, upload

SQLITE_ONLY = pytest.mark.skipif(bool(os.environ.get("CASEWORK_TEST_DATABASE_URL")),
                                 reason="the SQLite path of casework backup / restore (PostgreSQL: tests/test_backup.py)")


@SQLITE_ONLY
def test_backup_and_restore_bring_the_documents_back(app, client, logged_in, make, runner, tmp_path):
    case = make.case()
    upload(client, "case", case.id, "前.pdf", PDF)
    before = db.session.scalar(select(Attachment))
    target = tmp_path / "backups" / "casework.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "attachments written" in result.output and "(1 files" in result.output
    archive = target.with_name("casework.db.attachments.tar")
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o600
    with tarfile.open(archive) as tar:
        assert tar.getnames() == [before.stored_name]

    upload(client, "case", case.id, "後.png", PNG)  # after the backup
    after = db.session.scalar(select(Attachment).where(Attachment.original_name == "後.png"))
    service.path_of(before, app).unlink()  # and the first file is lost
    db.session.remove()

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "attachments restored: 1 files" in result.output and "previous files kept as" in result.output
    names = [a.original_name for a in db.session.scalars(select(Attachment))]
    assert names == ["前.pdf"]
    assert [f.name for f in stored(app)] == [before.stored_name]
    restored = service.storage_dir(app) / before.stored_name
    assert restored.read_bytes() == PDF and stat.S_IMODE(os.stat(restored).st_mode) == 0o600
    kept = result.output.split("previous files kept as ")[1].split(")")[0]
    assert os.listdir(kept) == [after.stored_name]  # what was there before the restore is kept aside
    assert client.get(f"/attachments/{before.id}/download").data == PDF


@SQLITE_ONLY
def test_restore_refuses_an_archive_with_paths(app, make, runner, tmp_path):
    make.client(name="残る株式会社")
    target = tmp_path / "b.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    archive = target.with_name("b.db.attachments.tar")
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("../../evil.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code != 0 and "想定外の項目" in result.output
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()
    make.client(name="復元されない株式会社")  # the database was not replaced either
    from casework.models import Client

    db.session.expire_all()
    assert "復元されない株式会社" in set(db.session.scalars(select(Client.name)))


def test_privacy_export_carries_the_clients_documents(app, client, auth, make):
    from . import lifecycle_helpers as lh

    admin = make.user("kanri", role="admin", centers=[])
    company = make.client("開示請求株式会社")
    other = make.client("無関係株式会社")
    case = make.case(company)
    dispatch = lh.dispatch(case)
    auth.login(admin)
    upload(client, "client", company.id, "登記簿.pdf", PDF)
    upload(client, "dispatch", dispatch.id, "報告書.png", PNG)
    upload(client, "client", other.id, "他社.pdf", PDF)
    voided = db.session.scalar(select(Attachment).where(Attachment.original_name == "報告書.png"))
    client.post(f"/attachments/{voided.id}/void", data={"version": voided.version, "reason": "誤り"})

    response = client.get(f"/admin/privacy/clients/{company.id}/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    documents = sorted(n for n in archive.namelist() if n.startswith("documents/"))
    assert [n.split("_", 1)[1] for n in documents] == ["登記簿.pdf", "報告書.png"]  # voided too: still held
    assert archive.read(next(n for n in documents if n.endswith("登記簿.pdf"))) == PDF
    rows = json.loads(archive.read("export.json"))["data"]["attachments"]
    assert {r["original_name"] for r in rows} == {"登記簿.pdf", "報告書.png"}
    assert all("stored_name" not in r for r in rows)
    assert "登記簿.pdf" in archive.read("attachments.csv").decode("utf-8-sig")
