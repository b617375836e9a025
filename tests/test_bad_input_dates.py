"""One rule for sane dates (casework/dates.py): what the hints say is read, the rest refused in Japanese."""
import datetime as dt

import pytest

from casework.dates import DateError, check_date_range, latest_date, parse_date, parse_month, read_date

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("text, expected", [
    ("2024-04-01", dt.date(2024, 4, 1)),
    ("2024/4/1", dt.date(2024, 4, 1)),
    ("2024年4月1日", dt.date(2024, 4, 1)),
    ("R6.4.1", dt.date(2024, 4, 1)),
    ("r6.4.1", dt.date(2024, 4, 1)),
    ("R6/4/1", dt.date(2024, 4, 1)),
    ("令和6年4月1日", dt.date(2024, 4, 1)),
    ("令和元年5月1日", dt.date(2019, 5, 1)),
    ("H31.4.30", dt.date(2019, 4, 30)),
    ("平成31年4月30日", dt.date(2019, 4, 30)),
    ("S64.1.7", dt.date(1989, 1, 7)),
    ("２０２４－０４－０１", dt.date(2024, 4, 1)),
    ("Ｒ６．４．１", dt.date(2024, 4, 1)),
    ("令和６年４月１日", dt.date(2024, 4, 1)),
    (" 2024-04-01 ", dt.date(2024, 4, 1)),
])
def test_the_hinted_formats_are_read(text, expected):
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text, message", [
    ("0001-06-04", "1900-01-01以降の日付を入力してください。"),
    ("1899-12-31", "1900-01-01以降の日付を入力してください。"),
    ("9999-12-31", "2031-12-01までの日付を入力してください。"),
    ("2024-02-30", "存在しない日付です"),
    ("H31.5.1", "存在しない日付です"),  # 平成 ended on 30 April 2019
    ("R0.4.1", "存在しない日付です"),
    ("R6.13.1", "存在しない日付です"),
    ("2024-4/1", "日付として読めません"),
    ("6.4.1", "日付として読めません"),
    ("01/04/2024", "日付として読めません"),
    ("2024-04-01T00:00", "日付として読めません"),
    ("a\x00b", "日付として読めません"),
    ("٢٠٢٤-٠٤-٠١", "日付として読めません"),  # Arabic-Indic digits are not a date here
    ("9" * 10000, "日付として読めません"),
    ("", "日付を入力してください。"),
    ("   ", "日付を入力してください。"),
])
def test_anything_else_is_refused_in_japanese(text, message):
    with pytest.raises(DateError) as caught:
        parse_date(text, today=TODAY)
    assert message in str(caught.value)
    assert len(str(caught.value)) < 120  # a long value is not echoed whole


def test_things_that_happened_are_not_in_the_future():
    assert parse_date("2026-12-01", past_only=True, today=TODAY) == TODAY
    with pytest.raises(DateError, match="未来の日付は入力できません"):
        parse_date("2026-12-02", past_only=True, today=TODAY)


def test_the_range_is_a_few_years_ahead_of_today_in_japan_and_configurable(app):
    assert latest_date(TODAY) == dt.date(2031, 12, 1)
    assert latest_date(dt.date(2028, 2, 29)) == dt.date(2033, 2, 28)
    assert check_date_range(dt.date(2031, 12, 1), today=TODAY)
    app.config["DATE_YEARS_AHEAD"] = 1
    with app.app_context():
        assert latest_date(TODAY) == dt.date(2027, 12, 1)
        with pytest.raises(DateError):
            parse_date("2028-01-01", today=TODAY)


def test_read_date_skips_the_range_check_for_stored_history():
    assert read_date("0001-06-04") == dt.date(1, 6, 4)


@pytest.mark.parametrize("text", ["2024-13", "9999-01", "0001-04", "２０２４－０４x", "a\x00"])
def test_months_outside_the_range_are_refused(text):
    with pytest.raises(ValueError):
        parse_month(text)
    assert parse_month("２０２４－０４") == (2024, 4)
