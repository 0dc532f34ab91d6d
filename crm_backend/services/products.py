"""Products: find them in the catalog, their accessories and alternatives; names for the NLU.

Names match without accents and case: "eclipse 3000" finds the Éclipse 3000.
"""

from __future__ import annotations

from typing import Any

from ..errors import ProductNotFound
from ..models import Product, RelationKind
from ..text import normalize
from ..uow import UnitOfWork

# Words shorter than this are noise in a word-by-word search ("a", "le", "de").
_MIN_WORD = 3


def search_products(uow: UnitOfWork, *, text: str) -> list[Product]:
    """Active products whose name, alias, SKU or category contains ``text``.

    When the whole text matches nothing, every word of it must match
    ("laptop eclipse" finds the Éclipse 3000 by its category and name).
    """
    phrase = normalize(text)
    if not phrase:
        return []
    found = list(uow.products.search(phrase))
    if found:
        return found
    words = [w for w in phrase.split() if len(w) >= _MIN_WORD]
    if len(words) < 2:
        return []
    per_word = [{p.id for p in uow.products.search(w)} for w in words[1:]]
    return [p for p in uow.products.search(words[0]) if all(p.id in ids for ids in per_word)]


def get_product(uow: UnitOfWork, *, sku: str) -> Product:
    """The product with that SKU, in any case ("ecl-3000" finds "ECL-3000").

    Raises:
        ProductNotFound: no product has that SKU.
    """
    product = uow.products.get_by(sku=sku.strip().upper())
    if product is None:
        raise ProductNotFound(key=sku)
    return product


def accessories_of(product: Product) -> list[Product]:
    """The active accessories of a product (cross-selling), best ranked first."""
    return product.related(RelationKind.ACCESSORY)


def alternatives_of(product: Product, *, cheaper_only: bool = False) -> list[Product]:
    """The active alternatives of a product, best ranked first.

    With ``cheaper_only``, only those cheaper than the product, cheapest first.
    """
    alternatives = product.related(RelationKind.ALTERNATIVE)
    if not cheaper_only:
        return alternatives
    cheaper = [p for p in alternatives if p.list_price < product.list_price]
    return sorted(cheaper, key=lambda p: (p.list_price, p.sku))


def catalog_lookup(uow: UnitOfWork) -> list[dict[str, Any]]:
    """The names the Rasa catalog matcher knows, as JSON-able data, by SKU.

    The order is the SKU's, not the database's collation, so the exported
    file is the same on every database and retrains the bot only when names change.

    Each active product gives ``{"sku", "name", "category", "aliases"}``;
    the aliases are its accent-free lower-case name, then its aliases as
    written and in accent-free lower case, without repeats.
    """
    return [
        {
            "sku": product.sku,
            "name": product.name,
            "category": product.category,
            "aliases": _unique(
                [
                    normalize(product.name),
                    *(alias.alias for alias in product.aliases),
                    *(normalize(alias.alias) for alias in product.aliases),
                ]
            ),
        }
        for product in sorted(uow.products.list_active(), key=lambda p: p.sku)
    ]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
