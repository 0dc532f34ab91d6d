"""E-mail addresses said aloud: "marie dot curie at example dot com" is marie.curie@example.com.

An address is made only around an "at" ("at sign", "@"; in French
"arobase", "a commercial") followed by a domain whose last part, after a
"dot" ("point"), is a known top-level domain ("com", "fr", "co dot uk"), or
any two to six letters when an address is expected: "I'm at home", "dot
matrix" and "look at the dot" stay.

The local part is read backwards from the "at": parts joined by "dot",
"underscore", "dash" ("tiret", "tiret du bas"), each part one word with the
letters and digits said around it ("j dupont six nine" is jdupont69), and
never a word of :attr:`Spoken.email_stops` ("my email is", "c'est", "yeah").
When an address is expected or named in the message ("email", "adresse"), a
part may be up to three words said apart ("marie curie at ..." is
mariecurie@...). Addresses already written stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .atoms import atomise
from .context import Context
from .table import words
from .tokens import Edit

TLDS = words(
    "com net org edu gov int info biz name pro io co uk fr de be ch es it nl eu ca"
    " us me ai app dev tech online store shop xyz lu pt pl ie se dk fi au nz jp cn"
    " br mx ru ma tn dz sn ci cm re mc gouv asso tv cc ly gg im at li cz gr ro hu sk"
    " si hr tr il za ng ke in"
)
_PIECE = re.compile(r"[^\W_]+(?:[._-][^\W_]+)*")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_TLD_LETTERS = range(2, 7)
# Words said apart in one part of an address, at most, when an address is expected.
_LOOSE_WORDS = 3
_LOCAL_SIGNS = frozenset("._-")
_DOMAIN_SIGNS = frozenset(".-")


@dataclass(frozen=True)
class _Sign:
    """A sign of an address as heard, in tokens ``[start, end)``."""

    sign: str
    start: int
    end: int


def find(ctx: Context) -> list[Edit]:
    """The addresses said in the message, written; their tokens are claimed."""
    _claim_written(ctx)
    signs = _signs(ctx)
    starts = {sign.start: sign for sign in signs}
    ends = {sign.end: sign for sign in signs}
    inside = {n for sign in signs for n in range(sign.start, sign.end)}
    loose = ctx.email_expected or any(t.low in ctx.table.email_cues for t in ctx.tokens)
    edits = []
    for sign in signs:
        if sign.sign != "@" or sign.start in ctx.claimed:
            continue
        domain = _domain(ctx, sign.end, starts, inside, loose)
        local = _local(ctx, sign.start, ends, inside, loose) if domain else None
        if domain is None or local is None:
            continue
        (begin, local_part), (end, domain_part) = local, domain
        address = f"{local_part}@{domain_part}".lower()
        edits.append(Edit(ctx.tokens[begin].start, ctx.tokens[end - 1].end, address))
        ctx.claimed.update(range(begin, end))
    return edits


def _claim_written(ctx: Context) -> None:
    """Claim the tokens of the addresses already written ("marie.curie@example.com")."""
    tokens = ctx.tokens
    begin = 0
    for n in range(1, len(tokens) + 1):
        if n < len(tokens) and ctx.adjacent(n - 1, n):
            continue
        chunk = list(range(begin, n))
        begin = n
        while chunk and not tokens[chunk[-1]].text[0].isalnum():
            chunk.pop()  # the full stop or bracket after an address
        at = [i for i in chunk if tokens[i].text == "@"]
        if len(at) != 1 or at[0] in (chunk[0], chunk[-1]):
            continue
        domain = "".join(tokens[i].text for i in chunk if i > at[0])
        if _DOMAIN.fullmatch(domain):
            ctx.claimed.update(chunk)


def _signs(ctx: Context) -> list[_Sign]:
    """The signs heard, the longest first ("tiret du bas" before "tiret")."""
    table = ctx.table.email_signs
    longest = max(map(len, table), default=0)
    found = []
    n = 0
    while n < len(ctx.tokens):
        for size in range(longest, 0, -1):
            heard = tuple(token.low for token in ctx.tokens[n : n + size])
            if heard in table and not ctx.claimed.intersection(range(n, n + size)):
                found.append(_Sign(table[heard], n, n + size))
                n += size
                break
        else:
            n += 1
    return found


def _domain(
    ctx: Context, start: int, starts: Mapping[int, _Sign], inside: set[int], loose: bool
) -> tuple[int, str] | None:
    """The domain from token ``start``: (the token past it, its text), if it ends in a TLD."""
    text, best, n = "", None, start
    while True:
        taken = _part(ctx, range(n, len(ctx.tokens)), inside, most=1)
        if not taken:
            return best
        text += "".join(piece for _, piece in taken)
        n = taken[-1][0] + 1
        labels = text.split(".")
        if len(labels) >= 2 and all(labels) and _tld(labels[-1], loose):
            best = (n, text)
        sign = starts.get(n)
        if sign is None or sign.sign not in _DOMAIN_SIGNS:
            return best
        text += sign.sign
        n = sign.end


def _local(
    ctx: Context, at: int, ends: Mapping[int, _Sign], inside: set[int], loose: bool
) -> tuple[int, str] | None:
    """The local part before token ``at``: (its first token, its text), if there is one."""
    most = _LOOSE_WORDS if loose else 1
    parts: list[str] = []
    begin = at
    while True:
        taken = _part(ctx, range(begin - 1, -1, -1), inside, most=most)
        if not taken:
            break
        parts[:0] = [piece for _, piece in reversed(taken)]
        begin = taken[-1][0]
        sign = ends.get(begin)
        if sign is None or sign.sign not in _LOCAL_SIGNS:
            break
        if not _part(ctx, range(sign.start - 1, -1, -1), inside, most=most):
            break  # "dot" with nothing before it
        parts.insert(0, sign.sign)
        begin = sign.start
    return (begin, "".join(parts)) if parts else None


def _part(
    ctx: Context, indices: Iterable[int], inside: set[int], *, most: int
) -> list[tuple[int, str]]:
    """The tokens of one part of an address, in the order of ``indices``, with their text.

    At most ``most`` words of two letters or more; letters and digits around them.
    """
    taken: list[tuple[int, str]] = []
    for n in indices:
        piece = None if n in inside else _piece(ctx, n)
        if piece is None:
            break
        if len(piece) > 1 and not piece.isdigit():
            if most == 0:
                break
            most -= 1
        taken.append((n, piece))
    return taken


def _piece(ctx: Context, n: int) -> str | None:
    """Token ``n`` as part of an address: a word, letters, digits ("six" is 6); None if none."""
    low = ctx.low(n)
    table = ctx.table
    if n in ctx.claimed or low is None or low in table.email_stops or low in table.fillers:
        return None
    if not _PIECE.fullmatch(low):
        return None
    atoms = atomise([ctx.tokens[n]], table.lexicon, (), comma_groups=table.comma_groups, claimed=())
    number = table.cardinal(atoms, 0)
    return str(number[0]) if number is not None and number[1] == len(atoms) else low


def _tld(label: str, loose: bool) -> bool:
    return label.isalpha() and (label in TLDS or (loose and len(label) in _TLD_LETTERS))
