"""Documents on records: upload, checks (size, type by content, traversal, mismatch), download
only as a file, the record's permission (a confidential document is 404 to outsiders), audit, void."""
import io
import os
import stat
import zipfile

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Attachment, AuditEntry
from casework.services import attachments as service
from casework.services.errors import DomainError

from . import lifecycle_helpers as lh
from .conftest import text_of

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office(kind="docx") -> bytes:
    main = service.OFFICE_MAIN[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types><Override PartName="/x" ContentType="{main}"/></Types>')
        zf.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(client, kind, record_id, name, data, label=""):
    return client.post(f"/attachments/{kind}/{record_id}", data={"file": (io.BytesIO(data), name), "label": label},
                       content_type="multipart/form-data")


def stored(app):
    folder = service.storage_dir(app)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_upload_to_a_case_lists_it_and_downloads_it_as_a_file(app, client, logged_in, make):
    case = make.case(title="資金繰り")
    response = upload(client, "case", case.id, "決算書 令和5年度.pdf", PDF, label="決算書（3期分）")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/cases/{case.id}#documents")
    page = text_of(client.get(f"/cases/{case.id}"))
    assert "添付書類（1件）" in page and "決算書 令和5年度.pdf" in page and "決算書（3期分）" in page
    assert "書類「決算書 令和5年度.pdf」を添付しました。" in page

    attachment = db.session.scalar(select(Attachment))
    assert (attachment.record_kind, attachment.record_id, attachment.size) == ("case", case.id, len(PDF))
    assert attachment.content_type == "application/pdf" and len(attachment.sha256) == 64
    files = stored(app)
    assert [f.name for f in files] == [attachment.stored_name]  # a random name, never the user's
    assert "決算書" not in files[0].name and stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert files[0].read_bytes() == PDF

    download = client.get(f"/attachments/{attachment.id}/download")
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "%E6%B1%BA%E7%AE%97%E6%9B%B8" in disposition  # 決算書, RFC 5987
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"] == "application/pdf"
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Attachment")).all()
    assert [e.action for e in entries] == ["create", "download"]
    assert entries[1].user_id == logged_in.id and entries[1].detail["name"] == "決算書 令和5年度.pdf"


@pytest.mark.parametrize("name, data, message", [
    ("report.pdf", PNG, "拡張子（.pdf）と内容（PNG画像）が一致しません"),
    ("photo.png", PDF, "拡張子（.png）と内容（PDF）が一致しません"),
    ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "この種類のファイルは添付できません"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "この種類のファイルは添付できません"),
    ("notes.txt", b"<html><body>x</body></html>", "この種類のファイルは添付できません"),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", "実行ファイル・スクリプトは添付できません"),
    ("tool.pdf", b"\x7fELF\x02\x01\x01", "実行ファイル・スクリプトは添付できません"),
    ("macro.docm", office("docx"), "拡張子（.docm）と内容（Word文書）が一致しません"),
    ("book.docx", office("xlsx"), "拡張子（.docx）と内容（Excelブック）が一致しません"),
    ("fake.docx", b"PK\x03\x04not really a zip", "この種類のファイルは添付できません"),
    ("empty.pdf", b"", "ファイルが空です"),
    ("noext", PDF, "拡張子（（拡張子なし））と内容（PDF）が一致しません"),
])
def test_refused_files_leave_nothing_behind(app, client, logged_in, make, name, data, message):
    case = make.case()
    response = upload(client, "case", case.id, name, data)
    assert response.status_code == 303
    page = text_of(client.get(f"/cases/{case.id}"))
    assert message in page and "添付書類（0件）" in page
    assert db.session.scalar(select(Attachment)) is None and stored(app) == []


def test_accepted_types_are_recognised_by_content(app):
    assert service.check_file("a.docx", office("docx"), 10**6)[1] == "docx"
    assert service.check_file("a.xlsx", office("xlsx"), 10**6)[1] == "xlsx"
    assert service.check_file("a.pptx", office("pptx"), 10**6)[1] == "pptx"
    assert service.check_file("写真.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, 10**6)[1] == "jpeg"
    assert service.check_file("名簿.csv", "社名,担当\n青森商事,山田\n".encode("cp932"), 10**6)[1] == "csv"
    assert service.check_file("メモ.txt", "議事録\r\n".encode("utf-8-sig"), 10**6)[1] == "text"


@pytest.mark.parametrize("given, cleaned", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\system.ini.txt", "system.ini.txt"),
    ("/abs/path/報告書.pdf", "報告書.pdf"),
    ("a\x00b\x1b[31m\u202econtrol.pdf", "a b [31m control.pdf"),
    ("...hidden.pdf", "hidden.pdf"),
    ("ﾊﾟﾌﾞﾘｯｸ.pdf".replace("ﾊﾟ", "ハ\u309a"), "パﾌﾞﾘｯｸ.pdf"),  # combining marks composed (NFC)
])
def test_filenames_are_cleaned(app, given, cleaned):
    assert service.clean_filename(given) == cleaned


