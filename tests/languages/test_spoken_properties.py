"""The spoken-forms normaliser over many inputs: round trips, any text, long text.

French numbers are said by the bot's own speller (``crm_backend.numbers_fr``),
so what the bot says and what it reads agree; English ones by a small speller
here, in the ways callers say them ("a hundred and five", "one hundred five").
"""

from __future__ import annotations

import random
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm_backend.numbers_fr import digits as digits_fr
from crm_backend.numbers_fr import spell
from languages.spoken import normalise
from languages.spoken.table import words

_EN_SMALL = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
    *("seventeen", "eighteen", "nineteen"),
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
QUESTIONS = [None, "identity_key", "lookup_postcode", "order_lines", "new_email", "lead_quantity"]
# A sample of numbers, the same on every run: every one up to 1100, then spread out.
_RANDOM = random.Random(2026)
NUMBERS = [*range(1100), *(_RANDOM.randrange(1100, 10**9) for _ in range(1500))]


def say_en(n: int, *, conjunction: bool, article: bool, hyphen: bool) -> str:
    """``n`` in English words: "a thousand two hundred and ninety-nine"."""
    if n < 20:
        return _EN_SMALL[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        joiner = "-" if hyphen else " "
        return _EN_TENS[tens] + (joiner + _EN_SMALL[unit] if unit else "")
    for size, name in ((10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            count, rest = divmod(n, size)
            head = "a" if article and count == 1 else say_en(count, **_style(conjunction, hyphen))
            said = f"{head} {name}"
            if rest:
                joiner = " and " if conjunction and rest < 100 else " "
                said += joiner + say_en(rest, **_style(conjunction, hyphen))
            return said
    raise AssertionError(n)


def _style(conjunction: bool, hyphen: bool) -> dict[str, bool]:
    return {"conjunction": conjunction, "article": False, "hyphen": hyphen}


@pytest.mark.parametrize(
    "style",
    [
        {"conjunction": False, "article": False, "hyphen": True},
        {"conjunction": True, "article": True, "hyphen": False},
    ],
)
def test_english_numbers_in_words_come_back_as_figures(style):
    heard = {n: say_en(n, **style) for n in NUMBERS}
    read = {n: normalise(said, "en", expecting="lead_quantity") for n, said in heard.items()}
    assert {n: (heard[n], read[n]) for n in NUMBERS if read[n] != str(n)} == {}


@pytest.mark.parametrize("hyphens", [True, False], ids=["hyphens", "spaces"])
def test_french_numbers_as_the_bot_says_them_come_back_as_figures(hyphens):
    # Recognisers write them with or without hyphens.
    heard = {n: spell(n) if hyphens else spell(n).replace("-", " ") for n in NUMBERS}
    read = {n: normalise(said, "fr", expecting="lead_quantity") for n, said in heard.items()}
    assert {n: (heard[n], read[n]) for n in NUMBERS if read[n] != str(n)} == {}


def test_a_lone_one_is_a_quantity_only_when_one_is_asked():
    assert normalise("one", "en") == "one"
    assert normalise("un", "fr") == "un"


_DIGIT_STRINGS = [
    "".join(_RANDOM.choice("0123456789") for _ in range(k % 11 + 2)) for k in range(300)
]


@pytest.mark.parametrize("digits", _DIGIT_STRINGS)
def test_digits_said_one_by_one_are_one_digit_string(digits):
    english = " ".join(_EN_SMALL[int(d)] for d in digits)
    assert normalise(english, "en") == digits, english
    french = digits_fr(digits)
    assert normalise(french, "fr", expecting="lookup_postcode") == digits, french
    if not french.startswith(("un ", "neuf ")) or len(digits) > 2:
        assert normalise(french, "fr") == digits, french  # "un neuf" alone may be "a new one"
    spaced = " ".join(digits)
    assert normalise(spaced, "en", expecting="callback_phone") == digits


def _pairs() -> list[str]:
    """French mobile numbers, "06" then four pairs."""
    return ["06" + "".join(f"{_RANDOM.randrange(100):02d}" for _ in range(4)) for _ in range(300)]


_AMBIGUOUS_PAIRS = re.compile(
    r"\bsoixante (dix|onze|douze|treize|quatorze|quinze|seize)\b|\bquatre vingt"
)


def say_phone_fr(number: str) -> str:
    """A telephone number in pairs, the French way: "zéro six, douze, zéro cinq, ..."."""
    pairs = [number[n : n + 2] for n in range(0, len(number), 2)]
    said = [f"zéro {spell(int(pair[1]))}" if pair[0] == "0" else spell(int(pair)) for pair in pairs]
    return " ".join(said)


# Without their hyphens, "soixante douze" is 72 and "quatre vingt" 80: so they read, and
# numbers said with such pairs are left out (the normaliser's docstring says so).
@pytest.mark.parametrize(
    "number", [n for n in _pairs() if not _AMBIGUOUS_PAIRS.search(say_phone_fr(n))]
)
def test_a_french_telephone_number_said_in_pairs_is_one_digit_string(number):
    heard = say_phone_fr(number)
    assert normalise(heard, "fr", expecting="callback_phone") == number, heard
    assert normalise(heard, "fr") == number, heard


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(max_size=300),
    language=st.sampled_from(["en", "fr", "de"]),
    expecting=st.sampled_from(QUESTIONS),
)
def test_it_never_raises_on_any_text(text, language, expecting):
    assert isinstance(normalise(text, language, expecting=expecting), str)


_VOCABULARY = words(
    "one two six nine zero oh o for to won ate twenty hundred thousand a and double triple"
    " point uh , . - + @ $ € at dot underscore dash com fr gmail marie see c s so q as in"
    " charlie euros cents of the 3,000 69 0 02 000123 C-100001 un deux neuf vingt quatre"
    " soixante cent mille et virgule arobase tiret du bas point euh comme plus"
)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.sampled_from(sorted(_VOCABULARY)), max_size=40),
    spaces=st.lists(st.sampled_from([" ", "", "  ", ", ", "-", "\n"]), min_size=40, max_size=40),
    language=st.sampled_from(["en", "fr"]),
    expecting=st.sampled_from(QUESTIONS),
)
def test_it_never_raises_on_the_words_it_reads(words, spaces, language, expecting):
    text = "".join(word + space for word, space in zip(words, spaces, strict=False))
    assert isinstance(normalise(text, language, expecting=expecting), str)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="bjkvwxzBJKVWXZ.,!?'()/: \n\t", max_size=200),
    language=st.sampled_from(["en", "fr"]),
)
def test_text_with_nothing_spoken_to_convert_is_unchanged(text, language):
    assert normalise(text, language) == text


LONG_INPUTS = {
    "digits": "six " * 500,
    "pairs": "quatre-vingt-dix-huit " * 100,
    "ats": "a at " * 400,
    "dots": "x dot " * 330 + "at gmail dot com",
    "letters": "a" * 2000,
    "address chunk": "a" * 1990 + "@b.com",
    "figures": "1 " * 1000,
    "commas": "1," * 1000,
    "hyphens": "-".join(["vingt"] * 333),
    "ohs": "oh six " * 285,
    "mixed": "one two three at example dot com C 100001 for twelve ninety nine " * 40,
}


@pytest.mark.parametrize("name", LONG_INPUTS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_2000_character_message_is_read_fast(name, language):
    text = LONG_INPUTS[name][:2000]
    started = time.perf_counter()
    normalise(text, language, expecting="identity_key")
    # Linear: a few milliseconds; the bound leaves room for a slow CI machine.
    assert time.perf_counter() - started < 0.5
