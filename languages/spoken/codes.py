"""Customer, order and quote numbers: "C as in Charlie one zero zero zero zero one" is C-100001.

The written forms are C-100001 (a customer), SO-000123 (an order) and
Q-000123 (a quote): the letters, a hyphen, six digits. A code is made when
the letters are heard ("C", "see", "sea", "C for Charlie", "S O", "S.O.",
"so", "Q", "queue"; in French "C comme Charles", "S O", "Q") right before
digits that make exactly six: "see you at six" stays. A customer number may
have five to seven digits when the bot asked for one (the bot then says it
knows no such customer, rather than reading the digits as something else).
"""

from __future__ import annotations

import re

from .context import CUSTOMER_EXPECTED, Context
from .phrases import Run, Shape
from .tokens import Edit

_WRITTEN = re.compile(r"(c|so|q)[-.]?(\d{6})", re.IGNORECASE)
DIGITS = 6
_CUSTOMER_DIGITS = range(5, 8)
# Signs between the letters and the digits: "C. 100001", "SO - 000123", "Q#000045".
_BETWEEN = frozenset({".", "-", ":", "#"})
# Words of the letters and the word that spells them, at most ("C", "as", "in", "Charlie").
_LONGEST_PREFIX = 4


def keyed_customer_number(text: str, expecting: str | None) -> str:
    """Six digits alone, when the bot asked who is calling, are the customer number: a phone
    keypad has no letter C ("type the six digits of your customer number")."""
    digits = text.strip()
    if expecting in CUSTOMER_EXPECTED and len(digits) == DIGITS and digits.isdigit():
        return f"C-{digits}"
    return text


def written(ctx: Context) -> list[Edit]:
    """Codes written in one token, in their written form: "c100001" is C-100001."""
    edits = []
    for index, token in enumerate(ctx.tokens):
        found = _WRITTEN.fullmatch(token.text)
        if found is None:
            continue
        ctx.claimed.add(index)
        code = f"{found.group(1).upper()}-{found.group(2)}"
        if code != token.text:
            edits.append(Edit(token.start, token.end, code))
    return edits


def spoken(run: Run, first: int, last: int, ctx: Context) -> Edit | None:
    """The code the letters before ``run`` (tokens ``first`` to ``last``) make with it, if any."""
    digits = "".join(p.digits for p in run)
    start = _letters_end(first, ctx)
    head = run[0]
    if (
        head.shape is Shape.HOMOPHONE
        and head.word in ("o", "oh")
        and ctx.low(start) in ctx.table.so_first
    ):
        # "S O zero zero zero one two three": the reader took the O for a zero.
        code: tuple[str, int] | None = ("SO", start)
        digits = digits[1:]
    else:
        code = _letters(start, ctx)
    if code is None or not digits.isdigit():
        return None
    letters, begin = code
    customer = letters == "C" and ctx.customer_expected and len(digits) in _CUSTOMER_DIGITS
    if len(digits) != DIGITS and not customer:
        return None
    tokens = ctx.tokens
    return Edit(tokens[begin].start, tokens[last].end, f"{letters}-{digits}")


def _letters_end(first: int, ctx: Context) -> int:
    """The token before ``first``, past the signs, dashes ("C dash 100001") and fillers between."""
    index = first - 1
    while index >= 0 and _between(ctx.low(index) or "", ctx):
        index -= 1
    return index


def _between(low: str, ctx: Context) -> bool:
    table = ctx.table
    return low in _BETWEEN or low in table.fillers or table.email_signs.get((low,)) == "-"


def _letters(end: int, ctx: Context) -> tuple[str, int] | None:
    """The code letters ending at token ``end`` and where they begin: ("C", index)."""
    heard = tuple(ctx.low(n) for n in range(end - _LONGEST_PREFIX + 1, end + 1))
    table = ctx.table
    for letters, forms in table.code_letters.items():
        for form in forms:
            if heard[-len(form) :] == form and _letters_here(form, end - len(form), ctx):
                return letters, end - len(form) + 1
        spelling = heard[-1]
        if spelling is None or len(spelling) < 2 or spelling[0] != letters[0].lower():
            continue
        for connector in table.spelled_as:
            said = heard[: -1 - len(connector)]
            if heard[-1 - len(connector) : -1] != connector:
                continue
            for form in forms:
                if said[-len(form) :] == form:
                    return letters, end - len(connector) - len(form)
    return None


def _letters_here(form: tuple[str, ...], before: int, ctx: Context) -> bool:
    """Whether ``form`` is letters here: "see" is no C after "I" ("I see ...")."""
    heard_as_word = len(form) == 1 and len(form[0]) > 1 and form[0].isalpha()
    return not heard_as_word or ctx.low(before) not in ctx.table.not_code_after
