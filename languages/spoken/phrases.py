"""Phrases and runs: the numbers said, and the numbers said one after the other.

A phrase is one number as said: "sixty nine" (69), "double six" ("66"),
"69" as written, "twelve point five". A run is phrases with nothing
between them but fillers ("six nine uh zero zero two": five phrases, one
run); ``numbers.py`` decides what a run is (one digit string, a price, a
time, quantities).

Homophones ("oh", "for", "to", "won", "ate") are digits only among digits,
so they are phrases of their own kind that a run keeps only where
:func:`_homophones_kept` says so; elsewhere they split the run and stay words.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from .atoms import Atom, Kind
from .context import Context


class Shape(enum.Enum):
    """How a phrase was said."""

    WORDS = "words"  # a number in words (figures before "hundred" too): "sixty nine"
    FIGURES = "figures"  # written in figures: "69", "3,000"
    REPEAT = "repeat"  # "double six"
    HOMOPHONE = "homophone"  # "oh", "for": a digit only among digits
    DECIMAL = "decimal"  # "twelve point five": never part of a run


@dataclass(frozen=True)
class Phrase:
    """One number as said: atoms ``[first, end)``."""

    first: int
    end: int
    shape: Shape
    #: What it is in a digit string: "69", "0", "007", "12.5".
    digits: str
    #: What it is as a quantity, if it is one.
    value: int | None
    #: Its first atom's word ("one", "oh").
    word: str
    #: Whether a "hundred" or a "thousand" made it.
    multiplied: bool = False

    @property
    def single_digit(self) -> bool:
        return len(self.digits) == 1 and self.shape in (Shape.WORDS, Shape.FIGURES)


Run = list[Phrase]
# Where a zero said "oh" may stand at the edge of a run: before or after this many digits.
_OH_AT_EDGE = 2
# How many digits a run needs around "for", "to", "won", "ate" for them to be digits too.
_AMONG_DIGITS = 3


def phrases(atoms: Sequence[Atom], ctx: Context) -> list[Phrase]:
    """Every phrase of the message, in order."""
    found, k = [], 0
    while k < len(atoms):
        phrase = _phrase(atoms, k, ctx)
        if phrase is None:
            k += 1
        else:
            found.append(phrase)
            k = phrase.end
    return found


def runs(atoms: Sequence[Atom], ctx: Context) -> list[Run]:
    """The phrases grouped in runs, homophones kept only where they are digits."""
    grouped: list[Run] = []
    for phrase in phrases(atoms, ctx):
        previous = grouped[-1][-1] if grouped else None
        if previous is not None and _together(atoms, previous, phrase):
            grouped[-1].append(phrase)
        else:
            grouped.append([phrase])
    found = []
    for run in grouped:
        for part in _split_at_commas(atoms, run, ctx):
            found += _homophones_kept(part, atoms, ctx)
    return found


def _phrase(atoms: Sequence[Atom], k: int, ctx: Context) -> Phrase | None:
    atom = atoms[k]
    following = atoms[k + 1] if k + 1 < len(atoms) else None
    if atom.kind is Kind.REPEAT:
        if following is None or following.kind not in (Kind.UNIT, Kind.HOMOPHONE):
            return None
        if following.kind is Kind.HOMOPHONE and following.value:
            return None  # "double for" is no digit
        digits = str(following.value) * atom.value
        return Phrase(k, k + 2, Shape.REPEAT, digits, None, atom.word)
    if atom.kind is Kind.HOMOPHONE:
        return Phrase(k, k + 1, Shape.HOMOPHONE, str(atom.value), None, atom.word)
    if atom.kind is Kind.FIGURES and ctx.table.cardinal(atoms, k) is None:
        value = atom.value if atom.value >= 0 else None
        return _decimals(atoms, Phrase(k, k + 1, Shape.FIGURES, atom.word, value, atom.word), ctx)
    found = ctx.table.cardinal(atoms, k)
    if found is None:
        return None
    value, end = found
    multiplied = any(a.kind in (Kind.HUNDRED, Kind.BIG) for a in atoms[k:end])
    phrase = Phrase(k, end, Shape.WORDS, str(value), value, atom.word, multiplied)
    return _decimals(atoms, phrase, ctx)


def _decimals(atoms: Sequence[Atom], phrase: Phrase, ctx: Context) -> Phrase:
    """ "twelve point five" (12.5), "un virgule trente-cinq" (1,35); else the phrase as it was."""
    j = phrase.end
    if j >= len(atoms) or atoms[j].kind is not Kind.POINT or phrase.value is None:
        return phrase
    j += 1
    decimals = ""
    while j < len(atoms) and atoms[j].kind is Kind.UNIT:
        if atoms[j].value and not ctx.table.decimals_by_digit:
            break
        decimals += str(atoms[j].value)
        j += 1
    if not ctx.table.decimals_by_digit:
        found = ctx.table.cardinal(atoms, j)
        if found is not None:
            decimals += str(found[0])
            j = found[1]
    if not decimals:
        return phrase
    written = f"{phrase.value}{ctx.table.decimal_mark}{decimals}"
    return Phrase(phrase.first, j, Shape.DECIMAL, written, None, phrase.word, phrase.multiplied)


def _together(atoms: Sequence[Atom], left: Phrase, right: Phrase) -> bool:
    if Shape.DECIMAL in (left.shape, right.shape):
        return False
    between = atoms[left.end : right.first]
    return all(atom.kind in (Kind.FILLER, Kind.COMMA) for atom in between)


def _split_at_commas(atoms: Sequence[Atom], run: Run, ctx: Context) -> list[Run]:
    """Commas stay inside a telephone number said in groups, and when digits are expected."""
    pairs = itertools.pairwise(run)
    cuts = [
        n + 1
        for n, (left, right) in enumerate(pairs)
        if any(atom.kind is Kind.COMMA for atom in atoms[left.end : right.first])
    ]
    if not cuts:
        return [run]
    groups = run[0].digits.startswith("0") and len(run) >= 4
    if ctx.digits_expected or (groups and all(p.value is None or p.value < 100 for p in run)):
        return [run]
    bounds = [0, *cuts, len(run)]
    return [run[a:b] for a, b in itertools.pairwise(bounds)]


def _homophones_kept(run: Run, atoms: Sequence[Atom], ctx: Context) -> list[Run]:
    """``run`` split at the homophones that are no digits here (they stay words).

    "oh" is a zero between digits, or at the edge of a run of two digits or more
    ("oh six nine ..."). "for", "to", "won" and "ate" are digits between single
    digits in a run of three digits or more ("six nine for zero two"), so "two to
    three" and "three for two" stay quantities. An "O" after a letter is a letter
    ("S O 000123").
    """
    genuine = [p.shape is not Shape.HOMOPHONE for p in run]
    total = sum(genuine)
    kept: list[Run] = [[]]
    n = before = 0
    while n < len(run):
        if genuine[n]:
            kept[-1].append(run[n])
            before += 1
            n += 1
            continue
        end = n
        while end < len(run) and not genuine[end]:
            end += 1
        chain = run[n:end]
        after = total - before
        left = run[n - 1] if n else None
        right = run[end] if end < len(run) else None
        previous = ctx.low(atoms[chain[0].first].token - 1) or ""
        spelled = left is None and len(previous) == 1 and previous.isalpha()
        if not spelled and _digits_here(chain, left, right, before, after, total, ctx):
            kept[-1] += chain
        else:
            kept.append([])
        n = end
    return [part for part in kept if part]


def _digits_here(
    chain: Run,
    left: Phrase | None,
    right: Phrase | None,
    before: int,
    after: int,
    total: int,
    ctx: Context,
) -> bool:
    edge = 1 if ctx.digits_expected else _OH_AT_EDGE
    if all(p.word in ("oh", "o") for p in chain):
        neighbours = [p for p in (left, right) if p is not None]
        if any(p.multiplied or p.shape is Shape.DECIMAL for p in neighbours):
            return False
        if left is not None and right is not None:
            return True
        return (left is None and after >= edge) or (right is None and before >= edge)
    return (
        left is not None
        and right is not None
        and left.single_digit
        and right.single_digit
        and total >= _AMONG_DIGITS
    )