def test_long_names_keep_their_extension_and_empty_names_are_refused(app):
    name = service.clean_filename("あ" * 300 + ".pdf")
    assert len(name) == service.NAME_MAX and name.endswith(".pdf")
    for bad in ("", "../", "..", " . "):
        with pytest.raises(DomainError):
            service.clean_filename(bad)


def test_a_traversal_name_is_stored_under_a_random_name(app, client, logged_in, make):
    case = make.case()
    upload(client, "case", case.id, "../../../secret.txt", "中身\n".encode())
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "secret.txt"
    assert [f.name for f in stored(app)] == [attachment.stored_name]
    assert not (service.storage_dir(app).parent / "secret.txt").exists()


def test_too_large_a_file_is_refused_in_japanese(tmp_path, monkeypatch):
    from .conftest import fresh_app

    def small(app):
        app.config["ATTACHMENT_MAX_BYTES"] = 1024 * 1024

    for app in fresh_app(tmp_path, monkeypatch, csrf=False, prepare=small):
        from . import factories

        client = app.test_client()
        user = factories.user("big", role="coordinator")
        client.post("/auth/login", data={"login": user.login, "password": factories.PASSWORD})
        case = factories.case()
        just_over = PDF + b"0" * (1024 * 1024 + 1 - len(PDF))
        response = upload(client, "case", case.id, "big.pdf", just_over)
        assert response.status_code == 303
        assert "ファイルが大きすぎます（1MB まで）" in text_of(client.get(f"/cases/{case.id}"))
        huge = upload(client, "case", case.id, "huge.pdf", PDF + b"0" * (2 * 1024 * 1024))
        assert huge.status_code == 413 and "ファイルが大きすぎます" in text_of(huge)
        assert db.session.scalar(select(Attachment)) is None and stored(app) == []


def test_a_confidential_document_is_404_to_outsiders_and_the_refusal_audited(app, client, auth, make):
    member = make.user("shokei", role="succession", centers=["succession"])
    outsider = make.user("ippan", role="coordinator", centers=["onestop"])
    case = make.case(make.client("極秘承継株式会社"), center_code="succession")
    seller = lh.profile(case)
    auth.login(member)
    assert upload(client, "case", case.id, "企業概要書.pdf", PDF).status_code == 303
    assert upload(client, "profile", seller.id, "NDA.pdf", PDF).status_code == 303
    profile_page = text_of(client.get(f"/succession/profiles/{seller.id}"))
    assert "NDA.pdf" in profile_page
    case_doc, profile_doc = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert client.get(f"/attachments/{profile_doc.id}/download").data == PDF
    auth.logout()

    auth.login(outsider)
    for url in (f"/attachments/{case_doc.id}/download", f"/attachments/{profile_doc.id}/download",
                f"/attachments/{case_doc.id}/void"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "企業概要書" not in text_of(response) and "極秘承継" not in text_of(response)
    assert upload(client, "case", case.id, "x.pdf", PDF).status_code == 404
    assert upload(client, "profile", seller.id, "x.pdf", PDF).status_code == 404
    denied = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "denied",
                                                         AuditEntry.user_id == outsider.id)).all()
    assert len(denied) == 5
    downloads = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "download")).all()
    assert [(d.user_id, d.object_id) for d in downloads] == [(member.id, profile_doc.id)]
    assert db.session.scalar(select(Attachment).where(Attachment.original_name == "x.pdf")) is None


def test_documents_on_clients_dispatches_and_deals(app, client, auth, make):
    coordinator = make.user("madoguchi", role="coordinator", centers=["onestop"])
    auth.login(coordinator)
    company = make.client("青森りんご株式会社")
    dispatch = lh.dispatch(make.case(company))
    assert upload(client, "client", company.id, "登記簿.pdf", PDF).status_code == 303
    assert upload(client, "dispatch", dispatch.id, "報告書.docx", office("docx")).status_code == 303
    assert "登記簿.pdf" in text_of(client.get(f"/clients/{company.id}"))
    assert "報告書.docx" in text_of(client.get(f"/dispatch/{dispatch.id}"))
    assert upload(client, "consultation", 1, "x.pdf", PDF).status_code == 404  # not a kind with documents


