"""`casework export-analytics`: anonymised, denormalised, usable."""
import datetime as dt
import json
import sqlite3

import pytest
import sqlite_utils

from casework.extensions import db
from casework.models import Diagnosis, DispatchVisit, Expert

SECRETS = ["秘密商事", "ヒミツショウジ", "5010001008846", "青森市新町1-2-3", "山田太郎", "鈴木花子",
           "017-777-1234", "hanako@example.jp", "社長の健康問題", "次回は決算書", "佐藤専門家", "特別な勉強会"]


@pytest.fixture
def records(make):
    client = make.client(name="株式会社秘密商事", name_kana="ヒミツショウジ", corporate_number="5010001008846",
                         industry_code="E", municipality_code="022012", employees=12,
                         address="青森市新町1-2-3", representative="山田太郎", contact_name="鈴木花子",
                         contact_phone="017-777-1234", contact_email="hanako@example.jp", notes="社長の健康問題")
    event = make.event(title="特別な勉強会", participants=30, notes="社長の健康問題")
    c1 = make.consultation(client, held_on=dt.date(2024, 5, 1), theme_codes=["marketing", "business_plan"],
                           notes="社長の健康問題", next_action="次回は決算書")
    make.consultation(client, held_on=dt.date(2024, 3, 10), channel="visit")
    make.consultation(client, center_code="yorozu", channel="outreach", held_on=dt.date(2024, 6, 1),
                      event_id=event.id)
    voided = make.consultation(held_on=dt.date(2024, 5, 2))
    voided.voided_at = dt.datetime(2024, 5, 3)
    expert = Expert(name="佐藤専門家")
    db.session.add(expert)
    db.session.flush()
    db.session.add(DispatchVisit(client_id=client.id, case_id=c1.case_id, center_id=c1.center_id, expert_id=expert.id,
                                 held_on=dt.date(2024, 7, 1), fee=30000, company_share=10000, notes="社長の健康問題"))
    db.session.add(Diagnosis(client_id=client.id, held_on=dt.date(2024, 8, 1), by_org="商工会議所",
                             result="社長の健康問題"))
    db.session.commit()
    return client


def test_logged_rows_are_exported_without_anything_identifying(runner, records, tmp_path):
    path = tmp_path / "analytics.db"
    result = runner.invoke(args=["export-analytics", str(path)])
    assert result.exit_code == 0, result.output
    assert "consultations: 3 rows" in result.output

    raw = path.read_bytes()
    for secret in SECRETS:
        assert secret.encode("utf-8") not in raw, secret
    # and in every cell of every table, whatever the storage
    con = sqlite3.connect(path)
    for (table,) in con.execute("select name from sqlite_master where type='table'"):
        for row in con.execute(f'select * from "{table}"'):
            for cell in row:
                for secret in SECRETS:
                    assert secret not in str(cell), (table, secret)

    out = sqlite_utils.Database(path)
    rows = list(out.query("select * from consultations order by held_on"))
    assert [r["fiscal_year"] for r in rows] == [2023, 2024, 2024]
    assert rows[0]["fiscal_year_label"] == "令和5年度"
    assert rows[1]["themes"] == "ビジネスプラン;マーケティング"
    assert rows[1]["industry"] == "製造業" and rows[1]["municipality"] == "青森市" and rows[1]["region"] == "東青"
    assert rows[1]["employees_band"] == "6-20"
    assert rows[2]["channel_label"] == "出張相談会" and rows[2]["at_event"] == 1
    assert len({r["client_key"] for r in rows}) == 1  # one company, one pseudonym
    assert "name" not in out["consultations"].columns_dict and "notes" not in out["consultations"].columns_dict
    assert out["consultation_themes"].count == 2
    assert [r["participants"] for r in out["events"].rows] == [30]
    visit = next(out["dispatch_visits"].rows)
    assert visit["fee"] == 30000 and visit["client_key"] == rows[0]["client_key"]
    assert next(out["diagnoses"].rows)["by_org"] == "商工会議所"
    assert out["consultations"].indexes, "indexes for pivoting"
    described = {(r["table"], r["column"]): r["description"] for r in out["_columns"].rows}
    assert "仮名" in described[("consultations", "client_key")]


def test_keys_change_with_every_export(runner, records, tmp_path):
    keys = []
    for name in ("a.db", "b.db"):
        assert runner.invoke(args=["export-analytics", str(tmp_path / name)]).exit_code == 0
        keys.append(next(sqlite_utils.Database(tmp_path / name).query("select client_key from consultations"))["client_key"])
    assert keys[0] != keys[1]
    assert str(records.id) != keys[0]


def test_center_restriction_and_confidential_exclusion(runner, records, tmp_path):
    path = tmp_path / "onestop.db"
    assert runner.invoke(args=["export-analytics", str(path), "--center", "onestop"]).exit_code == 0
    out = sqlite_utils.Database(path)
    assert {r["center"] for r in out["consultations"].rows} == {"onestop"}
    assert out["events"].count == 0 and out["diagnoses"].count == 0

    path = tmp_path / "open.db"
    assert runner.invoke(args=["export-analytics", str(path), "--exclude-confidential"]).exit_code == 0
    assert sqlite_utils.Database(path)["diagnoses"].count == 0


def test_refuses_to_overwrite_without_force_and_writes_datasette_metadata(runner, records, tmp_path):
    path = tmp_path / "x.db"
    path.write_text("keep me")
    result = runner.invoke(args=["export-analytics", str(path)])
    assert result.exit_code != 0 and "--force" in result.output
    assert path.read_text() == "keep me"
    meta = tmp_path / "meta.json"
    result = runner.invoke(args=["export-analytics", str(path), "--force", "--datasette-metadata", str(meta)])
    assert result.exit_code == 0, result.output
    columns = json.loads(meta.read_text())["databases"]["*"]["tables"]["consultations"]["columns"]
    assert "client_key" in columns


def test_unknown_center_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["export-analytics", str(tmp_path / "x.db"), "--center", "nowhere"])
    assert result.exit_code != 0 and "nowhere" in result.output
    assert not (tmp_path / "x.db").exists()


def test_empty_database_still_has_every_table(runner, tmp_path):
    path = tmp_path / "empty.db"
    assert runner.invoke(args=["export-analytics", str(path)]).exit_code == 0
    names = set(sqlite_utils.Database(path).table_names())
    assert {"consultations", "consultation_themes", "cases", "events", "dispatch_visits", "diagnoses"} <= names
