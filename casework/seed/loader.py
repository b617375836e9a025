"""Insert the vocabulary rows into a database built with create_all (tests, benchmarks)."""
from sqlalchemy import insert

from ..extensions import db
from . import vocabulary_rows


def seed_vocabulary() -> None:
    for table_name, rows in vocabulary_rows().items():
        db.session.execute(insert(db.metadata.tables[table_name]), rows)
    db.session.commit()
