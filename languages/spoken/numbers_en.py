"""English numbers in words: "a thousand two hundred ninety nine" is 1299.

:func:`cardinal` reads the longest number that starts at an atom, the way it
is said: "fifteen hundred" (1500), "one thousand and fifty" (1050), "twenty
five hundred" (2500). It never joins what is said as separate numbers: "six
nine" is 6 then 9, "twelve ninety nine" is 12 then 99; whether those are one
digit string, a price or two quantities is for the caller to decide.
"""

from __future__ import annotations

from collections.abc import Sequence

from .atoms import Atom, Kind, Lexicon, ends_token

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = (
    *("ten", "eleven", "twelve", "thirteen", "fourteen"),
    *("fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

LEXICON: Lexicon = {
    **{word: (Kind.UNIT, n) for n, word in enumerate(_UNITS)},
    "nought": (Kind.UNIT, 0),
    **{word: (Kind.TEEN, 10 + n) for n, word in enumerate(_TEENS)},
    **{word: (Kind.TENS, 20 + 10 * n) for n, word in enumerate(_TENS)},
    "fourty": (Kind.TENS, 40),
    "hundred": (Kind.HUNDRED, 100),
    "thousand": (Kind.BIG, 1000),
    "million": (Kind.BIG, 10**6),
    "billion": (Kind.BIG, 10**9),
    "a": (Kind.A, 1),
    "and": (Kind.AND, 0),
    "double": (Kind.REPEAT, 2),
    "triple": (Kind.REPEAT, 3),
    "point": (Kind.POINT, 0),
    # What a recogniser writes for a digit it heard among digits.
    "oh": (Kind.HOMOPHONE, 0),
    "o": (Kind.HOMOPHONE, 0),
    "won": (Kind.HOMOPHONE, 1),
    "to": (Kind.HOMOPHONE, 2),
    "too": (Kind.HOMOPHONE, 2),
    "for": (Kind.HOMOPHONE, 4),
    "ate": (Kind.HOMOPHONE, 8),
}

Found = tuple[int, int]


def cardinal(atoms: Sequence[Atom], k: int) -> Found | None:
    """The longest number in words from ``atoms[k]``: (its value, the index past it)."""
    first = _at(atoms, k)
    if first is None:
        return None
    if first.kind is Kind.UNIT and first.value == 0:
        return 0, k + 1
    total, j, ceiling = 0, k, 0
    while True:
        chunk = _below_1000(atoms, j, after_big=ceiling > 0)
        if chunk is None:
            break
        value, after = chunk
        big = _at(atoms, after)
        if big is not None and big.kind is Kind.BIG and (not ceiling or big.value < ceiling):
            total, ceiling, j = total + value * big.value, big.value, after + 1
            conjunction = _at(atoms, j)
            if (
                conjunction is not None
                and conjunction.kind is Kind.AND
                and _below_1000(atoms, j + 1, after_big=True) is not None
                and not _another_item(atoms, j)
            ):
                j += 1
            continue
        total, j = total + value, after
        break
    return (total, j) if j > k else None


def _below_1000(atoms: Sequence[Atom], j: int, *, after_big: bool) -> Found | None:
    atom, following = _at(atoms, j), _at(atoms, j + 1)
    if atom is None:
        return None
    if atom.kind is Kind.A:
        if following is not None and following.kind is Kind.BIG:
            return 1, j + 1
        if following is not None and following.kind is Kind.HUNDRED:
            return _hundreds(atoms, 100, j + 2)
        return None
    if atom.kind is Kind.FIGURES:
        # "3 thousand", "2 hundred"; after a thousand, "500".
        if not (1 <= atom.value <= 999 and atom.word[0] != "0"):
            return None
        if following is not None and following.kind is Kind.HUNDRED:
            return _hundreds(atoms, atom.value * 100, j + 2)
        if after_big or (following is not None and following.kind is Kind.BIG):
            return atom.value, j + 1
        return None
    below = _below_100(atoms, j)
    if below is None:
        return None
    value, after = below
    hundred = _at(atoms, after)
    if hundred is not None and hundred.kind is Kind.HUNDRED:
        return _hundreds(atoms, value * 100, after + 1)
    return below


def _hundreds(atoms: Sequence[Atom], value: int, j: int) -> Found:
    """After "hundred": "and fifty", "fifty" or nothing.

    A digit followed by digits is not its units: "eight hundred five five five" is
    800 then 5 5 5 (a telephone number), "six hundred five bags" 605.
    """
    conjunction = _at(atoms, j)
    if conjunction is not None and conjunction.kind is Kind.AND:
        rest = _below_100(atoms, j + 1)
        if rest and ends_token(atoms, rest[1]) and not _another_item(atoms, j):
            return value + rest[0], rest[1]
        return value, j
    unit, following = _at(atoms, j), _at(atoms, j + 1)
    digits_follow = following is not None and (
        following.kind is Kind.UNIT or following.word in ("oh", "o")
    )
    if unit is not None and unit.kind is Kind.UNIT and digits_follow:
        return value, j
    rest = _below_100(atoms, j)
    return (value + rest[0], rest[1]) if rest and ends_token(atoms, rest[1]) else (value, j)


def _another_item(atoms: Sequence[Atom], j: int) -> bool:
    """Whether "and" (at ``j``), a digit and a word are the next item of a list.

    "the Eclipse three thousand and two Nova fourteen" is 3000 then 2 (a product's
    name, then a quantity): so is "a hundred and two bags"; "one thousand and fifty
    bags" and "a hundred and two" are one number.
    """
    unit, word = _at(atoms, j + 1), _at(atoms, j + 2)
    if unit is None or unit.kind is not Kind.UNIT or not unit.value or word is None:
        return False
    return word.kind is Kind.OTHER and word.word[:1].isalpha()


def _below_100(atoms: Sequence[Atom], j: int) -> Found | None:
    atom = _at(atoms, j)
    if atom is None:
        return None
    if atom.kind is Kind.TENS:
        unit = _at(atoms, j + 1)
        if unit is not None and unit.kind is Kind.UNIT and unit.value and ends_token(atoms, j + 2):
            return atom.value + unit.value, j + 2
        return atom.value, j + 1
    if atom.kind is Kind.TEEN or (atom.kind is Kind.UNIT and atom.value):
        return atom.value, j + 1
    return None


def _at(atoms: Sequence[Atom], j: int) -> Atom | None:
    return atoms[j] if j < len(atoms) else None
