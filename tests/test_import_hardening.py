"""Bad import input never breaks anything (issue 13): each refusal is `FILE:ROW: COLUMN: message`,
nothing is written, and what is stored fits its column."""
import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Client, Consultation, DispatchVisit, Event, Expert
from casework.services import legacy_import
from casework.services.legacy_import import MAX_ERRORS_PER_FILE, max_chars, max_int, validate_files

LINE = re.compile(r"^[^\n:]+:\d+: [^\n]*: [^\n]+$")


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def run_import(runner, tmp_path, files: dict[str, str | bytes]):
    for name, text in files.items():
        (tmp_path / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return runner.invoke(args=["import", *[str(tmp_path / name) for name in files]])


CLIENTS = "ref,name\r\nC1,株式会社一\r\n"


@pytest.mark.parametrize("files,line", [
    ({"clients.csv": "ref,name,employees\r\nC1,株式会社一,5\r\nC2,株式会社二,12345678901234567890\r\n"},
     "clients.csv:3: employees: 従業員数が大きすぎます"),
    ({"events.csv": "ref,center,kind,held_on,participants\r\nE1,yorozu,outreach_day,2024-05-01,99999999999999999999\r\n"},
     "events.csv:2: participants: 参加者数が大きすぎます"),
    ({"clients.csv": CLIENTS, "dispatches.csv": "ref,client_ref,center,expert,held_on,fee\r\n"
      "D1,C1,onestop,技術 次郎,2024-05-01,１２３４５６７８９０１２３４５６７８９０\r\n"},
     "dispatches.csv:2: fee: 謝金が大きすぎます"),
])
def test_a_20_digit_integer_is_refused_with_its_row_and_column(runner, tmp_path, files, line):
    result = run_import(runner, tmp_path, files)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # a refusal, not a crash
    assert any(l.startswith(line) for l in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.output
    assert count(Client) == count(Event) == count(DispatchVisit) == count(Expert) == 0


def test_integer_bounds_come_from_the_columns():
    assert max_int("clients", "employees") == 2**31 - 1  # Integer
    assert max_chars("clients", "name") == Client.__table__.c.name.type.length == 200
    assert max_chars("clients", "ref") == Client.__table__.c.ref.type.length
    assert max_chars("consultations", "client_ref") == Client.__table__.c.ref.type.length
    assert max_chars("dispatches", "expert") == Expert.__table__.c.name.type.length
    assert max_chars("consultations", "notes") == legacy_import.FREE_TEXT_MAX_CHARS  # Text: no length of its own


def test_a_200000_character_cell_is_reported_at_its_row_and_column(runner, tmp_path):
    notes = "長" * 200_000
    text = ("ref,client_ref,center,channel,held_on,notes\r\n"
            "S1,C1,onestop,window,2024-05-01,短い\r\n"
            f'S2,C1,onestop,window,2024-05-02,"{notes}"\r\n')
    result = run_import(runner, tmp_path, {"clients.csv": CLIENTS, "consultations.csv": text})
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"consultations.csv:3: notes: 長すぎます（200,000 文字。{legacy_import.FREE_TEXT_MAX_CHARS:,} 文字まで）"]
    assert count(Client) == count(Consultation) == 0


@pytest.mark.parametrize("row,line", [
    ("C1,株式会社\x00一", "clients.csv:2: name: NUL 文字"),
    ("C1," + "名" * 100_000, "clients.csv:2: name: 長すぎます（100,000 文字。200 文字まで）"),
    ("R" * 5000 + ",株式会社一", "clients.csv:2: ref: 長すぎます（5,000 文字。64 文字まで）"),
    ("C1,\u200b", "clients.csv:2: name: 見える文字がありません"),
    ("C1,\u202e\u202e", "clients.csv:2: name: 見える文字がありません"),
])
def test_nul_too_long_and_invisible_values_are_refused(runner, tmp_path, row, line):
    result = run_import(runner, tmp_path, {"clients.csv": f"ref,name\r\n{row}\r\n"})
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(line) and len(lines[0]) < 200, lines
    assert count(Client) == 0


@pytest.mark.parametrize("kind,header,row,column", [
    ("cases", "ref,client_ref,center,opened_on", "K1,C1,onestop,0001-01-01", "opened_on"),
    ("cases", "ref,client_ref,center,opened_on", "K1,C1,onestop,9999-12-31", "opened_on"),
    ("events", "ref,center,kind,held_on", "E1,yorozu,outreach_day,1899-12-31", "held_on"),
    ("consultations", "ref,client_ref,center,channel,held_on", "S1,C1,onestop,window,9999-12-31", "held_on"),
    ("diagnoses", "ref,client_ref,held_on", "G1,C1,0001-01-01", "held_on"),
])
def test_far_dates_are_refused(runner, tmp_path, kind, header, row, column):
    result = run_import(runner, tmp_path, {"clients.csv": CLIENTS, f"{kind}.csv": f"{header}\r\n{row}\r\n"})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"{kind}.csv:2: {column}: "), result.stderr
    assert any(words in result.stderr for words in ("以降の日付を", "までの日付を", "未来の日付は")), result.stderr
    assert count(Client) == 0


