"""Values made ready for the responses: money, dates, lists, products, lines, per channel.

The sentences live in domain.yml; these helpers only turn CRM values into
the short strings a response fills in (docs/dialogue.md §1, "Channels"):
on the web and by SMS "1 299,00 €" and "15/12/2026"; on the phone, for the
voice to read, "1,299 euros" and "Tuesday the 15th of December".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from crm_backend.models import Product

VOICE = "voice"
# A delivery date nobody can promise yet (no stock, no lead time).
NO_DATE_YET = "a date we will confirm"
TIMES = "\N{MULTIPLICATION SIGN}"
CURRENCY_SIGNS = {"EUR": "€"}
CURRENCY_WORDS = {"EUR": "euros"}
# How the specs of the catalog read in a product's details; unknown keys read "key: value".
SPEC_FORMS = {
    "cpu": "{}",
    "ram": "{} RAM",
    "storage": "{}",
    "screen": "{} screen",
    "weight": "{}",
    "battery_life": "battery {}",
    "os": "{}",
}


class Line(Protocol):
    """A line of a quote or order, as the responses show it."""

    @property
    def product(self) -> Product: ...

    @property
    def quantity(self) -> int: ...


def money(amount: Decimal, currency: str, *, channel: str | None = None) -> str:
    """ "1 299,00 €" to read; "1,299 euros" (cents only when there are some) to hear."""
    if channel == VOICE:
        figures = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
        return f"{figures} {CURRENCY_WORDS.get(currency, currency)}"
    figures = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return f"{figures} {CURRENCY_SIGNS.get(currency, currency)}"


def day(value: dt.date, *, today: dt.date, channel: str | None = None) -> str:
    """ "15/12/2026" to read; "Tuesday the 15th of December" to hear (the year if not this one)."""
    if channel != VOICE:
        return f"{value:%d/%m/%Y}"
    spoken = f"{value:%A} the {_ordinal(value.day)} of {value:%B}"
    return spoken if value.year == today.year else f"{spoken} {value.year}"


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def spoken_list(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def listed(items: Sequence[str], *, channel: str | None, separator: str = ", ") -> str:
    """Items as a list to read ("a, b") or to hear ("a and b")."""
    return spoken_list(items) if channel == VOICE else separator.join(items)


def product_details(product: Product) -> str:
    """Its technical details in a line ("Intel Core i7, 16 GB RAM, ..."), else its description."""
    details = [_spec(key, value) for key, value in _specs(product.specs)]
    return ", ".join(details) or product.description.strip().rstrip(".")


def product_offers(products: Iterable[Product], *, channel: str | None) -> str:
    """ "Éclipse Laptop Bag, 59,00 €; ..." to read; "... at 59 euros and ..." to hear."""
    offers = [(p.name, money(Decimal(p.list_price), p.currency, channel=channel)) for p in products]
    if channel == VOICE:
        return spoken_list([f"the {name} at {price}" for name, price in offers])
    return "; ".join(f"{name}, {price}" for name, price in offers)


def lines_summary(lines: Iterable[Line], *, channel: str | None) -> str:
    """Lines to read (quantity, multiplication sign, name) or to hear ("2 Nova 14 and 1 ...")."""
    if channel == VOICE:
        return spoken_list([f"{line.quantity} {line.product.name}" for line in lines])
    return ", ".join(f"{line.quantity} {TIMES} {line.product.name}" for line in lines)


def _spec(key: str, value: str) -> str:
    form = SPEC_FORMS.get(key)
    return form.format(value) if form else f"{key.replace('_', ' ')}: {value}"


def _specs(specs: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in specs.items() if v not in (None, "")]
