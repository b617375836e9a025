"""clients.confidential_only (casework/confidential_index.py) and the client search built on it
(issue 16): the flag is right after every write path, the coordinator's filter equals the rule it
replaced, and 2-character terms (bigram index) find exactly what LIKE finds. SQLite and
PostgreSQL (CASEWORK_TEST_DATABASE_URL)."""
from __future__ import annotations

import datetime as dt
import itertools

from flask_migrate import upgrade
from sqlalchemy import select, text, update

from casework import access
from casework.extensions import db
from casework.models import Case, Center, Client, Diagnosis, Program, User
from casework.services.clients import ClientData, count_clients, search_query, update_client

from .test_migrations_upgrade import _empty_database, _insert_reflected, _model_rows, VOCABULARY_TABLES


def flag(client) -> bool:
    db.session.expire_all()  # the triggers wrote past the session
    return bool(db.session.scalar(select(Client.confidential_only).where(Client.id == client.id)))


def expected_flag(client_id: int) -> bool:
    """The definition, in Python over the rows."""
    confidential_centers = set(db.session.scalars(select(Center.id).where(Center.confidential)))
    confidential_programs = set(db.session.scalars(select(Program.id).where(Program.confidential)))
    cases = db.session.execute(select(Case.center_id, Case.program_id)
                               .where(Case.client_id == client_id, Case.voided_at.is_(None))).all()
    diagnosed = db.session.scalar(select(Diagnosis.id).where(Diagnosis.client_id == client_id,
                                                             Diagnosis.voided_at.is_(None)).limit(1))
    secret = [c in confidential_centers or p in confidential_programs for c, p in cases]
    return (bool(diagnosed) or any(secret)) and all(secret)


def admin(make):
    return make.user("kanri", role="admin", centers=["onestop"])


def succession_member(make):
    return make.user("shokei", role="succession", centers=["succession"])


def diagnose(client, make):
    from casework.services.succession import DiagnosisData, record_diagnosis

    d = record_diagnosis(client, DiagnosisData(held_on=dt.date(2024, 5, 1), by_org="商工会議所", result="後継者不在"),
                         make.center("succession").id)
    db.session.commit()
    return d


def void(record, by):
    from casework.services.voiding import void_record

    void_record(record, "テストで取消", by)
    db.session.commit()


def restore(record, by):
    from casework.services.restoring import restore_record

    restore_record(record, "テストで復元", by)
    db.session.commit()


def confidential_program() -> Program:
    """A confidential program of an ordinary center (中小企業活性化 …)."""
    return db.session.scalar(select(Program).join(Center, Center.id == Program.center_id)
                             .where(Program.confidential, ~Center.confidential).order_by(Program.id).limit(1))


def names_found(user, q) -> set[str]:
    return {c.name for c in db.session.scalars(search_query(user, q))}


# --- the flag after each write path -----------------------------------------------------------

def test_a_succession_case_flags_the_client_until_an_ordinary_case_or_its_voiding(app, make):
    by = admin(make)
    client = make.client("株式会社承継一")
    assert not flag(client)
    secret = make.case(client, center_code="succession")
    assert flag(client)
    ordinary = make.case(client, center_code="onestop")
    assert not flag(client)
    void(ordinary, by)
    assert flag(client)
    void(secret, by)
    assert not flag(client)  # no record left
    restore(secret, by)
    assert flag(client)


def test_a_diagnosis_flags_the_client_and_its_voiding_clears_it(app, make):
    by = admin(make)
    client = make.client("株式会社診断一")
    diagnosis = diagnose(client, make)
    assert flag(client)
    void(diagnosis, by)
    assert not flag(client)
    restore(diagnosis, by)
    assert flag(client)


def test_a_case_in_a_confidential_program_flags_the_client(app, make):
    program = confidential_program()
    center = db.session.get(Center, program.center_id)
    client = make.client("株式会社再生一")
    case = make.case(client, center_code=center.code, program_id=program.id)
    assert not center.confidential and flag(client)
    db.session.execute(update(Case).where(Case.id == case.id).values(program_id=None))  # a Core update
    db.session.commit()
    assert not flag(client)


def test_the_trigger_writes_only_the_flag(app, make):
    client = make.client("株式会社版数一")
    version, updated_at = client.version, client.updated_at
    make.case(client, center_code="succession")
    db.session.expire_all()
    again = db.session.get(Client, client.id)
    assert again.confidential_only and (again.version, again.updated_at) == (version, updated_at)
    update_client(again, ClientData(name="株式会社版数一改", name_kana="ハンスウ"), expected_version=version)
    db.session.commit()  # the optimistic lock still matches
    assert flag(again)


