"""Migration 0006 (programs): from 0005 with data, every existing record keeps its place and gets
the default program of its center, so today's report figures stay the same; its frozen seed rows
agree with casework/seed/programs.py."""
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from casework.extensions import db
from casework.seed import seed_rows
from casework.seed import programs as seed_programs

from .revisions import empty_database_at, revision_module

MIGRATION = Path(__file__).resolve().parent.parent / "migrations" / "versions" / "0006_programs.py"


def _migration_module():
    return revision_module(MIGRATION.name)


def test_migration_rows_agree_with_the_seed():
    frozen = _migration_module()
    assert frozen.CENTERS == seed_programs.CENTERS
    assert frozen.EVENT_KINDS == seed_programs.EVENT_KINDS
    assert frozen.PROGRAMS == seed_programs.PROGRAMS
    assert "from casework" not in MIGRATION.read_text(encoding="utf-8")


_empty_at = empty_database_at


def _rows(sql, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def test_upgrade_from_0005_keeps_records_and_assigns_programs(app):
    _empty_at("0005")
    with db.engine.begin() as conn:
        ids = dict(conn.execute(text("SELECT code, id FROM centers")).all())
        conn.execute(text("INSERT INTO centers (code, name, report_title, confidential, sort_order, active, version) "
                          "VALUES ('custom', '独自窓口', '独自窓口事業', false, 200, true, 1)"))
        ids["custom"] = conn.execute(text("SELECT id FROM centers WHERE code = 'custom'")).scalar()
        conn.execute(text("INSERT INTO users (login, name, password_hash, role, active, email_notifications, "
                          "session_token, failed_logins, version, created_at, updated_at) VALUES "
                          "('u', '職員', 'x', 'admin', true, true, 't', 0, 1, '2024-01-01', '2024-01-01')"))
        conn.execute(text("INSERT INTO clients (kind, name, search_text, version, created_at, updated_at) "
                          "VALUES ('corporation', '株式会社移行', 'いこう', 1, '2024-01-01', '2024-01-01')"))
        client_id = conn.execute(text("SELECT id FROM clients")).scalar()
        for code in ("onestop", "yorozu", "succession", "startup", "custom"):
            conn.execute(text("INSERT INTO cases (client_id, center_id, opened_on, version, created_at, updated_at) "
                              "VALUES (:cl, :c, '2023-04-01', 1, '2024-01-01', '2024-01-01')"),
                         dict(cl=client_id, c=ids[code]))
            case_id = conn.execute(text("SELECT max(id) FROM cases")).scalar()
            conn.execute(text("INSERT INTO consultations (client_id, case_id, center_id, channel_code, held_on, "
                              "version, created_at, updated_at) VALUES (:cl, :k, :c, 'window', '2023-05-01', 1, "
                              "'2024-01-01', '2024-01-01')"), dict(cl=client_id, k=case_id, c=ids[code]))
        conn.execute(text("INSERT INTO events (center_id, kind_code, held_on, participants, version, created_at, "
                          "updated_at) VALUES (:c, 'outreach_day', '2023-06-01', 5, 1, '2024-01-01', '2024-01-01')"),
                     dict(c=ids["yorozu"]))
        conn.execute(text("INSERT INTO grants (client_id, center_id, program, applied_on, decided_on, decision, amount, "
                          "version, created_at, updated_at) VALUES (:cl, :c, 'あおもり移住起業支援金', '2023-05-01', "
                          "'2023-06-01', 'adopted', 1000000, 1, '2024-01-01', '2024-01-01')"),
                     dict(cl=client_id, c=ids["startup"]))
        conn.execute(text("INSERT INTO experts (name, active, version, created_at, updated_at) "
                          "VALUES ('専門家', true, 1, '2024-01-01', '2024-01-01')"))
        expert_id = conn.execute(text("SELECT id FROM experts")).scalar()
        for code in ("onestop", "succession"):
            conn.execute(text("INSERT INTO dispatch_visits (client_id, center_id, expert_id, held_on, version, "
                              "created_at, updated_at) VALUES (:cl, :c, :e, '2023-07-01', 1, '2024-01-01', "
                              "'2024-01-01')"), dict(cl=client_id, c=ids[code], e=expert_id))
        conn.execute(text("INSERT INTO diagnoses (client_id, held_on, version, created_at, updated_at) "
                          "VALUES (:cl, '2023-08-01', 1, '2024-01-01', '2024-01-01')"), dict(cl=client_id))

    upgrade()

    program_of = {cid: code for cid, code in _rows("SELECT id, code FROM programs")}
    consultations = {c: program_of[p] for c, p in _rows(
        "SELECT ce.code, co.program_id FROM consultations co JOIN centers ce ON ce.id = co.center_id")}
    assert consultations == {"onestop": "onestop", "yorozu": "yorozu", "succession": "succession",
                             "startup": "startup", "custom": "custom"}
    cases = {c: program_of[p] for c, p in _rows(
        "SELECT ce.code, k.program_id FROM cases k JOIN centers ce ON ce.id = k.center_id")}
    assert cases == consultations
    assert [program_of[p] for (p,) in _rows("SELECT program_id FROM events")] == ["yorozu"]
    assert [program_of[p] for (p,) in _rows("SELECT program_id FROM grants")] == ["migration_startup"]
    assert sorted(program_of[p] for (p,) in _rows("SELECT program_id FROM dispatch_visits")) == \
        ["expert_dispatch", "succession"]
    assert [program_of[p] for (p,) in _rows("SELECT program_id FROM diagnoses")] == ["succession"]
    # the records are all still there, unchanged
    assert _rows("SELECT count(*) FROM consultations")[0][0] == 5
    assert _rows("SELECT amount, decision FROM grants")[0] == (1000000, "adopted")
    # the admin's own center got a program named after it; the seed's programs are all there
    assert _rows("SELECT name, report_name FROM programs WHERE code = 'custom'")[0] == ("独自窓口", "独自窓口事業")
    codes = {code for (code,) in _rows("SELECT code FROM programs")}
    assert {p[0] for p in seed_programs.PROGRAMS} <= codes
    labels = {label for (label,) in _rows(
        "SELECT t.label FROM program_terms t JOIN programs p ON p.id = t.program_id WHERE p.code = 'subcontracting'")}
    assert labels == {"下請代金法関連", "建設業法関連", "その他"}
    assert _rows("SELECT confidential FROM programs WHERE code = 'revitalization'")[0][0] in (True, 1)

    downgrade(revision="0005")
    assert _rows("SELECT count(*) FROM consultations")[0][0] == 5
    upgrade()


def test_upgrade_from_empty_seeds_what_seed_rows_holds(app):
    _empty_at("head")
    want = seed_rows()
    got = {code: (name, report_name, number) for code, name, report_name, number in _rows(
        "SELECT code, name, report_name, report_number FROM programs")}
    assert got == {r["code"]: (r["name"], r["report_name"], r["report_number"]) for r in want["programs"]}
    got_terms = sorted(_rows("SELECT p.code, t.kind, t.code, t.label FROM program_terms t "
                             "JOIN programs p ON p.id = t.program_id"))
    by_id = {r["id"]: r["code"] for r in want["programs"]}
    assert got_terms == sorted((by_id[t["program_id"]], t["kind"], t["code"], t["label"])
                               for t in want["program_terms"])
    centers = {code for (code,) in _rows("SELECT code FROM centers")}
    assert centers == {r["code"] for r in want["centers"]}
