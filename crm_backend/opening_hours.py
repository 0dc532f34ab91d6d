"""The desk's opening hours: when a person can take a conversation over.

Written the way people write them, in the desk's own time zone::

    mon-fri 09:00-18:00, sat 10:00-16:00
    mon-sun 00:00-24:00          (around the clock)

A day range and a time range per part; parts are separated by commas or
semicolons. ``24:00`` closes at midnight. :meth:`OpeningHours.is_open` answers
for an aware moment; :meth:`OpeningHours.describe` says the hours in words
the bot can read out on every channel (nothing an SMS cannot carry: ASCII in
English, the GSM alphabet's "à" in French), in English or in French.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class HoursWords:
    """How one language says opening hours."""

    days: tuple[str, ...]
    around_the_clock: str
    one_day: str  # "{}"
    day_range: str  # "{} to {}"
    span: str  # "{days}, {opens} to {closes}"
    clock: str  # "{hours}:{minutes:02d}"


HOURS_WORDS = {
    "en": HoursWords(
        days=DAY_NAMES,
        around_the_clock="every day, around the clock",
        one_day="{}",
        day_range="{} to {}",
        span="{days}, {opens} to {closes}",
        clock="{hours}:{minutes:02d}",
    ),
    "fr": HoursWords(
        days=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        around_the_clock="tous les jours, 24 heures sur 24",
        one_day="le {}",
        day_range="du {} au {}",
        span="{days}, de {opens} à {closes}",
        clock="{hours}h{minutes:02d}",
    ),
}
_PART = re.compile(
    r"^(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})$"
)
MIDNIGHT = 24 * 60


class InvalidOpeningHours(ValueError):
    """A text that does not read as opening hours; the message says which part."""


@dataclass(frozen=True)
class Span:
    """Open on these weekdays (0 = Monday), from ``opens`` to ``closes`` minutes after midnight."""

    days: tuple[int, ...]
    opens: int
    closes: int

    def covers(self, weekday: int, minute: int) -> bool:
        """Whether the span is open on that weekday at that minute of the day."""
        return weekday in self.days and self.opens <= minute < self.closes


@dataclass(frozen=True)
class OpeningHours:
    """When the desk is staffed, in one time zone."""

    spans: tuple[Span, ...]
    timezone: str = "Europe/Paris"

    @classmethod
    def parse(cls, text: str, *, timezone: str = "Europe/Paris") -> OpeningHours:
        """Read ``"mon-fri 09:00-18:00, sat 10:00-16:00"``.

        Raises:
            InvalidOpeningHours: a part, a day, a time or the time zone is not understood.
        """
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidOpeningHours(f"unknown time zone {timezone!r}") from None
        parts = [p.strip().lower() for p in re.split(r"[,;]", text) if p.strip()]
        if not parts:
            raise InvalidOpeningHours("no opening hours given")
        return cls(spans=tuple(_span(part) for part in parts), timezone=timezone)

    def is_open(self, moment: dt.datetime) -> bool:
        """Whether the desk is open at an aware ``moment``."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        minute = local.hour * 60 + local.minute
        return any(span.covers(local.weekday(), minute) for span in self.spans)

    def describe(self, *, language: str = "en") -> str:
        """The hours in words: "Monday to Friday, 9:00 to 18:00; Saturday, 10:00 to 16:00".

        In French (``language="fr"``): "du lundi au vendredi, de 9h00 à 18h00; le samedi, ...";
        any other language reads English.
        """
        said = HOURS_WORDS.get(language, HOURS_WORDS["en"])
        if all(s.opens == 0 and s.closes == MIDNIGHT for s in self.spans) and {
            d for s in self.spans for d in s.days
        } == set(range(7)):
            return said.around_the_clock
        return "; ".join(
            said.span.format(
                days=_days(span.days, said),
                opens=_clock(span.opens, said),
                closes=_clock(span.closes, said),
            )
            for span in self.spans
        )


def _span(part: str) -> Span:
    match = _PART.match(part)
    if match is None:
        raise InvalidOpeningHours(f"{part!r} is not like 'mon-fri 09:00-18:00'")
    first = _day(match["first"], part)
    last = _day(match["last"], part) if match["last"] else first
    if last < first:
        raise InvalidOpeningHours(f"{part!r}: the days run backwards")
    opens, closes = _minute(match["opens"], part), _minute(match["closes"], part)
    if closes <= opens:
        raise InvalidOpeningHours(f"{part!r}: it closes before it opens")
    return Span(days=tuple(range(first, last + 1)), opens=opens, closes=closes)


def _day(name: str, part: str) -> int:
    if name not in DAYS:
        raise InvalidOpeningHours(f"{part!r}: {name!r} is not a day (mon .. sun)")
    return DAYS.index(name)


def _minute(text: str, part: str) -> int:
    hours, minutes = (int(x) for x in text.split(":"))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        raise InvalidOpeningHours(f"{part!r}: {text} is not a time of day")
    return hours * 60 + minutes


def _days(days: tuple[int, ...], said: HoursWords) -> str:
    if len(days) == 1:
        return said.one_day.format(said.days[days[0]])
    return said.day_range.format(said.days[days[0]], said.days[days[-1]])


def _clock(minute: int, said: HoursWords) -> str:
    return said.clock.format(hours=minute // 60, minutes=minute % 60)
