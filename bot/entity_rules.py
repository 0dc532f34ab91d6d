"""The words of one language that :class:`bot.entity_matcher.EntityMatcher` reads by rule.

A :class:`Rules` holds every language-dependent piece of the matcher: number
words, units, dates, contact times, channels, contact fields, the words that
introduce a name, and how a product's name makes its plural. :data:`ENGLISH`
is here; :data:`bot.entity_rules_fr.FRENCH` beside it. All patterns run on the
accent- and case-folded text (:func:`fold`), so they are written
without accents and in lower case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field


def fold(text: str) -> str:
    """Lower-case, accent-free text of exactly the same length ("Éclipse" → "eclipse")."""
    folded = []
    for char in text:
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).lower()
        folded.append(base[0] if base else char)
    return "".join(folded)


@dataclass(frozen=True)
class Rules:
    """Everything the matcher needs to know about one language."""

    language: str
    number_words: Mapping[str, int]
    # Unit words that follow a number ("5 units"); the catalog's categories count too.
    units: str
    # Between a number and the product it counts: "2 x", "two of the", "two extra".
    quantity_gap: str
    # Before a number that counts whatever it is: "quantity 4".
    quantity_prefix: str
    # Around a number that is the whole message: "just 2 please".
    alone_before: str
    alone_after: str
    dates: tuple[re.Pattern[str], ...]
    contact_times: tuple[re.Pattern[str], ...]
    channel_words: Mapping[str, str]
    # Group 1 of each is the span of a channel word.
    channel_prefs: tuple[re.Pattern[str], ...]
    # The channel (``sms``, ``email``, ``phone``) of a word group 1 matched.
    channel_of: Callable[[str], str]
    # Group 1 (or 2) is the span; the second item the field it names.
    contact_fields: tuple[tuple[re.Pattern[str], str], ...]
    # Group 1: any words follow; group 2: only capitalised words do.
    name_intro: re.Pattern[str]
    not_names: frozenset[str]
    # The plural forms of a folded product term ("laptop bag" → {"laptop bags"}).
    plurals: Callable[[str], set[str]]
    # Number words that are also articles ("un", "une"): they count only alone, after
    # a quantity prefix or before a unit, never before a product or a category.
    weak_numbers: frozenset[str] = frozenset()
    # Between a number and a unit word ("une dizaine d'écrans"); English wants none.
    unit_gap: str = " "
    # Words of this language that name a catalog category ("laptops": "ordinateur portable").
    category_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # More names for a folded term of a product of a folded category
    # ("eclipse laptop" of "laptops" → "portable eclipse").
    category_variants: Callable[[str, str], set[str]] = lambda term, category: set()
    # Read a right single quote (U+2019) as "'", where elisions are part of the words.
    straight_apostrophes: bool = False


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, so the longest wins."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


# --- English ------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "a couple of": 2, "a pair of": 2, "a dozen": 12,
}  # fmt: skip
_UNITS = (
    r"units?|pieces?|pcs|items?|copies|packs?|boxe?s?|sets?|pairs?"
    r"|of them|of those|of these|of each"
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TIME = r"(?:\d{1,2}(?:[:h.]\d{2})?\s?(?:am|pm|h)?|noon|midday|lunch(?:\s?time)?)"

_DATES = tuple(
    re.compile(p)
    for p in (
        r"\b(?:the )?day after tomorrow\b|\btomorrow\b|\btoday\b",
        rf"\b(?:(?:next|this|coming) )?(?:{_WEEKDAYS})\b",
        r"\b(?:(?:the )?end of )?(?:next|this|the coming|the following) (?:week|month|year)\b",
        r"\b(?:the )?end of (?:the )?(?:week|month|year)\b",
        rf"\b(?:the )?{_DAY} (?:of )?(?:{_MONTHS})\b(?: \d{{4}})?",
        rf"\b(?:{_MONTHS}) {_DAY}\b(?:,? \d{{4}})?",
        rf"\b(?:early|mid|late) (?:{_MONTHS})\b",
        rf"(?<=\bin |\bby )(?:{_MONTHS})\b(?! i\b)",
        r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b",
        r"\b(?:in|within) (?:\d{1,2}|a|an|one|two|three|four|five|six) (?:days?|weeks?|months?)\b",
        r"\bas soon as possible\b|\basap\b",
    )
)
_CONTACT_TIMES = tuple(
    re.compile(p)
    for p in (
        # "in the morning", "mornings", but not the "morning" of "good morning".
        r"\b(?:(?:in|during) the |every |early |late )(?:morning|afternoon|evening)s?\b"
        r"|\b(?:mornings|afternoons|evenings)\b",
        rf"\b(?:after|before|around|from|at) {_TIME}(?= |$|[,.!?])(?:(?: to| and) {_TIME})?",
        rf"\bbetween {_TIME} and {_TIME}",
        r"\b(?:on )?(?:weekends|weekdays|week days|the weekend)\b|\b(?:office|working) hours\b",
    )
)
_CHANNEL_WORDS = {
    "sms": "sms", "text": "sms", "texts": "sms", "text message": "sms",
    "text messages": "sms", "message": "sms", "whatsapp": "sms",
    "email": "email", "e-mail": "email", "emails": "email", "e-mails": "email", "mail": "email",
    "phone": "phone", "phone call": "phone", "phone calls": "phone", "call": "phone",
    "calls": "phone", "telephone": "phone",
}  # fmt: skip
_CHANNEL = alternation(_CHANNEL_WORDS)
_CHANNEL_PREFS = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:by|via|through|over|per) (?:an? )?({_CHANNEL})\b",
        r"\b(?:prefer|preferably|rather have|rather get|rather receive)"
        r"(?: to be contacted by| being contacted by| to get| to receive)?"
        rf" (?:an? )?({_CHANNEL})\b",
        rf"\b(?:use|send|send me) (?:an? )?({_CHANNEL})\b",
        r"\b((?:text|sms|e-?mail|message|whatsapp)(?:ed|ing)?) me\b",
    )
)


def _english_channel(word: str) -> str:
    return _CHANNEL_WORDS[re.sub(r"(?:ed|ing)$", "", word.replace("e-mail", "email"))]


# Group 1 is the span: "my number" names the phone field, "my" is not part of it.
_CONTACT_FIELDS = (
    (re.compile(r"\b((?:mobile|cell|telephone|landline)(?: phone)?(?: number)?)\b"), "phone"),
    # "phone" alone is also a verb ("can someone phone me?"): only as a noun.
    (
        re.compile(r"\b(?:(?:my|new|the|your) )?(phone number)\b|\b(?:my|new|the|your) (phone)\b"),
        "phone",
    ),
    (re.compile(r"\b(?:my|new) (number)\b"), "phone"),
    (re.compile(r"\b((?:e-?mail|mail)(?: address)?)\b"), "email"),
    (re.compile(r"\b((?:(?:postal|home|delivery|street) )?address|moved)\b"), "address"),
)
_NAME_INTRO = re.compile(
    r"\b(?:(my name is|my name['\u2019]s|name is|name['\u2019]s|the name is)"
    r"|(i am|i['\u2019]m|im|this is|it['\u2019]s|its|it is))\s+"
)
NOT_NAMES_EN = frozenset({
    "a", "an", "the", "and", "but", "or", "from", "in", "at", "on", "i", "my", "me", "here",
    "calling", "speaking", "with", "about", "looking", "interested", "not", "just", "please",
    "so", "too", "also", "customer", "new", "hello", "hi", "hey", "yes", "no", "thanks",
    "thank", "you", "ok", "okay", "sure", "bye", "goodbye", "good", "morning", "afternoon",
    "evening", "want", "would", "like", "need", "have", "to", "for", "of", "is", "it", "that",
    "order", "orders", "status", "help", "cancel", "stop", "quote", "price", "prices", "product",
    "products", "laptop", "laptops", "phone", "email", "address", "where", "what", "how", "why",
    "when", "which", "who", "can", "could", "do", "does", "great", "fine", "perfect", "sorry",
    "nope", "yeah", "yep", "cheers", "welcome", "human", "agent", "person", "bot", "robot",
    "we", "our", "your", "see", "later", "never", "mind", "more", "info", "details",
})  # fmt: skip

# Plurals no rule makes ("wireless mice").
_IRREGULAR_PLURALS = {"mouse": "mice"}


def english_plural(term: str, *, irregular: bool = False) -> str:
    """The plural of a term whose last word is a noun ("laptop bag" → "laptop bags").

    With ``irregular``, the plural no rule makes ("wireless mice"; customers
    also write "mouses"), else "".
    """
    head, _, last = term.rpartition(" ")
    if not last.isalpha() or len(last) < 3:
        return ""
    if irregular:
        return f"{head} {_IRREGULAR_PLURALS[last]}".strip() if last in _IRREGULAR_PLURALS else ""
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(?:s|x|z|ch|sh)$", last):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


def english_plurals(term: str) -> set[str]:
    """The English plurals of ``term``: by rule, and the one no rule makes."""
    return {english_plural(term), english_plural(term, irregular=True)} - {""}


ENGLISH = Rules(
    language="en",
    number_words=_NUMBER_WORDS,
    units=_UNITS,
    quantity_gap=r" (?:x |more |of (?:the |those |these |your |our )?|extra |new )?",
    quantity_prefix=r"\b(?:x|qty|quantity(?: of)?) ?$",
    alone_before=r"(?:just |only )?",
    alone_after=r"(?: please)?",
    dates=_DATES,
    contact_times=_CONTACT_TIMES,
    channel_words=_CHANNEL_WORDS,
    channel_prefs=_CHANNEL_PREFS,
    channel_of=_english_channel,
    contact_fields=_CONTACT_FIELDS,
    name_intro=_NAME_INTRO,
    not_names=NOT_NAMES_EN,
    plurals=english_plurals,
)
