"""Client search through the index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL): substring
matches, short terms, edits and voids kept in sync, special characters, confidentiality."""
from flask_migrate import upgrade
from sqlalchemy import text

from casework.extensions import db
from casework.services.clients import ClientData, search_query, update_client, void_client

from .conftest import text_of


def _names(user, q):
    return [c.name for c in db.session.scalars(search_query(user, q))]


def test_substring_of_name_kana_and_corporate_number(app, make, coordinator):
    make.client("株式会社青森りんご製作所", name_kana="アオモリリンゴセイサクショ")
    make.client("弘前ねぷた工房", name_kana="ヒロサキネプタコウボウ")
    assert _names(coordinator, "りんご製作") == ["株式会社青森りんご製作所"]
    assert _names(coordinator, "ﾘﾝｺﾞｾｲ") == ["株式会社青森りんご製作所"]  # half-width katakana → hiragana
    assert _names(coordinator, "ねぷた 工房") == ["弘前ねぷた工房"]  # every term must match
    assert _names(coordinator, "青森 工房") == []
    assert _names(coordinator, "存在しない会社") == []


def test_short_terms_fall_back_to_like(app, make, coordinator):
    make.client("八戸港水産", name_kana="ハチノヘコウスイサン")
    make.client("十和田牧場", name_kana="トワダボクジョウ")
    assert _names(coordinator, "港") == ["八戸港水産"]
    assert _names(coordinator, "牧場") == ["十和田牧場"]
    assert _names(coordinator, "牧場 とわだ") == ["十和田牧場"]  # short + long together


def test_edits_and_voids_reach_the_index(app, make, coordinator):
    c = make.client("旧社名商事", name_kana="キュウシャメイショウジ")
    update_client(c, ClientData(name="新社名ホールディングス", name_kana="シンシャメイホールディングス"),
                  expected_version=c.version, by=coordinator)
    db.session.commit()
    assert _names(coordinator, "旧社名商事") == []
    assert _names(coordinator, "新社名ホール") == ["新社名ホールディングス"]
    void_client(c, "重複登録", make.user("boss", role="manager"))  # clients are voided by managers
    db.session.commit()
    assert _names(coordinator, "新社名ホール") == []


def test_quotes_and_like_wildcards_are_literal(app, make, coordinator):
    make.client('ABC"100%"_商会', name_kana="エービーシー")
    make.client("ABC1000商会", name_kana="エービーシー")
    assert _names(coordinator, '"100%"') == ['ABC"100%"_商会']
    assert _names(coordinator, "%_") == []
    assert _names(coordinator, "0%") == ['ABC"100%"_商会']


def test_search_page_uses_the_index(client, logged_in, make):
    make.client("株式会社むつ湾ホタテ", name_kana="ムツワンホタテ")
    make.client("大間まぐろ漁協", name_kana="オオママグロギョキョウ")
    page = text_of(client.get("/clients/?q=ホタテ"))
    assert "株式会社むつ湾ホタテ" in page and "大間まぐろ漁協" not in page


def test_index_built_by_migration_covers_existing_rows(app, make, coordinator):
    """`db upgrade` on a fresh database creates the index; rows written afterwards are found."""
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    from .factories import user

    staff = user("after_upgrade")
    make.client("三沢航空記念商店", name_kana="ミサワコウクウキネンショウテン")
    assert _names(staff, "航空記念") == ["三沢航空記念商店"]
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM clients_fts WHERE clients_fts MATCH '\"航空記念\"'")).scalar() == 1
    else:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_clients_search_text_trgm'")).scalar() == 1


def test_a_frequent_term_counts_up_to_the_cap_and_says_so(app, client, logged_in, make):
    app.config["LIST_COUNT_CAP"] = 3
    for i in range(5):
        make.client(f"ホタテ加工{i}", name_kana=f"ホタテカコウ{i}")
    page = text_of(client.get("/clients/?q=ほたて"))
    assert "3件以上（条件を絞り込んでください）" in page
    assert page.count("ホタテ加工") == 5  # the page itself lists every match
    assert "全1件" in text_of(client.get("/clients/?q=ホタテ加工1"))
