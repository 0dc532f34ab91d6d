"""The bot's words, checked: a ``told`` template as a pattern over what it said.

Templates hold the persona's facts (``{open_order}``), product names
(``{product:NOV-14}``) and prices (``{price:NOV-14}``), read from the
database; text is folded (:func:`converse.questions.fold`) and any run of
spaces matches any other, so "1 299,00 €" and "1,299 euros" both say the price.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from .crm import Catalog
from .questions import fold
from .scenario import placeholders


def price_pattern(price: Decimal) -> str:
    """A price however it is written: "1 299,00 €", "1,299 euros", "1299.00"."""
    whole, cents = f"{price:.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    number = r"[\s.,']?".join(groups)
    tail = rf"(?:[.,]{cents})?" if cents == "00" else rf"[.,]{cents}"
    return rf"(?<![\d]){number}{tail}(?![\d])"


def pattern(template: str, facts: Mapping[str, str], catalog: Catalog) -> re.Pattern[str]:
    """A ``told`` template as a regex over folded text: facts, ``{price:SKU}``, ``{product:SKU}``.

    Spaces match any run of spaces; a price matches however it is written.
    """
    parts, rest = [], template
    for name in placeholders(template):
        before, _, rest = rest.partition("{" + name + "}")
        parts.append(_literal(before))
        kind, _, sku = name.partition(":")
        if kind == "price":
            parts.append(price_pattern(catalog.price_by_sku[sku]))
        elif kind == "product":
            parts.append(_literal(catalog.name_by_sku[sku]))
        else:
            parts.append(_literal(facts.get(name, "{" + name + "}")))
    parts.append(_literal(rest))
    return re.compile("".join(parts))


def _literal(text: str) -> str:
    return (
        r"\s+".join(re.escape(word) for word in fold(text).split(" "))
        if text.strip()
        else re.escape(text)
    )
