"""Clock and calendar helpers the services share: working days, readable dates.

Every service that depends on the date takes ``today`` or ``now`` from its
caller; these helpers fill in the real clock only when the caller gave none,
so tests stay deterministic.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ..models import utcnow

SATURDAY = 5

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_FR = (
    *("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"),
    *("septembre", "octobre", "novembre", "décembre"),
)
_MONTH_NAMES = {"en": _MONTHS, "fr": _MONTHS_FR}
# Days said otherwise than as their number: "1er novembre".
_DAY_WORDS: dict[str, dict[int, str]] = {"fr": {1: "1er"}}


def now_or(now: dt.datetime | None) -> dt.datetime:
    """``now`` if given, else the current UTC time."""
    return now if now is not None else utcnow()


def today_or(today: dt.date | None) -> dt.date:
    """``today`` if given, else the current UTC date."""
    return today if today is not None else utcnow().date()


def is_weekend(day: dt.date) -> bool:
    """Whether ``day`` is a Saturday or a Sunday."""
    return day.weekday() >= SATURDAY


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself on Monday to Friday, else the Monday after."""
    while is_weekend(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (Monday to Friday) after ``day``.

    >>> add_working_days(dt.date(2025, 11, 7), 2)  # a Friday
    datetime.date(2025, 11, 11)
    """
    while days > 0:
        day += dt.timedelta(days=1)
        if not is_weekend(day):
            days -= 1
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, on the month's last day when it has fewer.

    >>> add_months(dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def spoken_date(day: dt.date, *, today: dt.date, language: str = "en") -> str:
    """A date as people say it: "3 November", with the year only when it is not this year.

    In French (``language="fr"``): "3 novembre", "1er novembre".
    """
    number = _DAY_WORDS.get(language, {}).get(day.day, str(day.day))
    text = f"{number} {_MONTH_NAMES.get(language, _MONTHS)[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"
