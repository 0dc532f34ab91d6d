"""Numbers in French words, for a voice: 1299 is "mille deux cent quatre-vingt-dix-neuf".

Traditional spelling (as a French voice reads it, and as the responses were
written): "vingt et un", "soixante et onze", "quatre-vingts" and "deux cents"
with their plural "s" only at the end of the number ("quatre-vingt mille",
"deux cent mille", but "deux cents millions": million is a noun), "mille"
never plural.
"""

from __future__ import annotations

import re

_SMALL = (
    *("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    *("dix", "onze", "douze", "treize", "quatorze", "quinze", "seize"),
)
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre-vingt"}
# Big units, largest first: (value, its name, plural); all nouns, so they take "s".
_BIG = ((10**9, "milliard", "milliards"), (10**6, "million", "millions"))
_DECIMAL = re.compile(r"^(\d+)(?:[.,](\d+))?$")


def spell(n: int) -> str:
    """An integer in French words: 21 "vingt et un", 80 "quatre-vingts", 1000 "mille"."""
    if n < 0:
        return f"moins {spell(-n)}"
    if n == 0:
        return _SMALL[0]
    said = []
    for value, one, many in _BIG:
        count, n = divmod(n, value)
        if count:
            said.append(f"un {one}" if count == 1 else f"{spell(count)} {many}")
    thousands, n = divmod(n, 1000)
    if thousands:
        said.append("mille" if thousands == 1 else f"{_under_1000(thousands, last=False)} mille")
    if n:
        said.append(_under_1000(n, last=True))
    return " ".join(said)


def spell_figure(text: str) -> str:
    """A figure as written in the catalog, "1.3" or "1,35", in words ("un virgule trente-cinq").

    Text that is no plain figure comes back as it was.
    """
    found = _DECIMAL.match(text.strip())
    if found is None:
        return text
    whole, decimals = found.groups()
    said = spell(int(whole))
    if not decimals:
        return said
    # "0,05" is "zéro virgule zéro cinq": leading zeros are heard.
    zeros = len(decimals) - len(decimals.lstrip("0"))
    rest = decimals.lstrip("0")
    heard = [_SMALL[0]] * zeros + ([spell(int(rest))] if rest else [])
    return f"{said} virgule {' '.join(heard)}"


def digits(text: str) -> str:
    """Digits one by one in words: "069" is "zéro six neuf"."""
    return " ".join(_SMALL[int(d)] for d in text if d.isdigit())


def _under_1000(n: int, *, last: bool) -> str:
    """1..999; ``last``: nothing follows, so "cents" and "quatre-vingts" keep their "s"."""
    hundreds, rest = divmod(n, 100)
    said = []
    if hundreds:
        if hundreds > 1:
            said.append(_SMALL[hundreds])
        said.append("cents" if hundreds > 1 and not rest and last else "cent")
    if rest:
        said.append(_under_100(rest, last=last))
    return " ".join(said)


def _under_100(n: int, *, last: bool) -> str:
    if n < len(_SMALL):
        return _SMALL[n]
    if n < 20:
        return f"dix-{_SMALL[n - 10]}"
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        # 70-79 and 90-99 count on from sixty and eighty: "soixante-douze", "quatre-vingt-dix".
        base = _TENS[tens - 1]
        return "soixante et onze" if n == 71 else f"{base}-{_under_100(10 + unit, last=last)}"
    if unit == 0:
        return "quatre-vingts" if tens == 8 and last else _TENS[tens]
    if unit == 1 and tens != 8:
        return f"{_TENS[tens]} et un"
    return f"{_TENS[tens]}-{_SMALL[unit]}"