def test_report_received_takes_the_report_file(app, client, auth, make):
    coordinator = make.user("haken", role="coordinator", centers=["onestop"])
    dispatch = lh.dispatch()
    visit = lh.visit(dispatch)
    auth.login(coordinator)
    response = client.post(f"/dispatch/visits/{visit.id}/report", content_type="multipart/form-data", data={
        "received_on": "2024-06-10", "version": visit.version,
        "report_file": (io.BytesIO(PDF), "専門家報告書.pdf")})
    assert response.status_code == 302
    page = text_of(client.get(f"/dispatch/{dispatch.id}"))
    assert "受領 2024-06-10" in page or "受領 2024/06/10" in page
    assert "専門家報告書.pdf" in page and "報告書（訪問 2024-06-03）" in page
    attachment = db.session.scalar(select(Attachment))
    assert (attachment.record_kind, attachment.record_id) == ("dispatch", dispatch.id)


def test_a_bad_report_file_saves_neither_the_date_nor_the_file(app, client, auth, make):
    coordinator = make.user("haken2", role="coordinator", centers=["onestop"])
    dispatch = lh.dispatch()
    visit = lh.visit(dispatch)
    auth.login(coordinator)
    client.post(f"/dispatch/visits/{visit.id}/report", content_type="multipart/form-data", data={
        "received_on": "2024-06-10", "version": visit.version, "report_file": (io.BytesIO(b"MZ\x90\x00"), "r.pdf")})
    page = text_of(client.get(f"/dispatch/{dispatch.id}"))
    assert "実行ファイル・スクリプトは添付できません" in page and "受領を記録" in page
    db.session.expire_all()
    assert db.session.scalar(select(Attachment)) is None and visit.report_received_on is None
    # without a file (a paper report) the date alone is recorded
    client.post(f"/dispatch/visits/{visit.id}/report", data={"received_on": "2024-06-11", "version": visit.version})
    db.session.expire_all()
    assert str(visit.report_received_on) == "2024-06-11"


def test_void_keeps_the_file_and_hides_the_document(app, client, auth, make):
    uploader = make.user("kiroku", role="coordinator", centers=["onestop"])
    case = make.case()
    auth.login(uploader)
    upload(client, "case", case.id, "誤添付.pdf", PDF)
    attachment = db.session.scalar(select(Attachment))
    page = client.get(f"/attachments/{attachment.id}/void")
    assert page.status_code == 200 and "添付書類の取消" in text_of(page)
    missing = client.post(f"/attachments/{attachment.id}/void", data={"version": attachment.version, "reason": ""})
    assert missing.status_code == 422 and "取消の理由を入力してください。" in text_of(missing)
    done = client.post(f"/attachments/{attachment.id}/void", data={"version": attachment.version, "reason": "別の会社の書類"})
    assert done.status_code == 302
    db.session.expire_all()
    assert attachment.voided_at is not None and attachment.void_reason == "別の会社の書類"
    assert attachment.voided_by_id == uploader.id
    assert "添付書類（0件）" in text_of(client.get(f"/cases/{case.id}"))
    assert client.get(f"/attachments/{attachment.id}/download").status_code == 404
    assert service.path_of(attachment, app).is_file()  # voided, not deleted
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "void",
                                                      AuditEntry.object_type == "Attachment")) is not None


def test_someone_elses_document_is_voided_only_by_a_manager(app, client, auth, make):
    uploader = make.user("a1", role="coordinator", centers=["onestop"])
    colleague = make.user("a2", role="coordinator", centers=["onestop"])
    case = make.case()
    auth.login(uploader)
    upload(client, "case", case.id, "書類.pdf", PDF)
    auth.logout()
    attachment = db.session.scalar(select(Attachment))
    auth.login(colleague)
    assert client.get(f"/attachments/{attachment.id}/void").status_code == 403
    assert "取消</a>" not in client.get(f"/cases/{case.id}").get_data(as_text=True).split('id="documents"')[1]


def test_logged_out_upload_and_download_go_to_login(client):
    for response in (client.get("/attachments/1/download"), client.post("/attachments/case/1")):
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_file_written_in_a_transaction_that_rolls_back_is_removed(app, make):
    case = make.case()
    kept = service.attach_file(case, "残る.pdf", PDF, by=None)
    db.session.commit()
    service.attach_file(case, "消える.pdf", PDF, by=None)
    assert len(stored(app)) == 2
    db.session.rollback()
    assert [f.name for f in stored(app)] == [kept.stored_name]
