"""Prices as customers write them: "1 299,00 €", "1299 euros", "under €800", "moins de 800 €".

:func:`parse_price` returns None for text without an amount of money, so a
validator can ask again instead of guessing. French writes "1 299,00" (a space
between thousands, a decimal comma), English "1,299.00"; the ``language``
(``"en"``, the default, or ``"fr"``) says which.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal

_CURRENCY = r"(?:€|eur\b|euros?\b)"
# Thousands: a space (also the no-break ones French typography uses), or the other mark.
_AMOUNT = {
    "en": r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?",
    "fr": r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d{1,2})?|\d+(?:[,.]\d{1,2})?",
}
_BOUNDS = {
    "en": (
        r"under|below|less than|up to|no more than|not more than|max(?:imum)?|at most|within",
        r"over|above|more than|at least|from|starting at|min(?:imum)?",
    ),
    "fr": (
        r"moins de|moins d'|en dessous de|au-dessous de|sous|jusqu'(?:a|à)|pas plus de"
        r"|max(?:imum)?|au maximum|au plus|inf[ée]rieur (?:a|à)",
        r"plus de|plus d'|au moins|(?:a|à) partir de|min(?:imum)?|au minimum|au-dessus de"
        r"|sup[ée]rieur (?:a|à)",
    ),
}


class Bound(enum.StrEnum):
    """Whether the amount is a ceiling ("under 800 €") or a floor ("at least 500 €")."""

    AT_MOST = "at_most"
    AT_LEAST = "at_least"


@dataclass(frozen=True)
class Price:
    """An amount of euros, and the bound the words put on it, if any."""

    amount: Decimal
    bound: Bound | None = None


def parse_price(text: str | None, *, language: str = "en") -> Price | None:
    """The first amount of euros in ``text``, with its bound; None when there is none.

    An amount counts with a currency ("800 €", "€800", "800 euros") or after a
    bound ("under 800", "moins de 800"): a bare number is a quantity, not a price.
    """
    if language not in _AMOUNT:
        raise ValueError(f"language {language!r}: expected one of {sorted(_AMOUNT)}")
    if not text:
        return None
    at_most, at_least = _BOUNDS[language]
    amount = _AMOUNT[language]
    pattern = re.compile(
        rf"(?:(?P<most>\b(?:{at_most}))|(?P<least>\b(?:{at_least})))?\s*"
        rf"(?:(?P<before>{_CURRENCY})\s*)?(?<![\d,.])(?P<amount>{amount})(?![\d])"
        rf"(?:\s*(?P<after>{_CURRENCY}))?",
        re.IGNORECASE,
    )
    for match in pattern.finditer(text):
        bound = Bound.AT_MOST if match["most"] else Bound.AT_LEAST if match["least"] else None
        if bound is None and not (match["before"] or match["after"]):
            continue
        return Price(_decimal(match["amount"], language), bound)
    return None


def _decimal(written: str, language: str) -> Decimal:
    if language == "fr":
        digits = re.sub(r"[ \u00a0\u202f]", "", written)
        # "1.299" groups thousands; "12.50" has cents.
        digits = re.sub(r"\.(?=\d{3}(?:\D|$))", "", digits).replace(",", ".")
    else:
        digits = written.replace(",", "")
    return Decimal(digits)
