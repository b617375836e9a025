"""The API's records: the web's visibility (confidential 404 + audit), optimistic locking
(ETag / If-Match 412 / 428 / version 409), keyset pages, problem+json errors, the reports."""
from __future__ import annotations

import json

from sqlalchemy import select

from casework.extensions import db
from casework.models import AuditEntry, Client

from . import world as W
from .api_helpers import bearer, token_for

PROBLEM = "application/problem+json"


def _api(app, user, scope="write"):
    client = app.test_client()
    headers = bearer(token_for(user, scope))
    return client, headers


def test_a_confidential_client_is_404_to_outsiders_and_each_read_is_audited(app):
    w = W.build()
    secret = w.ids["succession"]["client_id"]
    outsider, headers = _api(app, w.users["coordinator"], "read")
    response = outsider.get(f"/api/v1/clients/{secret}", headers=headers)
    assert response.status_code == 404 and response.mimetype == PROBLEM
    assert w.names["succession"] not in response.get_data(as_text=True)
    denied = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied"))
    assert (denied.object_type, denied.object_id, denied.user_id) == ("Client", secret, w.users["coordinator"].id)
    listed = outsider.get("/api/v1/clients?limit=100", headers=headers).get_data(as_text=True)
    assert not any(s in listed for s in w.secrets)

    member, headers = _api(app, w.users["succession"], "read")
    response = member.get(f"/api/v1/clients/{secret}", headers=headers)
    assert response.status_code == 200 and response.get_json()["name"] == w.names["succession"]
    views = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "view",
                                                              AuditEntry.object_type == "Client",
                                                              AuditEntry.object_id == secret)))
    assert len(views) == 1 and views[0].user_id == w.users["succession"].id
    case = w.ids["succession"]["case_id"]
    assert member.get(f"/api/v1/cases/{case}", headers=headers).status_code == 200
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "view", AuditEntry.object_type == "Case",
                                                      AuditEntry.object_id == case)) is not None


