"""The long monthly series reads stored monthly tallies and counts only the months without one."""
import datetime as dt

from casework.extensions import db
from casework.services.series import monthly_series
from casework.services.tallies import store_monthly_tally


def test_series_mixes_snapshots_and_live_counts(app, make):
    c = make.client()
    make.consultation(c, held_on=dt.date(2024, 4, 3))
    make.consultation(c, held_on=dt.date(2024, 4, 9), channel="visit")
    make.consultation(c, held_on=dt.date(2024, 6, 1))
    store_monthly_tally(2024, 4)
    db.session.commit()
    make.consultation(c, held_on=dt.date(2024, 4, 20))  # after the snapshot: the stored month keeps its figure
    series = monthly_series(["onestop.window", "onestop.total"], (2024, 3), (2024, 6))
    assert series["onestop.window"] == [0, 1, 0, 1]
    assert series["onestop.total"] == [0, 2, 0, 1]
