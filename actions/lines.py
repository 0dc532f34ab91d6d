"""Products and quantities from what the customer said, shared by the quote and order forms.

Lines are kept in slots as ``[{"sku": "ECL-3000", "quantity": 1}, ...]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker

from crm_backend.models import Product
from crm_backend.services.pricing import LineRequest
from crm_backend.text import normalize

from .parsing import parse_quantity

Lines = list[dict[str, Any]]


def lines_said(tracker: Tracker, *, focus: str | None = None) -> Lines:
    """The lines of the latest message (see :func:`lines_in`)."""
    return lines_in(tracker.latest_message.get("entities") or [], focus=focus)


def lines_in(found_entities: Sequence[dict[str, Any]], *, focus: str | None = None) -> Lines:
    """The lines of a message's entities: each product with the quantity said before it.

    "3 Éclipse 3000 and 3 laptop bags" gives two lines of 3; a product with
    no quantity counts once; a quantity after the last product is its own
    ("the bag, 2 of them"). A quantity with no product at all ("5 please")
    applies to ``focus``, the product in focus, when there is one.
    """
    entities = sorted(
        (e for e in found_entities if e.get("value") is not None),
        key=lambda e: e.get("start") or 0,
    )
    lines: Lines = []
    pending: int | None = None
    for found in entities:
        if found.get("entity") == "quantity":
            pending = parse_quantity(found["value"])
        elif found.get("entity") == "product":
            lines.append({"sku": str(found["value"]).upper(), "quantity": pending or 1})
            pending = None
    if pending is not None:
        if lines:
            lines[-1]["quantity"] = pending
        elif focus:
            lines.append({"sku": focus, "quantity": pending})
    return merged(lines)


def meant(text: str, candidates: Sequence[Product]) -> list[str]:
    """The SKUs among ``candidates`` that generic words of ``text`` point to, in their order.

    "the laptop and the bag", said after the Éclipse 3000 and its proposed
    accessories: "laptop" is the category of one candidate, "bag" a word of
    another's name. A word that fits several candidates decides nothing.
    """
    said = re.findall(r"[a-z0-9]{3,}", normalize(text))
    words = {*said, *(w.rstrip("s") for w in said)}
    by_word: dict[str, set[str]] = {}
    for product in candidates:
        category = normalize(product.category)
        for word in {category, category.rstrip("s"), *normalize(product.name).split()}:
            by_word.setdefault(word, set()).add(product.sku)
    # A category of one candidate names it before any name word does ("laptop" is not the bag).
    in_category: dict[str, set[str]] = {}
    for product in candidates:
        in_category.setdefault(normalize(product.category).rstrip("s"), set()).add(product.sku)
    chosen = {next(iter(skus)) for w, skus in in_category.items() if w in words and len(skus) == 1}
    chosen |= {next(iter(skus)) for w, skus in by_word.items() if w in words and len(skus) == 1}
    return [p.sku for p in candidates if p.sku in chosen]


def merged(lines: Lines) -> Lines:
    """One line per SKU, quantities added, in the order SKUs first appear."""
    quantities: dict[str, int] = {}
    for line in lines:
        quantities[line["sku"]] = quantities.get(line["sku"], 0) + int(line["quantity"])
    return [{"sku": sku, "quantity": quantity} for sku, quantity in quantities.items()]


def as_requests(lines: Sequence[dict[str, Any]]) -> list[LineRequest]:
    """The lines as the pricing service takes them."""
    return [LineRequest(str(line["sku"]), int(line["quantity"])) for line in lines]


def well_formed(value: Any) -> Lines | None:
    """``value`` if it is a non-empty list of lines, else None."""
    if not isinstance(value, list) or not value:
        return None
    lines: Lines = []
    for line in value:
        if not isinstance(line, dict) or not line.get("sku"):
            return None
        quantity = parse_quantity(line.get("quantity"))
        if quantity is None:
            return None
        lines.append({"sku": str(line["sku"]).upper(), "quantity": quantity})
    return merged(lines)
