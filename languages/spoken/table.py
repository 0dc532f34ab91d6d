"""What one language gives the normaliser: its number words and grammar, its signs, its cues.

A language is one :class:`Spoken` table (``words_en.py``, ``words_fr.py``),
not ``if`` statements: the rules in ``numbers.py``, ``codes.py`` and
``emails.py`` are the same for every language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .atoms import Atom, Lexicon

Words = frozenset[str]
Phrases = frozenset[tuple[str, ...]]


def words(text: str) -> Words:
    """The words of ``text``, separated by spaces: a table's lists read as prose."""
    return frozenset(text.split())


@dataclass(frozen=True)
class Spoken:
    """One language's words for :func:`languages.spoken.normalise`."""

    code: str

    # --- numbers ---------------------------------------------------------------------------
    #: Every word a number is made of, with its kind and value.
    lexicon: Lexicon
    #: The longest number in words from an atom: (value, index past it), or None.
    cardinal: Callable[[Sequence[Atom], int], tuple[int, int] | None]
    #: Sounds dropped inside a number ("uh"), kept elsewhere.
    fillers: Words
    #: Whether "3,000" is 3000 (English); in French the comma is the decimal mark.
    comma_groups: bool
    #: Whether "3 000" is 3000 (French).
    space_groups: bool
    #: Between the whole number and the decimals, as written ("12.5", "12,5").
    decimal_mark: str
    #: Whether decimals are said digit by digit ("point two five") or as a number ("virgule
    #: vingt-cinq").
    decimals_by_digit: bool
    #: Whether a number word alone stays a word: (word, word before, word after, whether a
    #: quantity or digits are expected) -> True for "no one", "one of", "un sac".
    stays: Callable[[str, str | None, str | None, bool], bool]
    #: Words before "twelve ninety-nine" that make it a price (12.99): "for", "costs", "is it".
    price_before: Phrases
    #: Currency words: after a pair they make it a price; between two numbers, its units
    #: and cents ("douze euros quatre-vingt-dix-neuf").
    currencies: Words
    cents: Words
    #: Words around "three thirty" that make it a time (3:30).
    time_before: Words
    time_after: Words
    #: The word before an international number ("plus thirty-three ...").
    plus: Words
    #: Where a homophone of "two" or "four" can only be the number: before these words
    #: ("for of them"), and after these verbs, before a plural ("I want to bags").
    counted_before: Words
    counting_verbs: Words

    # --- codes -------------------------------------------------------------------------------
    #: How each letter of a code is heard: "C" as "see", "SO" as "S O".
    code_letters: Mapping[str, tuple[tuple[str, ...], ...]]
    #: Between a letter and a word that spells it: "C as in Charlie", "C comme Charles".
    spelled_as: tuple[tuple[str, ...], ...]
    #: The letters before an "O" that the number reader took for a zero ("S O 000123").
    so_first: Words
    #: Words after which a letter heard as a word ("see", "so", "queue") is that word: "I see".
    not_code_after: Words

    # --- e-mail addresses ----------------------------------------------------------------------
    #: The signs of an address as heard: ("at", "sign") -> "@", ("dot",) -> ".".
    email_signs: Mapping[tuple[str, ...], str]
    #: Words that are never part of an address: where the local part starts ("is", "c'est").
    email_stops: Words
    #: Words that say an address is being given ("email", "adresse"): the local part may
    #: then be several words ("marie curie at ..." is mariecurie@...).
    email_cues: Words


def stays_like_one(
    before: str | None,
    after: str | None,
    counting: bool,
    *,
    determiners: Words,
    uncounted: Words,
    clause_ends: Words,
) -> bool:
    """Whether "one" (or "un") is a word here: "no one", "one of", "this one", "I'll take one".

    It is a quantity before a word that may be counted ("one battery"); at the
    end of a clause ("I'll take one", "one please") only when a quantity or
    digits are expected.
    """
    if before in determiners:
        return True
    if after is None or after in clause_ends:
        return not counting
    return after in uncounted or after.startswith(("d'", "qu'", "l'"))
