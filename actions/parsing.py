"""What customers say, read into values: dates ("next Friday") and quantities ("a couple of").

Both helpers return None for text they cannot read, so a validator can ask
again instead of guessing. Each takes the message's ``language``, ``"en"``
(the default) or ``"fr"`` ("vendredi prochain", "une douzaine"); the French
words are in :mod:`actions.parsing_fr`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import dateparser
from dateparser.search import search_dates

from . import parsing_fr

# Customers are mostly in France: "03/04" is the 3rd of April, and a date
# without a year is the next one to come ("15 December" in March is this year's).
_DATE_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "future",
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": False,
}
LANGUAGES = ("en", "fr")

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "pair": 2,
    "couple": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
}
_MULTIPLIERS = {"dozen": 12, "hundred": 100}
_WEAK = frozenset({"a", "an"})
# A number on its own: not the "3000" of "ECL-3000", not the "1" of "-1".
_NUMBER = re.compile(r"(?<![\w.,-])(\d{1,6}(?:[.,]\d+)?)(?!\w)")
_WORD = re.compile(r"[a-z]+")


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: expected one of {LANGUAGES}")
    return language


def parse_date(text: str | None, *, today: dt.date, language: str = "en") -> dt.date | None:
    """The day ``text`` names, counted from ``today``; None when it names none.

    "next Friday", "15 December", "in two weeks", "03/04" (3 April) and
    "2026-04-01" all read; a date inside a sentence ("deliver it next
    Friday please") is found too. In French: "vendredi prochain", "le 12
    décembre", "après-demain", "dans deux semaines", "12/12".
    """
    languages = [_language(language)]
    if not text or not text.strip():
        return None
    if language == "fr":
        for pattern, replacement in parsing_fr.DATE_REWRITES:
            text = pattern.sub(replacement, text)
    settings = {**_DATE_SETTINGS, "RELATIVE_BASE": dt.datetime.combine(today, dt.time())}
    parsed = dateparser.parse(text, languages=languages, settings=settings)
    if parsed is None:
        found = search_dates(text, languages=languages, settings=settings)
        if not found:
            return None
        parsed = found[0][1]
    day: dt.date = parsed.date()
    return day


def parse_quantity(value: object, *, language: str = "en") -> int | None:
    """A whole number of at least one from a number or words; None otherwise.

    3, 3.0, "3", "two", "a couple of", "a dozen" and "3 laptops" read;
    0, -1, 2.5, "some" and "" do not. In French: "deux", "une douzaine",
    "deux douzaines", "une sacoche" (1), "3 portables".
    """
    _language(language)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 1 else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    number = _NUMBER.search(text)
    if number:
        return parse_quantity(float(number.group(1).replace(",", ".")))
    if language == "fr":
        text = parsing_fr.NEW.sub(r"\1", _fold(text))
        return _from_words(
            _WORD.findall(text),
            numbers=parsing_fr.NUMBER_WORDS,
            multipliers=parsing_fr.MULTIPLIERS,
            weak=parsing_fr.WEAK,
        )
    return _from_words(_WORD.findall(text))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _from_words(
    words: list[str],
    *,
    numbers: dict[str, int] = _NUMBER_WORDS,
    multipliers: dict[str, int] = _MULTIPLIERS,
    weak: frozenset[str] = _WEAK,
) -> int | None:
    # The first number word counts ("two laptops and a bag" is 2); "a" only when
    # there is no other ("a laptop" is 1, "a couple of" 2); "dozen" and "hundred"
    # scale the number before them ("two dozen" is 24, "a dozen" 12).
    total: int | None = None
    for word in words:
        if word in multipliers:
            return (total or 1) * multipliers[word]
        if word in numbers and word not in weak:
            if total is not None:
                break
            total = numbers[word]
    if total is None and any(word in weak for word in words):
        return 1
    return total


_CHANNELS = {
    "sms": re.compile(
        r"\b(sms(es)?|texts?|texting|texted|text messages?|txts?|whatsapp)\b", re.IGNORECASE
    ),
    "email": re.compile(r"\b(e-?mails?|e-?mailing|mails|mailings?|newsletters?)\b", re.IGNORECASE),
    "phone": re.compile(
        r"\b(call|calls|calling|called|ring|ringing|phon(e|ing)|phone calls?|telephone)\b",
        re.IGNORECASE,
    ),
}
# "E-mail is fine", "you can still e-mail me": a channel the customer keeps.
_KEEP = re.compile(
    r"\b(still|fine|ok|okay|happy|prefer|rather|instead|only|welcome|good|best|better|keep)\b",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"\b(stop|no more|don'?t|do not|never|not|no|opt(ing)? out|unsubscribe|remove|off|quit|enough"
    r"|too many)\b",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"[.;!?]+|,|\bbut\b", re.IGNORECASE)


# "Stop", "no more": words that refuse a channel outright, not a mere "e-mail, not the phone".
_REFUSE = re.compile(
    r"\b(stop|no more|never|opt(ing)? out|unsubscribe|quit|enough|too many"
    r"|(don'?t|do not) (want|send|text|call|ring|phone|e-?mail|contact))\b",
    re.IGNORECASE,
)


def channels_said(
    text: str, *, refused_only: bool = False, language: str = "en"
) -> tuple[list[str], list[str]]:
    """The contact channels (``sms``, ``email``, ``phone``) the words stop, and those they keep.

    Clause by clause: "stop texting me, e-mail is fine" stops ``sms`` and
    keeps ``email``. A clause with a channel and no word of stopping keeps it.
    With ``refused_only``, only words that refuse a channel outright ("no
    more texts", not "by e-mail, not the phone") stop it. In French:
    "arrêtez les SMS, l'e-mail ça va" stops ``sms`` and keeps ``email``.
    """
    french = _language(language) == "fr"
    english = _channels_said(text, refused_only=refused_only)
    if not french:
        return english
    # French words, and the English ones French customers use too ("stop", "mail").
    stopped_fr, kept_fr = _channels_said(text, refused_only=refused_only, french=True)
    stopped = list(dict.fromkeys([*stopped_fr, *english[0]]))
    kept = [c for c in dict.fromkeys([*kept_fr, *english[1]]) if c not in stopped]
    return stopped, kept


def _channels_said(
    text: str, *, refused_only: bool, french: bool = False
) -> tuple[list[str], list[str]]:
    channels = parsing_fr.CHANNELS if french else _CHANNELS
    clauses = parsing_fr.CLAUSES if french else _CLAUSES
    refuse = parsing_fr.REFUSE if french else _REFUSE
    stop = parsing_fr.STOP if french else _STOP
    stopped: list[str] = []
    kept: list[str] = []
    for clause in clauses.split(text):
        named = [c for c, words in channels.items() if words.search(clause)]
        stops = (refuse if refused_only else stop).search(clause) is not None
        (stopped if stops else kept).extend(c for c in named if c not in stopped + kept)
    return stopped, kept
