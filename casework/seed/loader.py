"""Insert the vocabulary rows into a database built with create_all (tests, benchmarks)."""
from sqlalchemy import insert, text

from ..extensions import db
from . import seed_rows


def seed_vocabulary() -> None:
    for table_name, rows in seed_rows().items():
        db.session.execute(insert(db.metadata.tables[table_name]), rows)
    if db.session.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table_name in ("centers", "dispatch_programs", "programs", "program_terms"):
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), (SELECT max(id) FROM {table_name}))"))
    db.session.commit()