def test_merge_moves_the_flag_with_the_records_and_undo_moves_it_back(app, make):
    from casework.services.merge import merge_clients, undo_merge

    by = admin(make)
    seller = make.client("株式会社売り手")
    make.case(seller, center_code="succession")
    duplicate = make.client("株式会社売り手（重複）")
    make.case(duplicate, center_code="onestop")
    assert flag(seller) and not flag(duplicate)
    entry = merge_clients(seller, duplicate, reason="同じ会社", by=by)
    db.session.commit()
    assert not flag(seller)  # now known to the one-stop desk too
    undo_merge(entry, reason="別の会社だった", by=by)
    db.session.commit()
    assert flag(seller) and not flag(duplicate)


def test_legacy_import_of_a_succession_case_flags_the_client(app, make, tmp_path):
    from casework.services.legacy_import import import_files

    (tmp_path / "clients.csv").write_text("ref,name\nC1,株式会社移行承継\nC2,株式会社移行普通\n", encoding="utf-8")
    (tmp_path / "cases.csv").write_text("ref,client_ref,center,opened_on\nK1,C1,succession,2024-04-01\n"
                                        "K2,C2,onestop,2024-04-01\n", encoding="utf-8")
    plan, written = import_files([tmp_path / "clients.csv", tmp_path / "cases.csv"])
    assert not plan.errors, plan.errors
    db.session.commit()
    one, two = db.session.scalars(select(Client).order_by(Client.ref)).all()
    assert flag(one) and not flag(two)


def test_a_centers_or_programs_confidential_flag_recomputes_its_clients(app, make):
    client = make.client("株式会社よろず一")
    make.case(client, center_code="yorozu")
    other = make.client("株式会社よろず二")
    make.case(other, center_code="yorozu")
    make.case(other, center_code="onestop")
    yorozu = make.center("yorozu")
    yorozu.confidential = True
    db.session.commit()
    assert flag(client) and not flag(other)
    yorozu.confidential = False
    db.session.commit()
    assert not flag(client)
    program = db.session.get(Program, db.session.scalar(select(Case.program_id).where(Case.client_id == client.id)))
    program.confidential = True
    db.session.commit()
    assert flag(client)


def test_the_flag_matches_its_definition_for_every_mix_of_records(app, make):
    """Every combination of a diagnosis, voided or live cases in an ordinary center, the
    succession center and a confidential program."""
    by = admin(make)
    program = confidential_program()
    center = db.session.get(Center, program.center_id)
    clients = []
    states = (None, "live", "voided")
    for n, (diag, ordinary, secret, in_program) in enumerate(itertools.product(states, states, states[:2], states)):
        client = make.client(f"株式会社組合せ{n}")
        if diag:
            d = diagnose(client, make)
            if diag == "voided":
                void(d, by)
        for kind, center_code, kw in (("ordinary", "onestop", {}), ("secret", "succession", {}),
                                      ("program", center.code, {"program_id": program.id})):
            state = {"ordinary": ordinary, "secret": secret, "program": in_program}[kind]
            if state:
                case = make.case(client, center_code=center_code, **kw)
                if state == "voided":
                    void(case, by)
        clients.append(client)
    db.session.expire_all()
    assert [flag(c) for c in clients] == [expected_flag(c.id) for c in clients]
    assert any(flag(c) for c in clients) and not all(flag(c) for c in clients)
    # the filter equals the rule it replaced, for staff of every kind
    users = [make.user("madoguchi", role="coordinator", centers=["onestop"]), succession_member(make),
             make.user("saisei", role="coordinator", centers=[center.code]), by]
    for user in users:
        hidden, hidden_programs = access.hidden_confidential_center_ids(user), access.hidden_confidential_program_ids(user)
        old = (set(db.session.scalars(select(Client.id).where(~access._hidden_by_rule(Client, hidden, hidden_programs))))
               if hidden or hidden_programs else set(db.session.scalars(select(Client.id))))
        assert set(db.session.scalars(select(Client.id).where(access.client_filter(user)))) == old, user.login


# --- search -----------------------------------------------------------------------------------

def test_a_coordinator_never_finds_a_confidential_only_client_until_it_has_an_ordinary_case(app, make, coordinator):
    member = succession_member(make)
    seller = make.client("津軽秘密りんご株式会社", name_kana="ツガルヒミツリンゴ")
    make.case(seller, center_code="succession")
    diagnosed = make.client("青森診断商事", name_kana="アオモリシンダン")
    diagnose(diagnosed, make)
    shown = make.client("津軽公開りんご株式会社", name_kana="ツガルコウカイリンゴ")
    before = count_clients(coordinator)
    for q in ("りんご", "津軽", "秘密", "ひみつりんご", "青森", "診断", "津 りんご"):
        assert seller.name not in names_found(coordinator, q) and diagnosed.name not in names_found(coordinator, q), q
    assert shown.name in names_found(coordinator, "津軽")
    assert {seller.name, shown.name} <= names_found(member, "津軽")
    assert db.session.scalar(select(Client.id).where(Client.id == seller.id, access.client_filter(coordinator))) is None
    make.case(seller, center_code="onestop")
    assert seller.name in names_found(coordinator, "秘密") and seller.name in names_found(coordinator, "りんご")
    assert count_clients(coordinator) == before + 1


