"""The catalog: search, SKUs, accessories, alternatives and the export for the NLU."""

from __future__ import annotations

import pytest

from crm_backend.errors import ProductNotFound
from crm_backend.models import RelationKind
from crm_backend.services import products
from tests.factories import demo_catalog, make_product, relate


@pytest.mark.parametrize(
    "text",
    ["Éclipse 3000", "eclipse 3000", "ECLIPSE", "eclipse laptop", "ecl-3000", "laptop eclipse"],
)
def test_search_finds_the_eclipse_without_accents_or_case(any_uow, text):
    demo = demo_catalog(any_uow)

    found = products.search_products(any_uow, text=text)

    assert demo.laptop in found
    assert demo.printer not in found


def test_search_by_category(any_uow):
    demo = demo_catalog(any_uow)

    found = products.search_products(any_uow, text="Laptops")

    assert sorted(p.sku for p in found) == [demo.laptop.sku, demo.dearer.sku, demo.cheaper.sku]


def test_search_ignores_inactive_products_and_empty_text(any_uow):
    make_product(any_uow, sku="OLD-1", name="Éclipse 1000", active=False)

    assert products.search_products(any_uow, text="eclipse") == []
    assert products.search_products(any_uow, text="   ") == []


def test_search_every_word_must_match(any_uow):
    demo_catalog(any_uow)

    assert products.search_products(any_uow, text="printer eclipse") == []


def test_get_product_ignores_case(any_uow):
    demo = demo_catalog(any_uow)

    assert products.get_product(any_uow, sku=" ecl-3000 ") is demo.laptop


def test_unknown_sku(any_uow):
    with pytest.raises(ProductNotFound) as raised:
        products.get_product(any_uow, sku="NOPE-1")

    assert raised.value.key == "NOPE-1"


def test_accessories_best_ranked_first(any_uow):
    demo = demo_catalog(any_uow)

    assert products.accessories_of(demo.laptop) == [demo.bag, demo.battery]


def test_alternatives_best_ranked_first_or_cheaper_only(any_uow):
    demo = demo_catalog(any_uow)
    budget = make_product(any_uow, sku="ZEN-13", name="Zénith 13", list_price="699.00")
    relate(any_uow, demo.laptop, budget, RelationKind.ALTERNATIVE, 3)

    assert products.alternatives_of(demo.laptop) == [demo.dearer, demo.cheaper, budget]
    assert products.alternatives_of(demo.laptop, cheaper_only=True) == [budget, demo.cheaper]


def test_inactive_relations_are_not_offered(any_uow):
    demo = demo_catalog(any_uow)
    demo.bag.active = False

    assert products.accessories_of(demo.laptop) == [demo.battery]


def test_catalog_lookup_exports_active_products_with_their_names(any_uow):
    demo_catalog(any_uow)
    make_product(any_uow, sku="OLD-1", name="Éclipse 1000", active=False)

    assert products.catalog_lookup(any_uow) == [
        {
            "sku": "BAG-ECL",
            "name": "Sacoche Éclipse",
            "category": "accessories",
            "aliases": ["sacoche eclipse"],
        },
        {
            "sku": "BAT-ECL3000",
            "name": "Batterie Éclipse 3000",
            "category": "accessories",
            "aliases": ["batterie eclipse 3000"],
        },
        {
            "sku": "ECL-3000",
            "name": "Éclipse 3000",
            "category": "laptops",
            "aliases": [
                "eclipse 3000",
                "Eclipse laptop",
                "l'Éclipse",
                "eclipse laptop",
                "l'eclipse",
            ],
        },
        {
            "sku": "ORI-16",
            "name": "Orion Pro 16",
            "category": "laptops",
            "aliases": ["orion pro 16"],
        },
        {
            "sku": "PRN-200",
            "name": "Imprimante Laser 200",
            "category": "printers",
            "aliases": ["imprimante laser 200"],
        },
        {"sku": "ZEN-14", "name": "Zénith 14", "category": "laptops", "aliases": ["zenith 14"]},
    ]


def test_a_products_relations_load_in_one_query(seeded_factory):
    from sqlalchemy import event, select

    from crm_backend.models import Product

    with seeded_factory() as session:
        product = session.scalars(select(Product).where(Product.sku == "ECL-3000")).one()
        statements: list[str] = []
        engine = session.get_bind()
        listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            accessories = product.related(RelationKind.ACCESSORY)
            alternatives = product.related(RelationKind.ALTERNATIVE)
        finally:
            event.remove(engine, "before_cursor_execute", listener)

    assert [p.sku for p in accessories][:2] == ["BAG-ECL", "BAT-ECL3000"]
    assert "NOV-14" in [p.sku for p in alternatives]
    assert len(statements) == 1, statements


def test_the_catalog_comes_with_its_aliases_in_two_statements(seeded_factory) -> None:
    # The actions read every product's aliases on every turn an order or quote is taken:
    # one statement per product was most of their database work.
    from sqlalchemy import event

    from crm_backend.uow import SqlAlchemyUnitOfWork

    with SqlAlchemyUnitOfWork(seeded_factory) as uow:
        statements: list[str] = []
        engine = uow.session.get_bind()
        listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            aliases = {p.sku: [a.alias for a in p.aliases] for p in uow.products.list_active()}
        finally:
            event.remove(engine, "before_cursor_execute", listener)

    assert len(aliases) > 10
    assert any(aliases.values())
    assert len(statements) == 2, statements
