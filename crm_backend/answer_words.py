"""Free words read as one of a question's answers: amounts and ranges, "the second one".

A customer answers a button question in their own words: "over 1500",
"about two grand", "more than four", "the second one". Scripts list some
words per answer (:mod:`crm_backend.interactive_scripts`); this module reads
what no list can hold:

- :func:`interval`: the amount or range some words give ("about two grand"
  is 2000, "over 1500" more than 1500, "between 1000 and 1200"). An answer
  that is itself a range ("Under 1000 euros", "Two to four years") is read
  the same way, so the words pick the one answer whose range holds theirs.
- :func:`ordinal`: "the second one", "2nd", "option 3", "the last one".

Both know nothing of a script; they read text already normalized
(lower case, no accents).
"""

from __future__ import annotations

import math
import re

Interval = tuple[float, float]  # low, high; an open bound is moved by EPSILON
EPSILON = 1e-6

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_THOUSANDS = frozenset({"thousand", "grand", "k"})
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
    "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "last": -1, "latter": -1,
    "former": 1,
}  # fmt: skip
_FILLER = frozenset(
    {"the", "one", "option", "answer", "choice", "please", "i", "d", "say", "take", "guess",
     "go", "for", "with", "it", "s", "is", "that", "number", "no", "button", "pick"}
)  # fmt: skip
# "1 500", "1,500", "1.500" (thousands), "1.5", "1,5" (decimals), then "k" or "grand".
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ ,.]\d{3})+|\d+(?:[.,]\d+)?)\s*(k|grand|thousand)?(?![\w])"
)
_ABOVE = re.compile(r"\b(over|above|more than|upwards? of|at least|beyond|>|minimum|min)\s*$")
_BELOW = re.compile(r"\b(under|below|less than|up to|at most|maximum|max|no more than|<)\s*$")
_BETWEEN = re.compile(r"^\s*(to|and|-|or)\s*$")


def words_to_digits(text: str) -> str:
    """Number words as digits: "two grand" → "2000", "fifteen hundred" → "1500"."""
    words_said = re.findall(r"[a-z]+|\d+(?:[ ,.]\d{3})*(?:[.,]\d+)?|\S", text)
    out: list[str] = []
    number: float | None = None
    total, current = 0.0, 0.0

    def flush() -> None:
        nonlocal number, total, current
        if number is not None:
            value = total + current
            out.append(str(int(value)) if value == int(value) else str(value))
        number, total, current = None, 0.0, 0.0

    for place, word in enumerate(words_said):
        following = words_said[place + 1] if place + 1 < len(words_said) else ""
        if word in _UNITS:
            current += _UNITS[word]
            number = current
        elif word in ("a", "an") and following in (_THOUSANDS | {"hundred"}):
            current, number = 1.0, 1.0
        elif word == "half" and number is not None:
            current += 0.5
        elif word == "hundred" and number is not None:
            current = (current or 1) * 100
        elif word in _THOUSANDS and number is not None:
            total, current = total + (current or 1) * 1000, 0.0
            number = total
        elif word == "and" and number is not None and following in (*_UNITS, "a", "half"):
            continue
        else:
            flush()
            out.append(word)
    flush()
    return " ".join(out)


def _value(digits: str, scale: str | None) -> float:
    if re.fullmatch(r"\d{1,3}(?:[ ,.]\d{3})+", digits):
        value = float(re.sub(r"[ ,.]", "", digits))
    else:
        value = float(digits.replace(",", "."))
    return value * 1000 if scale else value


def interval(text: str) -> Interval | None:
    """The amount or range the words give, or None when they give no number.

    "about 2000" is [2000, 2000], "over 1500" (1500, ∞), "under 1000"
    (-∞, 1000), "1000 to 1500" [1000, 1500]; open bounds are moved by
    :data:`EPSILON`.
    """
    plain = words_to_digits(text)
    found = list(_NUMBER.finditer(plain))
    if not found:
        return None
    first = found[0]
    low = _value(first.group(1), first.group(2))
    if len(found) >= 2 and _BETWEEN.match(plain[first.end() : found[1].start()]):
        second = found[1]
        high = _value(second.group(1), second.group(2) or first.group(2))
        if not first.group(2) and second.group(2) and low < 10:
            low *= 1000  # "one to two grand"
        return (min(low, high), max(low, high))
    before = plain[: first.start()]
    if _ABOVE.search(before):
        return (low + EPSILON, math.inf)
    if _BELOW.search(before):
        return (-math.inf, low - EPSILON if "up to" not in before else low)
    return (low, low)


def within(inner: Interval, outer: Interval) -> bool:
    """Whether ``inner`` lies inside ``outer``."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def ordinal(text: str, count: int) -> int | None:
    """The 0-based place "the second one", "option 3" or "the last one" names among ``count``."""
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _FILLER]
    if len(words) != 1:
        return None
    word = words[0]
    place = _ORDINALS.get(word)
    if place is None and word.isdigit() and ("option" in text or "number" in text):
        place = int(word)
    if place is None:
        return None
    index = count - 1 if place == -1 else place - 1
    return index if 0 <= index < count else None