TWO_CHARACTER_NAMES = ["津軽りんご株式会社", "青森ホタテ", "あおもり観光", "株式会社 津軽", "(株)津軽", "津(軽)商事",
                       "ABC商事", "abcデザイン", "ＡＢ工業", "１２３建設", "ヤッキョク青森", "パン工房", "ハン工房", "津", "軽津",
                       "ー長音ー", "100%果汁", "a_b商事", "東北\\支店"]
TWO_CHARACTER_TERMS = ["津軽", "青森", "あお", "ab", "AB", "12", "ー長", "音ー", "(株", "株)", "%果", "a_", "\\支", "ぱん",
                       "はん", "軽津", "軽商", "津 軽", "観光 青森", "ab 商事"]


def test_two_character_terms_find_exactly_what_like_finds(app, make):
    from casework.searchindex import search_terms

    by = admin(make)
    clients = [make.client(name, name_kana=None) for name in TWO_CHARACTER_NAMES]
    void(clients[1], by)
    update_client(clients[2], ClientData(name="あおもり観光案内", name_kana=None), expected_version=clients[2].version)
    db.session.commit()

    def by_like(q):
        stmt = select(Client.name).where(Client.voided_at.is_(None))
        for term in search_terms(q):
            stmt = stmt.where(Client.search_text.contains(term, autoescape=True))
        return set(db.session.scalars(stmt))

    for q in TWO_CHARACTER_TERMS:
        assert names_found(by, q) == by_like(q), q
    assert names_found(by, "津軽") == {"津軽りんご株式会社", "株式会社 津軽", "(株)津軽"}
    assert names_found(by, "あお") == {"あおもり観光案内"}


def test_the_bigram_index_is_used(app, make):
    make.client("津軽りんご株式会社")
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        assert conn.exec_driver_sql("SELECT count(*) FROM clients_bigram_fts WHERE clients_bigram_fts MATCH '\"津軽\"'").scalar() == 1
    else:
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(
            "EXPLAIN SELECT id FROM clients WHERE casework_bigrams(search_text) @> ARRAY['津軽']"))
        assert "ix_clients_search_bigrams" in plan


# --- migration 0014 ---------------------------------------------------------------------------

def test_upgrade_to_0014_fills_the_flag_and_the_bigram_index(app, make):
    seller = make.client("津軽承継りんご")
    make.case(seller, center_code="succession")
    diagnosed = make.client("青森診断")
    diagnose(diagnosed, make)
    known = make.client("津軽両方")
    make.case(known, center_code="succession")
    make.case(known, center_code="onestop")
    make.client("青森普通")
    rows = _model_rows()
    expected = {r["name"]: r["confidential_only"] for r in rows["clients"]}
    assert expected == {"津軽承継りんご": True, "青森診断": True, "津軽両方": False, "青森普通": False}
    _empty_database()
    upgrade(revision="0013")
    _insert_reflected({t: r for t, r in rows.items() if t not in VOCABULARY_TABLES})
    db.session.remove()
    upgrade()
    with db.engine.connect() as conn:
        assert dict(conn.execute(text("SELECT name, confidential_only FROM clients")).all()) == expected
    db.session.remove()
    by = make.user("kanri", role="admin", centers=["onestop"])
    coordinator = make.user("madoguchi", role="coordinator", centers=["onestop"])
    assert names_found(by, "青森") == {"青森診断", "青森普通"}
    assert names_found(coordinator, "青森") == {"青森普通"} and names_found(coordinator, "津軽") == {"津軽両方"}
    make.case(db.session.scalar(select(Client).where(Client.name == "青森普通")), center_code="succession")
    assert names_found(coordinator, "青森") == set()  # the triggers came with the upgrade


def _database_code(conn) -> dict:
    """The triggers and casework functions the database holds, by name."""
    if conn.dialect.name == "sqlite":
        return dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all())
    triggers = dict(conn.exec_driver_sql("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal").all())
    functions = dict(conn.exec_driver_sql("SELECT proname, pg_get_functiondef(oid) FROM pg_proc "
                                          "WHERE proname LIKE 'casework%%'").all())
    return {**triggers, **functions}


def test_create_all_and_the_migrations_install_the_same_triggers(app):
    with db.engine.connect() as conn:
        made = _database_code(conn)
    _empty_database()
    upgrade()
    with db.engine.connect() as conn:
        migrated = _database_code(conn)
    assert "cases_confidential_ai" in made or "cases_insert_confidential_only" in made
    assert migrated == made