def test_a_consultation_is_not_in_the_future_but_an_event_may_be(app):
    soon = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    plan = validate_files([("clients.csv", CLIENTS.encode()),
                           ("consultations.csv", f"ref,client_ref,center,channel,held_on\nS1,C1,onestop,window,{soon}\n".encode()),
                           ("events.csv", f"ref,center,kind,held_on\nE1,yorozu,outreach_day,{soon}\n".encode())])
    (line,) = plan.error_lines()
    assert line.startswith(f"consultations.csv:2: held_on: {soon}: 未来の日付は入力できません"), line


def test_the_error_list_is_bounded_per_file_with_the_rest_counted(runner, tmp_path):
    bad = "ref,name,employees\r\n" + "".join(f"C{i},株式会社{i},x{i}\r\n" for i in range(1000))
    bad_events = "ref,center,kind,held_on\r\n" + "".join(f"E{i},nowhere,outreach_day,2024-05-01\r\n" for i in range(60))
    result = run_import(runner, tmp_path, {"clients.csv": bad, "events.csv": bad_events})
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 * MAX_ERRORS_PER_FILE + 2
    assert all(LINE.match(line) for line in lines[:MAX_ERRORS_PER_FILE])
    assert lines[0].startswith("clients.csv:2: employees: ")
    assert lines[MAX_ERRORS_PER_FILE] == f"clients.csv: ほか 950 件（各ファイル最初の {MAX_ERRORS_PER_FILE} 件を表示）"
    assert lines[-1] == f"events.csv: ほか 10 件（各ファイル最初の {MAX_ERRORS_PER_FILE} 件を表示）"
    assert count(Client) == count(Event) == 0


def test_messages_stay_on_one_line_whatever_the_cell_holds(app):
    plan = validate_files([("events.csv", 'ref,center,kind,held_on\nE1,"よろず\n\x1b[31m",outreach_day,2024-05-01\n'
                            .encode())])
    (line,) = plan.error_lines()
    assert LINE.match(line) and line.startswith("events.csv:2: center: "), line


@pytest.fixture
def admin(auth, make):
    user = make.user("root", role="admin", centers=[])
    auth.login(user)
    return user


def test_web_import_of_hostile_values_answers_422_with_a_bounded_page(client, admin):
    rows = "".join(f"C{i},{'名' * 300},{10**19 + i}\r\n" for i in range(5000))
    data = ("ref,name,employees\r\n" + rows).encode("utf-8")
    response = client.post("/imports/", data={"files": [(io.BytesIO(data), "clients.csv")]},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert len(html) < 60_000
    assert "誤りが 10,000 件あります" in html and "clients.csv: ほか 9,950 件" in html
    assert count(Client) == 0


def test_web_import_of_a_20_digit_integer_is_a_refusal_not_a_500(client, admin):
    data = b"ref,center,kind,held_on,participants\r\nE1,yorozu,outreach_day,2024-05-01,12345678901234567890\r\n"
    response = client.post("/imports/", data={"files": [(io.BytesIO(data), "events.csv")]},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "events.csv:2: participants: 参加者数が大きすぎます" in response.get_data(as_text=True)
    assert count(Event) == 0


EARLY_BUG = ("dates.EARLIEST is 1900-01-01 but dates.era_year/fy_label know no era before 昭和 (1926): "
             "export-analytics aborts with 'year before 昭和: 1899' (dates.py, engineer input)")


@pytest.mark.parametrize("earliest", [
    "1926-04-01",
    "1900-01-01",  # was EARLY_BUG: input gave dates.ERAS 大正 and 明治
])
def test_what_the_bounds_let_through_can_be_edited_and_exported(runner, tmp_path, client, auth, make, earliest):
    """Values at the edge of every bound import, and afterwards the edit pages answer and
    export-analytics runs (issue 13: stored bad values made both fail)."""
    name, ref = "名" * max_chars("clients", "name"), "R" * max_chars("clients", "ref")
    result = run_import(runner, tmp_path, {
        "clients.csv": f"ref,name,name_kana,employees\r\n{ref},{name},{'カ' * 200},{max_int('clients', 'employees')}\r\n",
        "consultations.csv": "ref,client_ref,center,channel,held_on,notes\r\n"
                             f"S1,{ref},onestop,window,{earliest},{'メ' * legacy_import.FREE_TEXT_MAX_CHARS}\r\n",
        "events.csv": f"ref,center,kind,held_on,participants\r\nE1,yorozu,outreach_day,{earliest},{2**31 - 1}\r\n",
    })
    assert result.exit_code == 0, result.output
    auth.login(make.user("root", role="admin", centers=[]))
    stored = db.session.scalar(select(Client).where(Client.ref == ref))
    consultation = db.session.scalar(select(Consultation))
    event = db.session.scalar(select(Event))
    for url in (f"/clients/{stored.id}/edit", f"/clients/{stored.id}", f"/consultations/{consultation.id}/edit",
                f"/events/{event.id}/edit"):
        assert client.get(url).status_code == 200, url
    exported = runner.invoke(args=["export-analytics", str(tmp_path / "analytics.db")])
    assert exported.exit_code == 0, exported.output
