"""Opening hours as people write them, in the desk's time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_backend.opening_hours import InvalidOpeningHours, OpeningHours

HOURS = OpeningHours.parse("mon-fri 09:00-18:00; sat 10:00-12:30", timezone="Europe/Paris")


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (dt.datetime(2025, 11, 3, 8, 0, tzinfo=dt.UTC), True),  # Monday 9:00 in Paris
        (dt.datetime(2025, 11, 3, 7, 59, tzinfo=dt.UTC), False),
        (dt.datetime(2025, 11, 7, 16, 59, tzinfo=dt.UTC), True),  # Friday 17:59
        (dt.datetime(2025, 11, 7, 17, 0, tzinfo=dt.UTC), False),  # Friday 18:00 closes
        (dt.datetime(2025, 11, 8, 11, 0, tzinfo=dt.UTC), True),  # Saturday 12:00
        (dt.datetime(2025, 11, 8, 11, 30, tzinfo=dt.UTC), False),  # Saturday 12:30
        (dt.datetime(2025, 11, 9, 11, 0, tzinfo=dt.UTC), False),  # Sunday
        (dt.datetime(2025, 7, 7, 7, 30, tzinfo=dt.UTC), True),  # summer time: 9:30
    ],
)
def test_is_open(moment, is_open):
    assert HOURS.is_open(moment) is is_open


def test_describe_in_words():
    assert HOURS.describe() == "Monday to Friday, 9:00 to 18:00; Saturday, 10:00 to 12:30"
    assert OpeningHours.parse("mon-sun 00:00-24:00").describe() == "every day, around the clock"


def test_around_the_clock_is_open_at_midnight():
    always = OpeningHours.parse("mon-sun 00:00-24:00", timezone="UTC")

    assert always.is_open(dt.datetime(2025, 11, 9, 23, 59, tzinfo=dt.UTC))
    assert always.is_open(dt.datetime(2025, 11, 10, 0, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "weekdays 9-18",
        "fri-mon 09:00-18:00",
        "mon 18:00-09:00",
        "mon 09:00-25:00",
        "xyz 1:00-2:00",
    ],
)
def test_what_is_not_opening_hours_is_refused(text):
    with pytest.raises(InvalidOpeningHours):
        OpeningHours.parse(text)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(InvalidOpeningHours):
        OpeningHours.parse("mon 09:00-10:00", timezone="Mars/Olympus")
