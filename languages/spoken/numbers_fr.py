"""French numbers in words: "mille deux cent quatre-vingt-dix-neuf" is 1299.

:func:`cardinal` reads the longest number that starts at an atom, with or
without hyphens (the recogniser writes both, and the 1990 spelling
"vingt-et-un", "deux-cents"): "soixante-dix" 70, "soixante et onze" 71,
"quatre-vingts" 80, "quatre-vingt-dix-neuf" 99, "vingt et un" 21. It never
joins what is said as separate numbers: "zéro six quatre-vingt-dix-huit"
is 0, 6, 98 (a telephone number said in pairs, for the caller to join).
"""

from __future__ import annotations

from collections.abc import Sequence

from .atoms import Atom, Kind, Lexicon, ends_token

_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")
_TEENS = ("dix", "onze", "douze", "treize", "quatorze", "quinze", "seize")
_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}

LEXICON: Lexicon = {
    **{word: (Kind.UNIT, n) for n, word in enumerate(_UNITS)},
    "zero": (Kind.UNIT, 0),
    "une": (Kind.UNIT, 1),
    **{word: (Kind.TEEN, 10 + n) for n, word in enumerate(_TEENS)},
    **{word: (Kind.TENS, value) for word, value in _TENS.items()},
    "vingts": (Kind.TENS, 20),
    "cent": (Kind.HUNDRED, 100),
    "cents": (Kind.HUNDRED, 100),
    "mille": (Kind.BIG, 1000),
    "mil": (Kind.BIG, 1000),
    "million": (Kind.BIG, 10**6),
    "millions": (Kind.BIG, 10**6),
    "milliard": (Kind.BIG, 10**9),
    "milliards": (Kind.BIG, 10**9),
    "et": (Kind.AND, 0),
    "double": (Kind.REPEAT, 2),
    "triple": (Kind.REPEAT, 3),
    "virgule": (Kind.POINT, 0),
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
        atom = _at(atoms, j)
        if atom is not None and atom.kind is Kind.BIG and atom.value == 1000:
            chunk: Found | None = (1, j)  # "mille" alone is a thousand
        else:
            chunk = _below_1000(atoms, j, after_big=ceiling > 0)
        if chunk is None:
            break
        value, after = chunk
        big = _at(atoms, after)
        if big is not None and big.kind is Kind.BIG and (not ceiling or big.value < ceiling):
            total, ceiling, j = total + value * big.value, big.value, after + 1
            continue
        if after == j:
            break
        total, j = total + value, after
        break
    return (total, j) if j > k else None


def _below_1000(atoms: Sequence[Atom], j: int, *, after_big: bool) -> Found | None:
    atom, following = _at(atoms, j), _at(atoms, j + 1)
    if atom is None:
        return None
    if atom.kind is Kind.FIGURES:
        # "3 mille", "2 cents"; after "mille", "500".
        if not (1 <= atom.value <= 999 and atom.word[0] != "0"):
            return None
        if following is not None and following.kind is Kind.HUNDRED:
            return _hundreds(atoms, atom.value * 100, j + 2)
        if after_big or (following is not None and following.kind is Kind.BIG):
            return atom.value, j + 1
        return None
    hundreds = following is not None and following.kind is Kind.HUNDRED
    if atom.kind is Kind.UNIT and atom.value >= 2 and hundreds:
        return _hundreds(atoms, atom.value * 100, j + 2)
    if atom.kind is Kind.HUNDRED:
        return _hundreds(atoms, 100, j + 1)
    return _below_100(atoms, j)


def _hundreds(atoms: Sequence[Atom], value: int, j: int) -> Found:
    rest = _below_100(atoms, j)
    return (value + rest[0], rest[1]) if rest and ends_token(atoms, rest[1]) else (value, j)


def _below_100(atoms: Sequence[Atom], j: int) -> Found | None:
    atom, following = _at(atoms, j), _at(atoms, j + 1)
    if atom is None:
        return None
    if atom.word == "quatre" and following is not None and following.word.startswith("vingt"):
        if following.word == "vingts":
            return 80, j + 2  # the plural ends the number: "quatre-vingts, douze" is 80 12
        return _after_tens(atoms, 80, j + 2, teens=True)
    if atom.kind is Kind.TENS:
        return _after_tens(atoms, atom.value, j + 1, teens=atom.value == 60)
    if atom.kind is Kind.TEEN:
        return _teen(atoms, atom.value, j)
    if atom.kind is Kind.UNIT and atom.value:
        return atom.value, j + 1
    return None


def _after_tens(atoms: Sequence[Atom], base: int, j: int, *, teens: bool) -> Found:
    """What may follow "vingt" to "soixante" and "quatre-vingt": "et un", "-deux", "-dix-sept"."""
    found = _units_after_tens(atoms, base, j, teens=teens)
    return found if ends_token(atoms, found[1]) else (base, j)


def _units_after_tens(atoms: Sequence[Atom], base: int, j: int, *, teens: bool) -> Found:
    atom, following = _at(atoms, j), _at(atoms, j + 1)
    if atom is None:
        return base, j
    if atom.kind is Kind.AND and following is not None:
        one = following.kind is Kind.UNIT and following.value == 1
        eleven = teens and following.kind is Kind.TEEN and following.value == 11
        return (base + following.value, j + 2) if one or eleven else (base, j)
    if teens and atom.kind is Kind.TEEN:
        value, after = _teen(atoms, atom.value, j)
        return base + value, after
    if atom.kind is Kind.UNIT and atom.value:
        return base + atom.value, j + 1
    return base, j


def _teen(atoms: Sequence[Atom], value: int, j: int) -> Found:
    """ "dix", or "dix-sept" to "dix-neuf"."""
    unit = _at(atoms, j + 1)
    if value == 10 and unit is not None and unit.kind is Kind.UNIT and unit.value >= 7:
        return 10 + unit.value, j + 2
    return value, j + 1


def _at(atoms: Sequence[Atom], j: int) -> Atom | None:
    return atoms[j] if j < len(atoms) else None
