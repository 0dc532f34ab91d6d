"""The demo catalog in the database: products, their relations and volume discounts.

The accessories (bag first, then the battery) and alternatives (one cheaper)
of the Éclipse 3000 are fixed demo facts of ARCHITECTURE.md. The products
themselves are listed in :mod:`.products`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from ..models import DiscountRule, Product, ProductAlias, ProductRelation, RelationKind
from ..text import normalize
from .products import ACCESSORIES, LAPTOPS, MONITORS, PRODUCTS, ProductSeed

# (product, related, kind) in rank order per product and kind.
RELATIONS: tuple[tuple[str, str, RelationKind], ...] = (
    ("ECL-3000", "BAG-ECL", RelationKind.ACCESSORY),
    ("ECL-3000", "BAT-ECL3000", RelationKind.ACCESSORY),
    ("ECL-3000", "DOCK-USBC", RelationKind.ACCESSORY),
    ("ECL-3000", "WAR-EXT2", RelationKind.ACCESSORY),
    ("ECL-3000", "SRV-DATA", RelationKind.ACCESSORY),
    ("ECL-3000", "ECL-2000", RelationKind.ALTERNATIVE),
    ("ECL-3000", "NOV-14", RelationKind.ALTERNATIVE),
    ("ECL-3000", "ZEN-PRO", RelationKind.ALTERNATIVE),
    ("ECL-2000", "BAG-ECL", RelationKind.ACCESSORY),
    ("ECL-2000", "MOUSE-WL", RelationKind.ACCESSORY),
    ("ECL-2000", "SRV-DATA", RelationKind.ACCESSORY),
    ("ECL-2000", "ECL-3000", RelationKind.ALTERNATIVE),
    ("ECL-2000", "NOV-14", RelationKind.ALTERNATIVE),
    ("NOV-14", "SLV-14", RelationKind.ACCESSORY),
    ("NOV-14", "MOUSE-WL", RelationKind.ACCESSORY),
    ("NOV-14", "SRV-DATA", RelationKind.ACCESSORY),
    ("NOV-14", "ECL-2000", RelationKind.ALTERNATIVE),
    ("NOV-14", "ECL-3000", RelationKind.ALTERNATIVE),
    ("ZEN-PRO", "DOCK-USBC", RelationKind.ACCESSORY),
    ("ZEN-PRO", "MON-27QHD", RelationKind.ACCESSORY),
    ("ZEN-PRO", "WAR-EXT2", RelationKind.ACCESSORY),
    ("ZEN-PRO", "SRV-DATA", RelationKind.ACCESSORY),
    ("ZEN-PRO", "ECL-3000", RelationKind.ALTERNATIVE),
    ("MON-24FHD", "KB-WL", RelationKind.ACCESSORY),
    ("MON-24FHD", "MON-27QHD", RelationKind.ALTERNATIVE),
    ("MON-27QHD", "DOCK-USBC", RelationKind.ACCESSORY),
    ("MON-27QHD", "MON-24FHD", RelationKind.ALTERNATIVE),
    ("MON-27QHD", "MON-32UHD", RelationKind.ALTERNATIVE),
    ("MON-32UHD", "MON-27QHD", RelationKind.ALTERNATIVE),
    ("PRN-IJ200", "INK-IJ200", RelationKind.ACCESSORY),
    ("PRN-IJ200", "SRV-INSTALL", RelationKind.ACCESSORY),
    ("PRN-IJ200", "PRN-LJ500", RelationKind.ALTERNATIVE),
    ("PRN-LJ500", "TONER-LJ500", RelationKind.ACCESSORY),
    ("PRN-LJ500", "PRN-IJ200", RelationKind.ALTERNATIVE),
    ("PHN-ASTRA", "CASE-ASTRA", RelationKind.ACCESSORY),
    ("PHN-ASTRA", "BUDS-ASTRA", RelationKind.ACCESSORY),
    ("PHN-ASTRA", "CHG-65W", RelationKind.ACCESSORY),
    ("PHN-ASTRA", "PHN-ASTRA-LITE", RelationKind.ALTERNATIVE),
    ("PHN-ASTRA-LITE", "CASE-ASTRA", RelationKind.ACCESSORY),
    ("PHN-ASTRA-LITE", "PHN-ASTRA", RelationKind.ALTERNATIVE),
)


@dataclass(frozen=True)
class DiscountSeed:
    """A volume discount of the demo catalog."""

    min_quantity: int
    percent: str
    category: str | None = None
    sku: str | None = None


DISCOUNTS: tuple[DiscountSeed, ...] = (
    DiscountSeed(min_quantity=5, percent="5.00", category=LAPTOPS),
    DiscountSeed(min_quantity=10, percent="10.00", category=LAPTOPS),
    DiscountSeed(min_quantity=5, percent="5.00", category=MONITORS),
    DiscountSeed(min_quantity=10, percent="8.00", category=ACCESSORIES),
    DiscountSeed(min_quantity=6, percent="15.00", sku="INK-IJ200"),
)


def discount_percent(seed: ProductSeed, quantity: int) -> Decimal:
    """The best demo discount for ``quantity`` units: what the pricing service would give."""
    matching = [
        Decimal(d.percent)
        for d in DISCOUNTS
        if quantity >= d.min_quantity and (d.sku == seed.sku or d.category == seed.category)
    ]
    return max(matching, default=Decimal("0"))


def seed_catalog(session: Session) -> dict[str, Product]:
    """Add the demo catalog; return the products by SKU."""
    products: dict[str, Product] = {}
    for seed in PRODUCTS:
        product = Product(
            sku=seed.sku,
            name=seed.name,
            search_name=normalize(seed.name),
            category=seed.category,
            description=seed.description,
            specs=dict(seed.specs),
            list_price=Decimal(seed.price),
            currency="EUR",
            stock=seed.stock,
            lead_time_days=seed.lead_time_days,
            active=seed.active,
            aliases=[ProductAlias(alias=a, search_alias=normalize(a)) for a in seed.aliases],
        )
        session.add(product)
        products[seed.sku] = product
    session.flush()

    ranks: dict[tuple[str, RelationKind], int] = {}
    for sku, related_sku, kind in RELATIONS:
        rank = ranks.get((sku, kind), 0)
        ranks[(sku, kind)] = rank + 1
        session.add(
            ProductRelation(
                product_id=products[sku].id,
                related_id=products[related_sku].id,
                kind=kind,
                rank=rank,
            )
        )
    for rule in DISCOUNTS:
        session.add(
            DiscountRule(
                product_id=products[rule.sku].id if rule.sku else None,
                category=rule.category,
                min_quantity=rule.min_quantity,
                percent=Decimal(rule.percent),
            )
        )
    session.flush()
    return products
