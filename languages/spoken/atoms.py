"""Atoms: what a number can be made of, one or more per token, each with its kind and value.

"quatre-vingt-dix" is three atoms (4, 20, 10) of one token; "3,000" one
atom of figures; a word no number is made of ("bags", "euros") is an
:attr:`Kind.OTHER` atom, which ends any number.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from .tokens import Token

_FIGURES = re.compile(r"\d+")
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
# Figures past this many digits are a digit string, never a value (and int() stays cheap).
_LONGEST_VALUE = 9


class Kind(enum.Enum):
    """What an atom is to a number."""

    UNIT = "unit"  # 0 to 9: "six", "zéro"
    TEEN = "teen"  # "twelve"; in French "dix" to "seize"
    TENS = "tens"  # "twenty", "soixante"
    HUNDRED = "hundred"  # "hundred", "cent"
    BIG = "big"  # "thousand", "million", "mille": its value multiplies what is before it
    A = "a"  # "a" thousand
    AND = "and"  # "one thousand and fifty", "vingt et un"
    FIGURES = "figures"  # digits as written: "69", "3,000" (word: the digits alone)
    REPEAT = "repeat"  # "double", "triple": the next digit, twice or three times
    HOMOPHONE = "homophone"  # "oh", "for", "to", "won", "ate": a digit only among digits
    POINT = "point"  # "point", "virgule": the decimals follow
    FILLER = "filler"  # "uh", "euh": dropped inside a number, kept elsewhere
    COMMA = "comma"
    OTHER = "other"


@dataclass(frozen=True)
class Atom:
    """One part of a number, in token ``token``."""

    kind: Kind
    value: int
    token: int
    word: str
    # Whether it begins and ends its token: numbers are replaced in whole tokens only.
    first: bool = True
    last: bool = True


Lexicon = Mapping[str, tuple[Kind, int]]


def ends_token(atoms: Sequence[Atom], end: int) -> bool:
    """Whether a number ending before ``atoms[end]`` ends with a token, not inside one.

    "soixante quatre-vingt-treize" is 60 then 93: "quatre" begins a token that
    "soixante" cannot take whole, so it takes none of it.
    """
    return end >= len(atoms) or atoms[end - 1].last


def atomise(
    tokens: Sequence[Token],
    lexicon: Lexicon,
    fillers: Collection[str],
    *,
    comma_groups: bool,
    claimed: Collection[int],
) -> list[Atom]:
    """The atoms of ``tokens``; a ``claimed`` token (an address, a code) is :attr:`Kind.OTHER`."""
    atoms: list[Atom] = []
    for index, token in enumerate(tokens):
        if index in claimed:
            atoms.append(Atom(Kind.OTHER, 0, index, token.low))
        else:
            atoms += _atoms(index, token, lexicon, fillers, comma_groups=comma_groups)
    return atoms


def _atoms(
    index: int, token: Token, lexicon: Lexicon, fillers: Collection[str], *, comma_groups: bool
) -> list[Atom]:
    low = token.low
    figures = low.replace(",", "") if comma_groups and _COMMA_GROUPED.fullmatch(low) else low
    if _FIGURES.fullmatch(figures):
        value = int(figures) if len(figures) <= _LONGEST_VALUE else -1
        return [Atom(Kind.FIGURES, value, index, figures)]
    if low in fillers:
        return [Atom(Kind.FILLER, 0, index, low)]
    if low == ",":
        return [Atom(Kind.COMMA, 0, index, low)]
    if low in lexicon:
        kind, value = lexicon[low]
        return [Atom(kind, value, index, low)]
    parts = low.split("-")
    if len(parts) > 1 and all(part in lexicon for part in parts):
        last = len(parts) - 1
        return [
            Atom(*lexicon[part], index, part, first=n == 0, last=n == last)
            for n, part in enumerate(parts)
        ]
    return [Atom(Kind.OTHER, 0, index, low)]
