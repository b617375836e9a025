"""One write path (issue 11): the legacy import applies the services' own rules — which open case
a consultation joins, a startup case's first stage, a diagnosis's center — and reads the ids of
what it inserted back from the insert itself."""
import datetime as dt

from sqlalchemy import event, func, select

from casework.extensions import db
from casework.models import Case, Center, Client, Consultation, Diagnosis
from casework.services import cases as case_service
from casework.services.consultations import ConsultationData, log_consultation
from casework.services.legacy_import import apply_plan, validate_files
from casework.services.succession import DiagnosisData, diagnosis_center_id, record_diagnosis

HEADER = "ref,client_ref,center,opened_on,closed_on\n"
CASES = ("K1,{c},onestop,2024-04-01,\n"
         "K2,{c},onestop,2024-05-01,\n"
         "K3,{c},onestop,2024-06-01,\n"  # voided below: never joined
         "K4,{c},onestop,2024-03-01,2024-06-30\n"
         "K5,{c},onestop,2024-05-01,\n")  # opened the same day as K2, created after it


def do_import(files: dict[str, str]):
    plan = validate_files([(name, text.encode()) for name, text in files.items()])
    assert plan.errors == [], plan.error_lines()
    return apply_plan(plan)


def center_id(code):
    return db.session.scalar(select(Center.id).where(Center.code == code))


def test_a_consultation_without_a_case_joins_the_case_the_web_would_choose(app):
    do_import({"clients.csv": "ref,name\nA,株式会社甲\nB,株式会社乙\n",
               "cases.csv": HEADER + CASES.format(c="A") + CASES.format(c="B").replace("K", "L")})
    for ref in ("K3", "L3"):
        db.session.scalar(select(Case).where(Case.ref == ref)).voided_at = dt.datetime.now(dt.timezone.utc)
    db.session.flush()
    days = ["2024-06-10", "2024-04-15", "2024-03-15", "2024-07-01"]
    do_import({"consultations.csv": "ref,client_ref,center,channel,held_on\n"
               + "".join(f"S{i},A,onestop,window,{day}\n" for i, day in enumerate(days))})
    by_import = {c.held_on: c.case.ref for c in db.session.scalars(select(Consultation))}
    client_b = db.session.scalar(select(Client).where(Client.ref == "B"))
    by_service = {}
    for day in days:
        on = dt.date.fromisoformat(day)
        logged = log_consultation(client_b, ConsultationData(held_on=on, channel_code="window",
                                                             center_id=center_id("onestop")))
        by_service[on] = logged.case.ref and logged.case.ref.replace("L", "K")
    assert by_import == by_service
    assert by_import[dt.date(2024, 6, 10)] == "K5"  # latest opened; of two, the latest created; never voided K3
    assert by_import[dt.date(2024, 4, 15)] == "K1"
    assert by_import[dt.date(2024, 3, 15)] == "K4"


def test_a_case_the_import_opens_at_the_startup_center_starts_where_the_web_starts(app, make):
    do_import({"clients.csv": "ref,name\nA,創業 太郎\n",
               "consultations.csv": "ref,client_ref,center,channel,held_on\nS1,A,startup,window,2024-05-01\n",
               "cases.csv": "ref,client_ref,center,opened_on\nK1,A,startup,2024-04-01\nK2,A,yorozu,2024-04-01\n"})
    web = case_service.open_case(make.client("創業 次郎"), case_service.CaseData(
        center_id=center_id("startup"), opened_on=dt.date(2024, 5, 1)))
    stages = dict(db.session.execute(select(Case.ref, Case.stage).where(Case.ref.is_not(None))).all())
    opened = db.session.scalar(select(Consultation).where(Consultation.ref == "S1")).case
    assert web.stage == stages["K1"] == opened.stage == case_service.initial_stage("startup") == "consultation"
    assert stages["K2"] is None


def test_a_diagnosis_belongs_to_the_center_the_web_records_it_at(app, make):
    do_import({"clients.csv": "ref,name\nA,承継 商事\n",
               "diagnoses.csv": "ref,client_ref,held_on,by\nG1,A,2024-05-01,商工会議所\n"})
    admin = make.user("root", role="admin", centers=[])
    web = record_diagnosis(make.client("承継 工業"), DiagnosisData(dt.date(2024, 5, 2), "商工会", "親族内承継"),
                           diagnosis_center_id(admin), by=admin)
    imported = db.session.scalar(select(Diagnosis).where(Diagnosis.ref == "G1"))
    assert imported.center_id == web.center_id == diagnosis_center_id() == center_id("succession")


def test_new_ids_come_from_the_insert_even_when_another_row_lands_beside_them(app):
    """A row inserted by someone else with the same key right after the import's own insert
    (a concurrent web consultation opening a case for the same client, center and day) must not
    be taken for the import's: consultations point at the case the import opened."""
    do_import({"clients.csv": "ref,name\nA,株式会社甲\n"})
    client_id = db.session.scalar(select(Client.id).where(Client.ref == "A"))
    onestop = center_id("onestop")
    intruders = []

    def intrude(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO CASES") and not intruders:
            raw = conn.connection.dbapi_connection.cursor()
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            raw.execute(f"INSERT INTO cases (client_id, center_id, opened_on, last_activity_on, title, version, "
                        f"created_at, updated_at) VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, 1, "
                        f"CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", (client_id, onestop, dt.date(2024, 5, 1),
                                                                      dt.date(2024, 5, 1), "intruder"))
            intruders.append(1)

    event.listen(db.engine, "after_cursor_execute", intrude)
    try:
        do_import({"consultations.csv": "ref,client_ref,center,channel,held_on\n"
                   "S1,A,onestop,window,2024-05-01\nS2,A,onestop,visit,2024-05-03\n"})
    finally:
        event.remove(db.engine, "after_cursor_execute", intrude)
    assert intruders
    cases = {c.title: c for c in db.session.scalars(select(Case))}
    assert set(cases) == {None, "intruder"}
    assert {c.case_id for c in db.session.scalars(select(Consultation))} == {cases[None].id}
    assert db.session.scalar(select(func.count()).select_from(Consultation).where(
        Consultation.case_id == cases["intruder"].id)) == 0
