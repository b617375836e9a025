"""`casework import`: all or nothing, idempotent by ref, encodings, spreadsheet row numbers."""
import datetime as dt
import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Case, Client, Consultation, Diagnosis, DispatchVisit, Event, Expert
from casework.services.legacy_import import apply_plan, validate_files

DATA = Path(__file__).parent / "data"
EXPECTED = json.loads((DATA / "expected-report.json").read_text(encoding="utf-8"))
MODELS = {"clients": Client, "cases": Case, "consultations": Consultation, "events": Event,
          "dispatches": DispatchVisit, "diagnoses": Diagnosis}


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_sample_creates_every_row_then_nothing_the_second_time(runner):
    result = runner.invoke(args=["import", str(DATA / "legacy-import")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [f"{kind}: {n} created, 0 updated" for kind, n in EXPECTED["row_counts"].items()]
    assert count(Client) == 391 and count(Consultation) == 664 and count(Event) == 40
    assert count(DispatchVisit) == 34 and count(Diagnosis) == 255
    cases = count(Case)
    assert cases > 33  # consultations without case_ref opened cases of their own

    again = runner.invoke(args=["import", str(DATA / "legacy-import")])
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == [f"{kind}: 0 created, 0 updated" for kind in EXPECTED["row_counts"]]
    assert count(Case) == cases and count(Client) == 391


def test_invalid_sample_writes_nothing_and_names_each_bad_row(runner):
    result = runner.invoke(args=["import", str(DATA / "legacy-import-invalid")])
    assert result.exit_code == 1
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    for bad in EXPECTED["invalid_rows"]:
        prefix = f"{bad['file']}:{bad['row']}: {bad['column']}: "
        assert any(line.startswith(prefix) for line in errors), prefix
    assert len(errors) == len(EXPECTED["invalid_rows"])  # every stderr line is one FILE:ROW: COLUMN: message
    assert all(count(model) == 0 for model in MODELS.values())
    assert count(Expert) == 0


def test_files_are_imported_in_contract_order_whatever_the_argument_order(runner, tmp_path):
    src = DATA / "legacy-import"
    args = [str(p) for p in sorted(src.glob("*.csv"), reverse=True)]  # dispatches first, clients last
    result = runner.invoke(args=["import", *args])
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == list(EXPECTED["row_counts"])


def test_row_numbers_count_records_not_physical_lines(app):
    # consultations.csv: 828 physical lines, 664 records (notes with line breaks)
    text = (DATA / "legacy-import" / "consultations.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == 828
    broken = text.replace(",window,S001414,", ",teleport,S001414,", 1)
    assert broken != text
    record_row = next(i for i, line in enumerate(_records(text), start=1) if "S001414" in line)
    assert record_row == 665  # the last of 664 records, below the header
    plan = validate_files([(p.name, p.read_bytes()) for p in (DATA / "legacy-import").glob("*.csv")
                           if p.name != "consultations.csv"] + [("consultations.csv", broken.encode("cp932"))])
    assert [str(e).split(": ")[0:2] for e in plan.errors] == [[f"consultations.csv:{record_row}", "channel"]]


def _records(text):
    import csv
    import io

    return [",".join(r) for r in csv.reader(io.StringIO(text, newline=""))]


def test_encodings_bom_and_cp932_are_detected(app):
    clients = "ref,name,industry,municipality\r\nX1,株式会社青森,製造業,八戸市\r\n"
    plan = validate_files([("a_clients.csv", b"\xef\xbb\xbf" + clients.encode("utf-8")),
                           ("b_events.csv", "ref,center,kind,held_on\r\nE1,よろず支援拠点,出張相談会,令和6年5月1日\r\n"
                            .encode("cp932"))])
    assert plan.errors == []
    assert apply_plan(plan) == {"clients": (1, 0), "events": (1, 0)}
    client = db.session.scalar(select(Client).where(Client.ref == "X1"))
    assert (client.name, client.industry_code, client.municipality_code) == ("株式会社青森", "E", "022039")
    event = db.session.scalar(select(Event).where(Event.ref == "E1"))
    assert event.held_on == dt.date(2024, 5, 1) and event.kind_code == "outreach_day"


def test_unknown_column_missing_required_cell_and_bad_file_name(runner, tmp_path):
    (tmp_path / "clients.csv").write_text("ref,name,colour\r\nA1,,red\r\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x\r\n1\r\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(tmp_path / "clients.csv"), str(tmp_path / "notes.csv")])
    assert result.exit_code == 1
    assert "clients.csv:1: colour: 不明な列です" in result.stderr
    assert "notes.csv:1: -: " in result.stderr
    (tmp_path / "clients.csv").write_text("ref,name\r\nA1,\r\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(tmp_path / "clients.csv")])
    assert "clients.csv:2: name: 必須です" in result.stderr


def test_known_ref_updates_only_what_changed(runner, tmp_path):
    (tmp_path / "clients.csv").write_text("ref,name,employees\r\nA1,株式会社一,5\r\nA2,株式会社二,7\r\n", encoding="utf-8")
    assert runner.invoke(args=["import", str(tmp_path)]).stdout == "clients: 2 created, 0 updated\n"
    (tmp_path / "clients.csv").write_text("ref,name,employees\r\nA1,株式会社一,6\r\nA2,株式会社二,\r\n", encoding="utf-8")
    assert runner.invoke(args=["import", str(tmp_path)]).stdout == "clients: 0 created, 1 updated\n"
    a1, a2 = db.session.scalars(select(Client).order_by(Client.ref)).all()
    assert (a1.employees, a1.version) == (6, 2)
    assert (a2.employees, a2.version) == (7, 1)  # an empty cell is "not given": unchanged


def test_consultation_without_case_joins_open_case_or_opens_one(app, tmp_path):
    files = {
        "clients.csv": "ref,name\nC1,株式会社一\n",
        "cases.csv": "ref,client_ref,center,opened_on,closed_on\nK1,C1,onestop,2024-04-01,2024-06-30\n",
        "consultations.csv": ("ref,client_ref,center,channel,held_on,themes,case_ref,event_ref\n"
                              "S1,C1,onestop,窓口,2024-05-01,資金繰り;IT,,\n"
                              "S2,C1,onestop,巡回,2024-08-01,,,\n"
                              "S3,C1,onestop,来訪,2024-07-15,,,\n"
                              "S4,C1,yorozu,outreach,2024-07-20,,,E1\n"),
        "events.csv": "ref,center,kind,held_on\nE1,yorozu,outreach_day,2024-07-20\n",
        "dispatches.csv": "ref,client_ref,center,expert,held_on,fee\nD1,C1,onestop,技術 次郎,2024-05-02,50000\n",
    }
    plan = validate_files([(name, text.encode()) for name, text in files.items()])
    assert plan.errors == []
    apply_plan(plan)
    by_ref = {c.ref: c for c in db.session.scalars(select(Consultation))}
    assert by_ref["S1"].case.ref == "K1"
    assert sorted(t.code for t in by_ref["S1"].themes) == ["cash_flow", "it"]
    # after K1 closed: one new case, opened by the earliest consultation, joined by the later one
    assert by_ref["S3"].case_id == by_ref["S2"].case_id != by_ref["S1"].case_id
    assert by_ref["S3"].case.opened_on == dt.date(2024, 7, 15)
    assert by_ref["S3"].case.last_activity_on == dt.date(2024, 8, 1)
    assert by_ref["S4"].event.ref == "E1" and by_ref["S4"].case.center.code == "yorozu"
    visit = db.session.scalar(select(DispatchVisit))
    assert (visit.fee, visit.company_share, visit.expert.name) == (50000, 16666, "技術 次郎")


def test_refs_must_exist_and_case_must_be_the_clients(app):
    files = {
        "clients.csv": "ref,name\nC1,一\nC2,二\n",
        "cases.csv": "ref,client_ref,center,opened_on\nK1,C1,onestop,2024-04-01\n",
        "consultations.csv": ("ref,client_ref,center,channel,held_on,case_ref\n"
                              "S1,C2,onestop,window,2024-05-01,K1\n"
                              "S2,C9,onestop,window,2024-05-01,\n"),
    }
    plan = validate_files([(name, text.encode()) for name, text in files.items()])
    assert [str(e).rsplit(": ", 1)[0] for e in plan.errors] == [
        "consultations.csv:2: case_ref", "consultations.csv:3: client_ref"]


def test_import_twice_from_folder_copies_is_idempotent_with_prefixes(runner, tmp_path):
    shutil.copytree(DATA / "legacy-import", tmp_path / "a")
    assert runner.invoke(args=["import", str(tmp_path / "a")]).exit_code == 0
    (tmp_path / "a" / "clients.csv").rename(tmp_path / "a" / "2019_clients.csv")
    result = runner.invoke(args=["import", str(tmp_path / "a")])
    assert "clients: 0 created, 0 updated" in result.stdout


def test_sample_import_warns_of_cases_closed_before_opened_and_runs_outcome_hooks(runner):
    from casework.models import AuditEntry, FollowUp

    result = runner.invoke(args=["import", str(DATA / "legacy-import")])
    assert result.exit_code == 0
    # the contract's own sample has onestop cases closed before they were opened: kept, and said
    assert "2024_cases.csv:11: closed_on: 注意: " in result.stderr
    case = db.session.scalar(select(Case).where(Case.ref == "K000345"))
    assert case.opened_on == case.closed_on == dt.date(2024, 10, 18)
    founded = db.session.scalar(select(func.count()).select_from(Case).where(Case.outcome_code == "founded"))
    assert count(FollowUp) == 2 * founded  # 3 and 12 months after, as closing a case on the web does
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry.detail["counts"]["clients"] == [391, 0]
