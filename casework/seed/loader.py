"""Insert the vocabulary rows into a database built with create_all (tests, benchmarks). The
caller owns the commit (`with unit_of_work.committing(): seed_vocabulary()`)."""
from sqlalchemy import insert, text

from ..extensions import db
from . import seed_rows


def seed_vocabulary() -> None:
    rows_by_table = seed_rows()
    for table_name, rows in rows_by_table.items():
        if rows:
            db.session.execute(insert(db.metadata.tables[table_name]), rows)
    if db.session.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table_name in [t for t, rows in rows_by_table.items() if rows and "id" in rows[0]]:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), (SELECT max(id) FROM {table_name}))"))
