"""The API's steps beyond create / update, as the web offers them: a dispatch from request to
decision, visits, the report with its file, completion; closing and reopening a case; 取消 of a
record. Each role as on the web (the permission table, casework/access.py: confidential records
404 to outsiders and audited), each step at the version edited (If-Match 412 / version 409 / 428)."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Attachment, AuditEntry, Dispatch, DispatchVisit, FollowUp
from casework.services import attachments

from . import world as W
from .api_helpers import bearer, token_for
from .test_attachments import PDF

PROBLEM = "application/problem+json"


def _api(app, user, scope="write"):
    return app.test_client(), bearer(token_for(user, scope))


def _requested(w, code="onestop"):
    """A new request on the center's case (the world's own dispatch is already approved)."""
    d = db.session.get(Dispatch, w.ids[code]["dispatch_id"])
    fresh = Dispatch(case_id=d.case_id, client_id=d.client_id, center_id=d.center_id, expert_id=d.expert_id,
                     program_id=d.program_id, status="requested", requested_on=W.D,
                     requested_by_id=w.users["coordinator"].id)
    db.session.add(fresh)
    db.session.commit()
    return fresh.id


def _audit(action, object_type, object_id):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action,
                                                            AuditEntry.object_type == object_type,
                                                            AuditEntry.object_id == object_id)))


def test_a_dispatch_walks_every_step_of_the_web_through_the_api(app):
    w = W.build()
    dispatch_id = _requested(w)
    coordinator, c_headers = _api(app, w.users["coordinator"])
    manager, m_headers = _api(app, w.users["manager"])
    url = f"/api/v1/dispatches/{dispatch_id}"

    # the decision is a manager's: a coordinator is refused as on the web (403, audited)
    refused = coordinator.post(f"{url}/decision", json={"decision": "approve", "version": 1}, headers=c_headers)
    assert refused.status_code == 403 and refused.mimetype == PROBLEM
    assert db.session.get(Dispatch, dispatch_id).status == "requested"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied",
                                                      AuditEntry.user_id == w.users["coordinator"].id))
    # without a version: 428; a stale If-Match: 412; a stale body version: 409
    assert manager.post(f"{url}/decision", json={"decision": "approve"}, headers=m_headers).status_code == 428
    stale = manager.post(f"{url}/decision", json={"decision": "approve"}, headers={**m_headers, "If-Match": '"7"'})
    assert stale.status_code == 412 and stale.get_json()["current_version"] == 1
    conflict = manager.post(f"{url}/decision", json={"decision": "approve", "version": 7}, headers=m_headers)
    assert conflict.status_code == 409 and conflict.get_json()["current_version"] == 1
    # the service's rule: a rejection needs its reason, beside the field
    no_reason = manager.post(f"{url}/decision", json={"decision": "reject", "version": 1}, headers=m_headers)
    assert no_reason.status_code == 422
    assert no_reason.get_json()["errors"] == [{"field": "note", "message": "却下の理由を入力してください。"}]
    future = manager.post(f"{url}/decision", json={"decision": "approve", "decided_on": "2099-01-01", "version": 1},
                          headers=m_headers)
    assert future.status_code == 422 and future.get_json()["errors"][0]["field"] == "decided_on"
    approved = manager.post(f"{url}/decision", json={"decision": "approve", "decided_on": "2024-05-12"},
                            headers={**m_headers, "If-Match": '"1"'})
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["status"] == "approved" and approved.headers["ETag"] == '"2"'
    assert _audit("approve", "Dispatch", dispatch_id)[0].user_id == w.users["manager"].id
    again = manager.post(f"{url}/decision", json={"decision": "reject", "note": "x", "version": 2}, headers=m_headers)
    assert again.status_code == 422  # already decided

    # the requester logs the visit: 201, its Location, the fee and share from the expert and program
    visit = coordinator.post(f"{url}/visits", json={"held_on": "2024-05-20", "hours": 2, "notes": "資金繰りの助言"},
                             headers=c_headers)
    assert visit.status_code == 201, visit.get_json()
    body = visit.get_json()
    assert (body["fee"], body["company_share"], body["report_received_on"]) == (30000, 10000, None)
    assert coordinator.get(visit.headers["Location"], headers=c_headers).get_json() == body
    listed = coordinator.get(f"{url}/visits", headers=c_headers).get_json()
    assert [v["id"] for v in listed["items"]] == [body["id"]] and listed["next"] is None
    followup = db.session.scalar(select(FollowUp).where(FollowUp.source_key == f"dispatch_report:{body['id']}"))
    assert followup is not None and followup.completed_on is None

    # the report received, with its file (multipart, as the web's form): a document of the dispatch
    report_url = f"/api/v1/dispatch-visits/{body['id']}/report"
    stale = coordinator.post(report_url, data={"received_on": "2024-05-25", "report_file": (io.BytesIO(PDF), "報告書.pdf")},
                             headers={**c_headers, "If-Match": '"9"'}, content_type="multipart/form-data")
    assert stale.status_code == 412
    wrong = coordinator.post(report_url, data={"received_on": "2024-05-25", "version": "1",
                                               "report_file": (io.BytesIO(b"MZ\x90\x00"), "report.pdf")},
                             headers=c_headers, content_type="multipart/form-data")
    assert wrong.status_code == 422 and wrong.get_json()["errors"][0]["field"] == "file"
    text = coordinator.post(report_url, data={"received_on": "2024-05-25", "version": "1", "report_file": "報告書.pdf"},
                            headers=c_headers, content_type="multipart/form-data")
    assert text.status_code == 422 and text.get_json()["errors"][0]["field"] == "report_file"
    assert db.session.get(DispatchVisit, body["id"]).report_received_on is None  # nothing saved
    assert db.session.scalar(select(func.count()).select_from(Attachment)
                             .where(Attachment.record_kind == "dispatch")) == 0
    received = coordinator.post(report_url, data={"received_on": "2024-05-25", "version": "1",
                                                  "report_file": (io.BytesIO(PDF), "報告書.pdf")},
                                headers=c_headers, content_type="multipart/form-data")
    assert received.status_code == 200, received.get_json()
    assert received.get_json()["report_received_on"] == "2024-05-25" and received.headers["ETag"] == '"2"'
    document = db.session.scalar(select(Attachment).where(Attachment.record_kind == "dispatch",
                                                          Attachment.record_id == dispatch_id))
    assert document.original_name == "報告書.pdf" and document.label == "報告書（訪問 2024-05-20）"
    assert attachments.path_of(document, app).read_bytes() == PDF
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).completed_on is not None  # the report follow-up is done
    twice = coordinator.post(report_url, data={"received_on": "2024-05-26", "version": "2"}, headers=c_headers,
                             content_type="multipart/form-data")
    assert twice.status_code == 422  # already received
    # without a file it is the date only, as on the web
    second = coordinator.post(f"{url}/visits", json={"held_on": "2024-05-27"}, headers=c_headers).get_json()
    plain = coordinator.post(f"/api/v1/dispatch-visits/{second['id']}/report", data={"received_on": "2024-05-28"},
                             headers={**c_headers, "If-Match": '"1"'}, content_type="multipart/form-data")
    assert plain.status_code == 200 and plain.get_json()["report_received_on"] == "2024-05-28"

    # complete: any member, at the version edited
    assert coordinator.post(f"{url}/complete", json={"version": 1}, headers=c_headers).status_code == 409
    done = coordinator.post(f"{url}/complete", json={}, headers={**c_headers, "If-Match": '"2"'})
    assert done.status_code == 200 and done.get_json()["status"] == "completed"
    assert coordinator.post(f"{url}/complete", json={"version": 3}, headers=c_headers).status_code == 422


def test_confidential_steps_are_404_to_outsiders_and_audited_for_members(app):
    w = W.build()
    s = w.ids["succession"]
    outsider, o_headers = _api(app, w.users["manager"])  # may decide, but not at the succession center
    member, s_headers = _api(app, w.users["succession"])
    attempts = [("post", f"/api/v1/dispatches/{s['dispatch_id']}/decision", {"decision": "approve", "version": 1}),
                ("post", f"/api/v1/dispatches/{s['dispatch_id']}/complete", {"version": 1}),
                ("post", f"/api/v1/dispatches/{s['dispatch_id']}/visits", {"held_on": "2024-05-20"}),
                ("get", f"/api/v1/dispatches/{s['dispatch_id']}/visits", None),
                ("get", f"/api/v1/dispatch-visits/{s['visit_id']}", None),
                ("post", f"/api/v1/dispatch-visits/{s['visit_id']}/void", {"reason": "誤り", "version": 1}),
                ("post", f"/api/v1/cases/{s['case_id']}/close", {"closed_on": "2024-06-01", "version": 1}),
                ("post", f"/api/v1/follow-ups/{s['followup_id']}/void", {"reason": "誤り", "version": 1})]
    for method, url, body in attempts:
        response = getattr(outsider, method)(url, json=body, headers=o_headers)
        assert response.status_code == 404 and response.mimetype == PROBLEM, (url, response.status_code)
        assert not any(secret in response.get_data(as_text=True) for secret in w.secrets)
    denied = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "denied",
                                                         AuditEntry.user_id == w.users["manager"].id)).all()
    assert {(e.object_type, e.object_id) for e in denied} >= {("Dispatch", s["dispatch_id"]),
                                                              ("DispatchVisit", s["visit_id"]), ("Case", s["case_id"])}
    assert db.session.get(DispatchVisit, s["visit_id"]).voided_at is None

    got = member.get(f"/api/v1/dispatch-visits/{s['visit_id']}", headers=s_headers)
    assert got.status_code == 200
    assert [e.user_id for e in _audit("view", "DispatchVisit", s["visit_id"])] == [w.users["succession"].id]
    listed = member.get(f"/api/v1/dispatches/{s['dispatch_id']}/visits", headers=s_headers)
    assert [v["id"] for v in listed.get_json()["items"]] == [s["visit_id"]]
    assert len(_audit("view", "DispatchVisit", s["visit_id"])) == 2  # the list's row is a view too


def test_void_is_the_web_s_rule_reason_version_and_what_goes_along(app, make):
    w = W.build()
    o = w.ids["onestop"]
    coordinator, c_headers = _api(app, w.users["coordinator"])
    manager, m_headers = _api(app, w.users["manager"])
    # a client is voided by managers and admins only: 403 for a coordinator, audited, nothing voided
    refused = coordinator.post(f"/api/v1/clients/{o['client_id']}/void", json={"reason": "重複", "version": 1},
                               headers=c_headers)
    assert refused.status_code == 403 and refused.mimetype == PROBLEM
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "denied",
                                                      AuditEntry.user_id == w.users["coordinator"].id))
    url = f"/api/v1/dispatches/{o['dispatch_id']}/void"
    assert manager.post(url, json={"version": 1}, headers=m_headers).status_code == 422  # the reason is required
    assert manager.post(url, json={"reason": "誤登録"}, headers=m_headers).status_code == 428
    assert manager.post(url, json={"reason": "誤登録"}, headers={**m_headers, "If-Match": '"5"'}).status_code == 412
    voided = manager.post(url, json={"reason": "誤登録", "version": 1}, headers=m_headers)
    assert voided.status_code == 200, voided.get_json()
    body = voided.get_json()
    assert body["kind"] == "専門家派遣" and body["void_reason"] == "誤登録" and len(body["along"]) == 1
    assert body["along"][0].startswith("訪問 2024-05-10") and voided.headers["ETag"] == f'"{body["version"]}"' == '"2"'
    assert db.session.get(DispatchVisit, o["visit_id"]).voided_at is not None
    assert manager.get(f"/api/v1/dispatches/{o['dispatch_id']}", headers=m_headers).status_code == 404
    assert [e.user_id for e in _audit("void", "Dispatch", o["dispatch_id"])] == [w.users["manager"].id]
    # a consultation the coordinator entered is theirs to void
    mine = coordinator.post("/api/v1/consultations", json={
        "client_id": make.client(name="自分の相談株式会社").id, "held_on": "2024-05-01", "channel_code": "window",
        "center_id": make.center("onestop").id}, headers=c_headers).get_json()
    own = coordinator.post(f"/api/v1/consultations/{mine['id']}/void", json={"reason": "二重登録"},
                           headers={**c_headers, "If-Match": '"1"'})
    assert own.status_code == 200 and own.get_json()["along"] == []


def test_a_case_closes_with_its_outcome_and_reopens(app):
    w = W.build()
    case_id = w.ids["onestop"]["case_id"]
    client, headers = _api(app, w.users["coordinator"])
    url = f"/api/v1/cases/{case_id}"
    version = client.get(url, headers=headers).get_json()["version"]
    early = client.post(f"{url}/close", json={"closed_on": "2000-01-01", "version": version}, headers=headers)
    assert early.status_code == 422 and early.get_json()["errors"][0]["field"] == "closed_on"
    closed = client.post(f"{url}/close", json={"closed_on": "2024-06-01", "version": version}, headers=headers)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["closed_on"] == "2024-06-01" and closed.headers["ETag"] == f'"{version + 1}"'
    assert client.post(f"{url}/reopen", json={"version": version}, headers=headers).status_code == 409
    reopened = client.post(f"{url}/reopen", json={}, headers={**headers, "If-Match": f'"{version + 1}"'})
    assert reopened.status_code == 200 and reopened.get_json()["closed_on"] is None


def test_a_read_token_cannot_take_a_step(app):
    w = W.build()
    client, headers = _api(app, w.users["manager"], "read")
    response = client.post(f"/api/v1/dispatches/{w.ids['onestop']['dispatch_id']}/complete", json={"version": 1},
                           headers=headers)
    assert response.status_code == 403 and db.session.get(Dispatch, w.ids["onestop"]["dispatch_id"]).status == "approved"
