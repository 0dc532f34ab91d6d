"""What a run of numbers is: one digit string, a price, a time, or quantities.

- One phrase is its value: "three thousand" 3000, "fifteen hundred" 1500,
  "double six" 66. Alone, a word that is also no number stays a word:
  "no one", "one of my friends", "I'll take one" (but "one battery" is
  1 battery, and "one" is 1 when a quantity is expected); in French "un",
  "une" are articles unless a quantity or digits are expected.
- Figures as written stay, but for their thousands separators ("3,000" in
  English, "3 000" in French) and for groups that are clearly one digit
  string: a group starts with 0 ("69 0 02", "06 98 76 54 32"), three groups
  or more of one digit ("6 9 1 1 2"), a "+" comes first, or digits are expected.
- Two or more phrases in words are one digit string, each phrase its digits:
  "six nine zero zero two" 69002, "zéro six quatre-vingt-dix-huit ..."
  0698..., "twelve ninety nine" 1299; but after a price word ("for",
  "costs", "is it", "$") or before a currency, a number and a pair of digits
  are a price ("for twelve ninety-nine" 12.99), and after "at", "until"...
  an hour and minutes are a time ("at three thirty" 3:30).
- A number, a currency, and a number under 100 are a price: "douze euros
  quatre-vingt-dix-neuf" 12.99, "twelve dollars and fifty cents" 12.50.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import codes
from .atoms import Atom, Kind
from .context import Context
from .phrases import Phrase, Run, Shape
from .tokens import Edit

# Digits in a telephone number said after "plus", at least.
_PHONE_DIGITS = 8
# Figures of one digit each written apart, at least, that are digits said one by one.
_SPELLED = 3
_HOURS = range(1, 13)
_MINUTES = range(10, 60)
# Words that end like a plural and are none, beyond "-ss", "-us", "-is", "-ys".
_SHORTEST_PLURAL = 4
_NOT_PLURAL = frozenset({"hers", "ours", "yours", "theirs", "does", "goes", "perhaps"})


def read(runs: Sequence[Run], atoms: Sequence[Atom], ctx: Context) -> list[Edit]:
    """The edits that write the numbers of ``runs`` as a typing customer would."""
    edits: list[Edit] = []
    skip = False
    for n, run in enumerate(runs):
        if skip:
            skip = False
            continue
        span = _tokens(run, atoms)
        if span is None:
            continue
        code = codes.spoken(run, *span, ctx)
        if code is not None:
            edits.append(code)
            continue
        money = _money(run, runs[n + 1] if n + 1 < len(runs) else None, atoms, ctx)
        if money is not None:
            edits.append(money)
            skip = True
            continue
        edits += _read(run, span, atoms, ctx)
    return edits + _homophones_counted(atoms, ctx)


def _read(run: Run, span: tuple[int, int], atoms: Sequence[Atom], ctx: Context) -> list[Edit]:
    """The edits for one run, in tokens ``span``: one digit string, a price, a time, or each."""
    first, last = span
    tokens = ctx.tokens
    if len(run) == 1:
        return _alone(run[0], span, ctx)
    digits = "".join(p.digits for p in run)
    plus = ctx.word(first - 1)
    if plus in ctx.table.plus and digits.isdigit() and len(digits) >= _PHONE_DIGITS:
        return [Edit(tokens[first - 1].start, tokens[last].end, f"+{digits}")]
    if all(p.shape is Shape.FIGURES for p in run):
        if _figures_together(run, first, ctx):
            return [Edit(tokens[first].start, tokens[last].end, digits)]
        return _each(run, atoms, ctx)
    zero = any(p.digits.startswith("0") for p in run)
    if len(run) == 2 and not ctx.digits_expected and not zero:
        if any(p.shape is Shape.FIGURES for p in run):
            return _each(run, atoms, ctx)  # "Nova 14 two bags"
        head, second = run
        alone = head.shape is Shape.WORDS and head.end - head.first == 1
        before, counting = ctx.word(first - 1), ctx.quantity_expected
        if alone and ctx.table.stays(head.word, before, second.word, counting):
            return _each(run, atoms, ctx)  # "un cinq étoiles"
    written = _price(run, first, last, ctx) or _time(run, first, last, ctx) or digits
    return [Edit(tokens[first].start, tokens[last].end, written)]


def _alone(phrase: Phrase, span: tuple[int, int], ctx: Context) -> list[Edit]:
    """The edit for a number said alone, unless it stays as it is ("no one", "69")."""
    first, last = span
    token = ctx.tokens[first]
    if phrase.shape is Shape.HOMOPHONE:
        return []
    if phrase.shape is Shape.FIGURES:
        same = phrase.digits == ctx.tokens[first].text
        return [] if same else [Edit(token.start, token.end, phrase.digits)]
    if phrase.shape is Shape.WORDS and phrase.end - phrase.first == 1:
        before, after = ctx.word(first - 1), ctx.word(last + 1)
        counting = ctx.quantity_expected or ctx.digits_expected
        if ctx.table.stays(phrase.word, before, after, counting):
            return []
    return [Edit(token.start, ctx.tokens[last].end, phrase.digits)]


def _each(run: Run, atoms: Sequence[Atom], ctx: Context) -> list[Edit]:
    """Each phrase of ``run`` on its own."""
    edits = []
    for phrase in run:
        span = _tokens([phrase], atoms)
        if span is not None:
            edits += _read([phrase], span, atoms, ctx)
    return edits


def _figures_together(run: Run, first: int, ctx: Context) -> bool:
    """Whether figures written apart are one digit string (or one number, "3 000")."""
    groups = [p.digits for p in run]
    if ctx.digits_expected or any(group.startswith("0") for group in groups):
        return True
    if len(groups) >= _SPELLED and all(len(group) == 1 for group in groups):
        return True  # "6 9 1 1 2": digits said one by one
    if first > 0 and ctx.tokens[first - 1].text == "+" and ctx.adjacent(first - 1, first):
        return True
    return (
        ctx.table.space_groups
        and len(groups[0]) <= 3
        and all(len(group) == 3 for group in groups[1:])
    )


def _price(run: Run, first: int, last: int, ctx: Context) -> str | None:
    """ "for twelve ninety-nine": 12.99."""
    if len(run) != 2:
        return None
    whole, cents = run
    if whole.value is None or not 1 <= whole.value <= 999:
        return None
    if cents.shape is not Shape.WORDS or cents.multiplied or cents.value is None:
        return None
    if not 10 <= cents.value <= 99:
        return None
    cued = ctx.before(first, ctx.table.price_before) or ctx.low(last + 1) in ctx.table.currencies
    return f"{whole.value}.{cents.value:02d}" if cued else None


def _time(run: Run, first: int, last: int, ctx: Context) -> str | None:
    """ "at three thirty": 3:30; "at three oh five": 3:05."""
    table = ctx.table
    cued = ctx.word(first - 1) in table.time_before or ctx.word(last + 1) in table.time_after
    if not cued or run[0].value not in _HOURS or run[0].shape is not Shape.WORDS:
        return None
    if len(run) == 2 and run[1].shape is Shape.WORDS and run[1].value in _MINUTES:
        return f"{run[0].value}:{run[1].value}"
    if len(run) != 3:
        return None
    zero, minutes = run[1:]
    if zero.shape is Shape.HOMOPHONE and minutes.shape is Shape.WORDS and minutes.single_digit:
        return f"{run[0].value}:0{minutes.digits}"
    return None


def _money(run: Run, following: Run | None, atoms: Sequence[Atom], ctx: Context) -> Edit | None:
    """ "douze euros quatre-vingt-dix-neuf", "twelve dollars and fifty cents": 12.99, 12.50."""
    if following is None or len(run) != 1 or len(following) != 1:
        return None
    whole, cents = run[0], following[0]
    if whole.value is None or cents.value is None or not 1 <= cents.value <= 99:
        return None
    if cents.shape not in (Shape.WORDS, Shape.FIGURES) or cents.multiplied:
        return None
    left, right = _tokens(run, atoms), _tokens(following, atoms)
    if left is None or right is None:
        return None
    between = [ctx.low(n) for n in range(left[1] + 1, right[0])]
    if not between or between[0] not in ctx.table.currencies:
        return None
    if between[1:] and [_kind(ctx, word) for word in between[1:]] != [Kind.AND]:
        return None
    end = right[1]
    if ctx.low(end + 1) in ctx.table.cents:
        end += 1
    elif cents.value < 10:
        return None  # "three euros two bags"
    tokens = ctx.tokens
    return Edit(tokens[left[0]].start, tokens[end].end, f"{whole.value}.{cents.value:02d}")


def _kind(ctx: Context, word: str | None) -> Kind | None:
    """The kind of atom ``word`` is in the language, if it is one."""
    found = ctx.table.lexicon.get(word or "")
    return found[0] if found else None


def _homophones_counted(atoms: Sequence[Atom], ctx: Context) -> list[Edit]:
    """ "for of them", "to of the bags", "I want to bags": 4 of them, 2 of the bags, 2 bags.

    There "to", "too" and "for" can be nothing else. After a verb "to" may start
    another verb, so it is a number only before a plural ("I want to order" stays).
    """
    table, edits = ctx.table, []
    for atom in atoms:
        if atom.kind is not Kind.HOMOPHONE or atom.value not in (2, 4):
            continue
        if not (atom.first and atom.last):
            continue
        after = ctx.word(atom.token + 1)
        counted = after in table.counted_before
        if atom.value == 2 and ctx.word(atom.token - 1) in table.counting_verbs:
            counted = counted or _plural(after)
        if counted:
            token = ctx.tokens[atom.token]
            edits.append(Edit(token.start, token.end, str(atom.value)))
    return edits


def _plural(word: str | None) -> bool:
    """Whether ``word`` looks like a plural noun: "bags", not "this", "us", "pass"."""
    if word is None or len(word) < _SHORTEST_PLURAL or not word.isalpha():
        return False
    return (
        word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ys"))
        and word not in _NOT_PLURAL
    )


def _tokens(run: Run, atoms: Sequence[Atom]) -> tuple[int, int] | None:
    """The first and last tokens of ``run``; None when it begins or ends inside a token."""
    head, tail = atoms[run[0].first], atoms[run[-1].end - 1]
    if not head.first or not tail.last:
        return None
    return head.token, tail.token
