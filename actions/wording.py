"""Values made ready for the responses: money, lists, products, lines, dates.

The sentences live in domain.yml; these helpers only turn CRM values into
the short strings a response fills in, the same way on every channel
("1,299.00 EUR", "1 x Éclipse 3000 and 1 x Éclipse Laptop Bag", "6 March").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from crm_backend.models import Product
from crm_backend.services.dates import spoken_date

# How the specs of the catalog are called when read out; unknown keys read as written.
SPEC_LABELS = {
    "cpu": "processor",
    "ram": "memory",
    "os": "system",
    "battery_life": "battery life",
}


class Line(Protocol):
    """A priced line of a quote or order, as the responses show it."""

    @property
    def product(self) -> Product: ...

    @property
    def quantity(self) -> int: ...


def money(amount: Decimal, currency: str) -> str:
    """ "1,299.00 EUR": two decimals, thousands separated, currency code after."""
    return f"{amount:,.2f} {currency}"


def spoken_list(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def day(value: dt.date, *, today: dt.date) -> str:
    """A date as people say it ("6 March"; the year only when it is not this year's)."""
    return spoken_date(value, today=today)


def product_details(product: Product) -> str:
    """The description and technical details, without a final full stop."""
    specs = "; ".join(f"{_label(key)}: {value}" for key, value in _specs(product.specs))
    description = product.description.strip().rstrip(".")
    return ". ".join(part for part in (description, specs) if part)


def product_offers(products: Iterable[Product]) -> str:
    """ "Éclipse Laptop Bag (59.00 EUR) and Éclipse 3000 Spare Battery (129.00 EUR)"."""
    return spoken_list([f"{p.name} ({money(Decimal(p.list_price), p.currency)})" for p in products])


def lines_summary(lines: Iterable[Line]) -> str:
    """ "1 x Éclipse 3000 and 2 x Éclipse Laptop Bag"."""
    return spoken_list([f"{line.quantity} x {line.product.name}" for line in lines])


def percent(value: Decimal) -> str:
    """ "5%", "12.5%", "none" for zero."""
    if not value:
        return "none"
    return f"{value.normalize():f}%"


def _label(key: str) -> str:
    return SPEC_LABELS.get(key, key.replace("_", " "))


def _specs(specs: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in specs.items() if v not in (None, "")]
