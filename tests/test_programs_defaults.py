"""Records carry their program: the ORM gives a record without one its center's default."""
import datetime as dt

from sqlalchemy import insert, select

from casework.extensions import db
from casework.models import DispatchVisit, Expert, Program
from casework.services.programs import fill_missing_programs, program_by_code


def test_new_records_get_their_centers_default_program(app, make):
    consultation = make.consultation(center_code="onestop")
    assert consultation.program.code == "onestop"
    assert consultation.case.program.code == "onestop"
    assert make.consultation(center_code="succession").program.code == "succession"
    assert make.event(center_code="yorozu").program.code == "yorozu"


def test_a_consultation_takes_its_cases_program(app, make):
    case = make.case(center_code="trade", program_id=program_by_code("subcontracting").id)
    consultation = make.consultation(client_=case.client, center_code="trade", case_id=case.id)
    assert consultation.program.code == "subcontracting"


def test_fill_missing_programs_after_core_inserts(app, make):
    client = make.client()
    expert = Expert(name="派遣 太郎")
    db.session.add(expert)
    db.session.flush()
    onestop = make.center("onestop").id
    db.session.execute(insert(DispatchVisit.__table__), [dict(
        client_id=client.id, center_id=onestop, expert_id=expert.id, held_on=dt.date(2024, 5, 1), version=1,
        created_at=dt.datetime(2024, 5, 1), updated_at=dt.datetime(2024, 5, 1))])
    assert fill_missing_programs() == 1
    visit = db.session.scalar(select(DispatchVisit))
    assert db.session.get(Program, visit.program_id).code == "expert_dispatch"


def test_a_consultation_opening_a_case_gives_both_the_chosen_program(app, make):
    from casework.services.consultations import ConsultationData, log_consultation

    client = make.client()
    program = program_by_code("subcontracting")
    category = next(t for t in program.terms if t.label == "建設業法関連")
    consultation = log_consultation(client, ConsultationData(
        held_on=dt.date(2024, 5, 1), channel_code="phone", center_id=program.center_id, program_id=program.id,
        category_id=category.id))
    db.session.commit()
    assert consultation.program.code == "subcontracting" and consultation.category.label == "建設業法関連"
    assert consultation.case.program.code == "subcontracting"


def test_a_center_an_admin_adds_gets_a_program_of_its_own(app, make):
    from casework.services.vocab_admin import CenterData, add_center

    center = add_center(CenterData(code="kenpoku", name="県北サテライト", report_title="県北サテライト相談事業"))
    db.session.commit()
    program = program_by_code("kenpoku")
    assert program.center_id == center.id and program.report_name == "県北サテライト相談事業"
    consultation = make.consultation(center_code="kenpoku")
    assert consultation.program.code == "kenpoku"


def test_a_consultation_moved_to_another_case_takes_its_program(app, make):
    from casework.services.consultations import ConsultationData, update_consultation

    client = make.client()
    consultation = make.consultation(client_=client, center_code="onestop")
    other = make.case(client_=client, center_code="trade", program_id=program_by_code("subcontracting").id)
    update_consultation(consultation, ConsultationData(held_on=consultation.held_on, channel_code="window",
                                                       case_id=other.id), expected_version=None)
    db.session.commit()
    assert consultation.center.code == "trade" and consultation.program.code == "subcontracting"
