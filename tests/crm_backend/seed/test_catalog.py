"""The demo catalog: the Éclipse 3000 and its relations, a believable shop, volume discounts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm_backend import models
from crm_backend.models import Product
from tests.crm_backend.seed.rows import find_product


def test_eclipse_3000_has_its_technical_details_price_and_stock(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        laptop = find_product(session, "ECL-3000")
        assert (laptop.name, laptop.search_name, laptop.category) == (
            "Éclipse 3000",
            "eclipse 3000",
            "laptops",
        )
        assert {"cpu", "ram", "storage", "screen", "weight", "battery_life"} <= set(laptop.specs)
        assert laptop.list_price == Decimal("1299.00")
        assert laptop.currency == "EUR"
        assert laptop.stock > 0
        assert laptop.lead_time_days is not None
        assert laptop.active


def test_eclipse_3000_accessories_are_the_bag_then_the_battery(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        accessories = find_product(session, "ECL-3000").related(models.RelationKind.ACCESSORY)
        assert [(p.sku, p.name) for p in accessories[:2]] == [
            ("BAG-ECL", "Éclipse Laptop Bag"),
            ("BAT-ECL3000", "Éclipse 3000 Spare Battery"),
        ]


def test_eclipse_3000_has_other_laptops_as_alternatives_one_cheaper(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        laptop = find_product(session, "ECL-3000")
        alternatives = laptop.related(models.RelationKind.ALTERNATIVE)
        assert [p.sku for p in alternatives] == ["ECL-2000", "NOV-14", "ZEN-PRO"]
        assert {p.category for p in alternatives} == {"laptops"}
        assert any(p.list_price < laptop.list_price for p in alternatives)


def test_catalog_has_at_least_20_products_in_at_least_4_categories(
    seeded_factory: sessionmaker[Session],
) -> None:
    with seeded_factory() as session:
        active = session.scalars(select(Product).where(Product.active.is_(True))).all()
        assert len(active) >= 20
        categories = {p.category for p in active}
        assert len(categories) >= 4
        assert {"laptops", "accessories", "monitors", "printers", "phones", "services"} <= (
            categories
        )
        # Some products cannot be replenished and are nearly gone: the stock rule has cases.
        assert any(p.lead_time_days is None and p.stock < 5 for p in active)
        # Every product has a name customers would say besides its own.
        assert all(p.aliases for p in active)


def test_volume_discounts_exist_for_laptops(seeded_factory: sessionmaker[Session]) -> None:
    with seeded_factory() as session:
        rules = session.scalars(select(models.DiscountRule)).all()
        laptop_rules = {(r.min_quantity, r.percent) for r in rules if r.category == "laptops"}
        assert laptop_rules == {(5, Decimal("5.00")), (10, Decimal("10.00"))}
        assert any(r.product_id is not None for r in rules)