def test_if_match_412_428_and_version_409_say_what_changed(app, make):
    user = make.user("locker", role="coordinator", centers=["onestop"])
    client, headers = _api(app, user)
    created = client.post("/api/v1/clients", json={"name": "版管理テスト株式会社", "employees": 5}, headers=headers)
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    url = created.headers["Location"]
    got = client.get(url, headers=headers)
    assert got.headers["ETag"] == '"1"'

    missing = client.patch(url, json={"employees": 6}, headers=headers)
    assert missing.status_code == 428 and missing.mimetype == PROBLEM and "If-Match" in missing.get_json()["detail"]

    ok = client.patch(url, json={"employees": 6}, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"' and ok.get_json()["employees"] == 6

    stale = client.patch(url, json={"employees": 7}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.get_json()["current_version"] == 2
    conflict = client.patch(url, json={"employees": 8, "version": 1}, headers=headers)
    body = conflict.get_json()
    assert conflict.status_code == 409 and body["current_version"] == 2
    assert body["changes"]["employees"] == {"stored": 6, "submitted": 8}
    assert db.session.get(Client, ok.get_json()["id"]).employees == 6  # nothing overwritten
    fine = client.patch(url, json={"employees": 8, "version": 2}, headers=headers)
    assert fine.status_code == 200 and fine.get_json()["version"] == 3


def test_keyset_pages_walk_every_record_once(app, make):
    user = make.user("pager", role="coordinator", centers=["onestop"])
    for n in range(7):
        make.client(name=f"ページ{n}株式会社")
    db.session.commit()
    client, headers = _api(app, user, "read")
    seen, url = [], "/api/v1/clients?limit=3"
    while url:
        page = client.get(url, headers=headers).get_json()
        seen += [c["id"] for c in page["items"]]
        assert len(page["items"]) <= 3
        url = page["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7
    for bad in ("limit=0", "limit=101", "limit=abc", "after=-1", "after=99999999999999"):
        response = client.get(f"/api/v1/clients?{bad}", headers=headers)
        assert response.status_code == 422 and response.mimetype == PROBLEM, bad


def test_validation_errors_list_each_field_in_japanese(app, make):
    user = make.user("validator", role="coordinator", centers=["onestop"])
    client, headers = _api(app, user)
    response = client.post("/api/v1/consultations", json={"client_id": "x", "held_on": "令和99年13月1日",
                                                          "surprise": 1}, headers=headers)
    body = response.get_json()
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert body["title"] == "入力内容に誤りがあります" and body["title_en"] == "Validation failed"
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert set(fields) >= {"client_id", "held_on", "channel_code", "surprise"}
    assert fields["channel_code"] == "必須の項目です。" and fields["surprise"] == "この項目はありません。"
    for raw in (b"{not json", b"[1, 2]", json.dumps({"name": "\ud800"}).encode()):
        response = client.post("/api/v1/clients", data=raw, headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 422 and response.mimetype == PROBLEM, raw
    # a service's rule (the same as the form's) is a 422 beside its field
    case_client = make.client(name="規則テスト株式会社")
    db.session.commit()
    response = client.post("/api/v1/consultations", json={"client_id": case_client.id, "held_on": "2024-05-01",
                                                          "channel_code": "telepathy", "center_id": 1}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "channel_code", "message": "相談方法が不正です。"}]


def test_writes_go_through_the_services_and_are_audited(app, make):
    user = make.user("writer", role="coordinator", centers=["onestop"])
    client, headers = _api(app, user)
    target = make.client(name="記録テスト株式会社")
    db.session.commit()
    response = client.post("/api/v1/consultations", json={"client_id": target.id, "held_on": "2024-05-01",
                                                          "channel_code": "window", "center_id": make.center("onestop").id},
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["case_id"]  # the service opened a case for it, as the form does
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Consultation"))
    assert (entry.action, entry.user_id) == ("create", user.id)
    again = client.post("/api/v1/clients", json={"name": "記録テスト株式会社"}, headers=headers)
    assert again.status_code == 409 and again.get_json()["duplicates"][0]["id"] == target.id
    assert client.post("/api/v1/clients", json={"name": "記録テスト株式会社", "confirm_duplicate": True},
                       headers=headers).status_code == 201


def test_the_reports_are_the_cli_figures(app, make, runner):
    make.consultation(make.client(name="集計テスト株式会社"), center_code="onestop", held_on=__import__("datetime").date(2024, 5, 1))
    db.session.commit()
    admin = make.user("reportadmin", role="admin", centers=[])
    client, headers = _api(app, admin, "read")
    annual = client.get("/api/v1/reports/annual/2024", headers=headers)
    cli = json.loads(runner.invoke(args=["report", "annual", "--fy", "2024", "--format", "json"]).output)
    assert annual.status_code == 200 and annual.get_json() == cli
    tally = client.get("/api/v1/tally/2024-05", headers=headers)
    cli = json.loads(runner.invoke(args=["tally", "--month", "2024-05", "--format", "json"]).output)
    assert tally.get_json() == cli and tally.get_json()["sections"]["onestop"]["window"] == 1
    rows = client.get("/api/v1/tally/2024-05/rows", headers=headers).get_json()["rows"]
    assert {"section": "onestop", "section_title": "ワンストップ総合相談事業", "row": "window", "label": "窓口相談",
            "value": 1, "unit": "件"} in rows
    assert client.get("/api/v1/tally/2024-13", headers=headers).status_code == 404
    assert client.get("/api/v1/reports/annual/20245", headers=headers).status_code == 404


def test_the_openapi_document_is_valid_3_1_with_bearer_auth(app):
    from openapi_spec_validator import validate

    response = app.test_client().get("/api/v1/openapi.json")
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert spec["security"] == [{"bearerAuth": []}]
    operations = [op for path in spec["paths"].values() for method, op in path.items() if method != "parameters"]
    assert len(operations) >= 20
    for op in operations:  # every error is documented as problem+json
        assert op["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}
    assert "application/problem+json" in spec["components"]["responses"]["DEFAULT_ERROR"]["content"]


def test_unknown_urls_and_methods_under_the_api_are_problems_too(app):
    client = app.test_client()
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.mimetype == PROBLEM and missing.get_json()["title"] == "見つかりません"
    wrong = client.delete("/api/v1/openapi.json")
    assert wrong.status_code == 405 and wrong.mimetype == PROBLEM
    page = client.get("/no-such-page")  # the screens keep their Japanese HTML page
    assert page.status_code == 404 and page.mimetype == "text/html"
