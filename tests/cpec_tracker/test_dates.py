import datetime

from cpec_tracker.records.dates import DatePrecision, format_date, truncate_date

DAY = datetime.date(2025, 1, 10)


def test_dates_show_only_as_precisely_as_known():
    assert format_date(DAY, DatePrecision.DAY) == "10 January 2025"
    assert format_date(DAY, DatePrecision.MONTH) == "January 2025"
    assert format_date(DAY, DatePrecision.YEAR) == "2025"
    assert format_date(None, DatePrecision.DAY) == ""


def test_truncating_drops_the_unknown_parts():
    assert truncate_date(DAY, DatePrecision.MONTH) == datetime.date(2025, 1, 1)
    assert truncate_date(DAY, DatePrecision.YEAR) == datetime.date(2025, 1, 1)
    assert truncate_date(DAY, DatePrecision.DAY) == DAY
