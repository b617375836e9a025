"""A small world for access-control tests: one staff member per role and, in each of three
centers (onestop, startup, succession), one record of every kind, linked together.

Records are built directly from the models (not through the services other issues may still
be changing), so the fixture keeps working as blueprints land.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from casework.extensions import db
from casework.models import (
    AuditEntry, Case, CaseStageChange, Consultation, Deal, DealStep, Diagnosis, Dispatch, DispatchProgram,
    DispatchVisit, Event, Expert, FollowUp, Founding, Grant, JobRun, MatchProfile, Notification, Referral,
    TallySnapshot,
)
from casework.models import ProgramTerm
from sqlalchemy import select

from . import factories

ROLES = {
    # name: (role, centers)
    "admin": ("admin", []),
    "manager": ("manager", ["onestop", "yorozu", "startup"]),
    "coordinator": ("coordinator", ["onestop"]),
    "im": ("im", ["startup"]),
    "succession": ("succession", ["succession"]),
}
MEMBERS = {
    "onestop": {"admin", "manager", "coordinator"},
    "startup": {"admin", "manager", "im"},
    "succession": {"admin", "succession"},
}
D = dt.date(2024, 5, 10)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)  # center code -> {param name: id}
    names: dict = field(default_factory=dict)  # center code -> client name
    secrets: list = field(default_factory=list)  # text only succession members may ever read
    globals: dict = field(default_factory=dict)  # params not tied to a center


def build() -> World:
    w = World()
    for name, (role, centers) in ROLES.items():
        w.users[name] = factories.user(f"m_{name}", role=role, centers=centers, name=f"職員{name}")
    expert = Expert(name="専門家 一郎", fee_per_visit=30000)
    db.session.add(expert)
    db.session.flush()
    for code in ("onestop", "startup", "succession"):
        w.ids[code] = _center_records(w, code, expert)
    db.session.commit()
    # succession-only records: M&A profiles and a deal between two succession clients
    s = w.ids["succession"]
    seller_case = db.session.get(Case, s["case_id"])
    buyer_client = factories.client(name="極秘譲受候補株式会社", name_kana="ゴクヒジョウジュ")
    buyer_case = factories.case(buyer_client, center_code="succession")
    seller = MatchProfile(case_id=seller_case.id, side="seller", code_name="S-2024-901", industry_code="E",
                          summary="非公開の譲渡案件")
    buyer = MatchProfile(case_id=buyer_case.id, side="buyer", code_name="B-2024-902", industry_code="E",
                         summary="非公開の譲受案件")
    db.session.add_all([seller, buyer])
    db.session.flush()
    deal = Deal(seller_id=seller.id, buyer_id=buyer.id, center_id=seller_case.center_id, stage="nda", stage_on=D)
    db.session.add(deal)
    db.session.flush()
    step = DealStep(deal_id=deal.id, stage="nda", stepped_on=D, by_id=w.users["succession"].id)
    db.session.add(step)
    db.session.flush()
    s.update(profile_id=seller.id, seller_id=seller.id, buyer_id=buyer.id, match_profile_id=seller.id,
             deal_id=deal.id, step_id=step.id, deal_step_id=step.id)
    w.secrets += [buyer_client.name, "S-2024-901", "B-2024-902"]
    # things that are not tied to a center
    program = db.session.scalar(select(DispatchProgram).where(DispatchProgram.code == "onestop"))
    run = JobRun(job="digest", period="2024-05-10", status="done")
    snapshot = TallySnapshot(month="2024-04", data={}, fingerprint="x")
    db.session.add_all([run, snapshot])
    db.session.flush()
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    w.globals = {"expert_id": expert.id, "program_id": program.id, "user_id": w.users["coordinator"].id,
                 "staff_id": w.users["coordinator"].id, "center_id": factories.center("onestop").id,
                 "run_id": run.id, "job_run_id": run.id, "snapshot_id": snapshot.id, "entry_id": entry.id,
                 "audit_id": entry.id, "term_id": db.session.scalar(select(ProgramTerm.id).limit(1)),
                 "section_id": 1, "row_id": 1}  # the seeded report definitions
    w.globals.update(_corrections(w))
    for name, user in w.users.items():
        note = Notification(user_id=user.id, kind="reminder", title=f"{name}へのお知らせ", link="/")
        db.session.add(note)
        db.session.flush()
        w.ids.setdefault("own", {})[name] = note.id
    db.session.commit()
    return w


def _center_records(w: World, code: str, expert: Expert) -> dict:
    label = {"onestop": "一般", "startup": "創業", "succession": "極秘承継"}[code]
    client = factories.client(name=f"{label}テスト株式会社", name_kana=f"テスト{code}")
    w.names[code] = client.name
    if code == "succession":
        w.secrets.append(client.name)
    case = factories.case(client, center_code=code, title=f"{label}の案件")
    consultation = factories.consultation(client, center_code=code, case_id=case.id, notes=f"{label}の相談メモ")
    center_id = case.center_id
    event = factories.event(center_code=code, kind="seminar", title=f"{label}セミナー")
    user = w.users["admin"]
    program = db.session.scalar(select(DispatchProgram).where(DispatchProgram.code.in_([code, "onestop"]))
                                .order_by((DispatchProgram.code == code).desc()))
    dispatch = Dispatch(case_id=case.id, client_id=client.id, center_id=center_id, expert_id=expert.id,
                        program_id=program.id, status="approved", requested_on=D, requested_by_id=user.id,
                        planned_visits=2)
    db.session.add(dispatch)
    db.session.flush()
    visit = DispatchVisit(dispatch_id=dispatch.id, case_id=case.id, client_id=client.id, center_id=center_id,
                          expert_id=expert.id, held_on=D, fee=30000, company_share=10000,
                          report_due_on=D + dt.timedelta(days=14))
    follow_up = FollowUp(client_id=client.id, case_id=case.id, center_id=center_id, due_on=D + dt.timedelta(days=90),
                         reason=f"{label}フォローアップ", assignee_id=user.id)
    grant = Grant(client_id=client.id, case_id=case.id, center_id=center_id, program="移住起業支援金", applied_on=D)
    other = factories.center("yorozu").id
    referral = Referral(client_id=client.id, from_case_id=case.id, from_center_id=center_id, to_center_id=other,
                        referred_on=D, consent_on=D, consent_method="書面")
    stage = CaseStageChange(case_id=case.id, stage="consultation", changed_on=D)
    db.session.add_all([visit, follow_up, grant, referral, stage])
    db.session.flush()
    ids = {"client_id": client.id, "case_id": case.id, "consultation_id": consultation.id, "event_id": event.id,
           "dispatch_id": dispatch.id, "visit_id": visit.id, "dispatch_visit_id": visit.id,
           "followup_id": follow_up.id, "follow_up_id": follow_up.id, "grant_id": grant.id,
           "referral_id": referral.id, "stage_change_id": stage.id}
    ids.update(_program_records(client, case, event, code, label))
    ids.update(_documents_and_outreach(client, case, code, label, user))
    if code == "startup":
        founding = Founding(case_id=case.id, founded_on=D, business_name="創業テスト商店")
        db.session.add(founding)
        db.session.flush()
        ids["founding_id"] = founding.id
    if code == "succession":
        diagnosis = Diagnosis(client_id=client.id, center_id=center_id, held_on=D, result="極秘の診断結果")
        db.session.add(diagnosis)
        db.session.flush()
        ids["diagnosis_id"] = diagnosis.id
    return ids


def _documents_and_outreach(client, case, code: str, label: str, user) -> dict:
    """A document on the case (its file under the test's instance folder) and an outreach day of
    the center with one slot booked for the client."""
    from casework.models import OutreachDay, OutreachSlot
    from casework.services.attachments import attach_file

    document = attach_file(case, f"{label}の決算書.pdf", b"%PDF-1.4\n%%EOF\n", by=user)
    day = OutreachDay(center_id=case.center_id, held_on=D, place=f"{label}会場", created_by_id=user.id)
    day.slots = [OutreachSlot(starts_at=dt.time(10), ends_at=dt.time(10, 45), client_id=client.id)]
    db.session.add(day)
    db.session.flush()
    return {"attachment_id": document.id, "day_id": day.id, "slot_id": day.slots[0].id}


def _program_records(client, case, event, code: str, label: str) -> dict:
    """One record of each program kind (registrations, introductions, milestones, attendance)."""
    from casework.models import CaseMilestone, EventAttendance, Introduction, Program, ProgramTerm, Registration

    program = db.session.scalar(select(Program).where(Program.code == code))
    term = {(t.kind, t.code): t.id for t in db.session.scalars(select(ProgramTerm))}
    partner = factories.client(name=f"{label}紹介先株式会社", name_kana=f"ショウカイ{code}")
    registration = Registration(client_id=client.id, center_id=case.center_id, program_id=program.id,
                                side_id=term[("side", "buyer")], registered_on=D)
    introduction = Introduction(center_id=case.center_id, program_id=program.id, buyer_client_id=client.id,
                                supplier_client_id=partner.id, introduced_on=D)
    milestone = CaseMilestone(case_id=case.id, client_id=client.id, center_id=case.center_id, program_id=program.id,
                              milestone_id=term[("milestone", "pre_consultation")], achieved_on=D)
    attendance = EventAttendance(event_id=event.id, center_id=event.center_id, company_name=f"{label}参加企業",
                                 companies=1, companies_in_prefecture=1, meetings=2)
    db.session.add_all([registration, introduction, milestone, attendance])
    db.session.flush()
    return {"registration_id": registration.id, "introduction_id": introduction.id, "milestone_id": milestone.id,
            "attendance_id": attendance.id}


def _corrections(w: World) -> dict:
    """A merge (of an onestop client) and a void, for the corrections pages (merge_id, void_id)."""
    from casework.services import audit, voiding

    survivor = db.session.get(Case, w.ids["onestop"]["case_id"]).client
    duplicate = factories.client(name="一般テスト株式会社（重複）", name_kana="テストジュウフク")
    merge = audit.record("merge", survivor, user=w.users["admin"], detail={
        "duplicate_id": duplicate.id, "duplicate_name": duplicate.name, "reason": "二重登録", "moved": {}})
    spare = factories.consultation(survivor, notes="取消する相談")
    voiding.void_record(spare, "誤登録", w.users["admin"])
    db.session.flush()
    void = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "void").order_by(AuditEntry.id.desc()))
    return {"merge_id": merge.id, "void_id": void.id}
