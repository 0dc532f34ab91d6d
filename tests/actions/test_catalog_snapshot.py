"""The catalog snapshot: read once per half minute and per database, readable anywhere."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event, update

from actions import catalog_snapshot, runtime
from actions.catalog_snapshot import CatalogSnapshots
from crm_backend.errors import CrmUnavailable
from crm_backend.models import Product, RelationKind


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def statements(crm):
    """The SQL statements the actions' database receives from now on."""
    seen: list[str] = []
    engine = crm.kw["bind"]

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def rename(crm, sku: str, name: str) -> None:
    with crm() as session:
        session.execute(update(Product).where(Product.sku == sku).values(name=name))
        session.commit()


def names(products) -> dict[str, str]:
    return {p.sku: p.name for p in products}


def test_a_second_read_within_the_age_sends_nothing_to_the_database(crm, statements):
    snapshots = CatalogSnapshots(clock=Clock())
    first = snapshots.products()
    read = len(statements)
    again = snapshots.products()
    assert read > 0
    assert len(statements) == read
    assert again is first


def test_a_product_renamed_is_read_once_the_snapshot_is_older_than_its_age(crm):
    clock = Clock()
    snapshots = CatalogSnapshots(max_age=30.0, clock=clock)
    assert names(snapshots.products())["ECL-3000"] == "Éclipse 3000"
    rename(crm, "ECL-3000", "Éclipse 3000 S")
    clock.now += 29.0
    assert names(snapshots.products())["ECL-3000"] == "Éclipse 3000"
    clock.now += 1.0
    assert names(snapshots.products())["ECL-3000"] == "Éclipse 3000 S"


def test_another_session_factory_gets_its_own_catalog(crm):
    snapshots = CatalogSnapshots(clock=Clock())
    assert "ECL-3000" in names(snapshots.products())
    with crm() as session:
        session.execute(update(Product).where(Product.sku == "ECL-3000").values(active=False))
        session.commit()
    runtime.use_session_factory(type(crm)(bind=crm.kw["bind"]))
    assert "ECL-3000" not in names(snapshots.products())


def test_the_products_read_whole_in_another_thread_after_their_session_is_gone(crm):
    products = {p.sku: p for p in CatalogSnapshots(clock=Clock()).products()}

    def read(sku: str) -> tuple[list[str], list[str], list[str]]:
        product = products[sku]
        return (
            [a.alias for a in product.aliases],
            [p.sku for p in product.related(RelationKind.ACCESSORY)],
            [p.sku for p in product.related(RelationKind.ALTERNATIVE)],
        )

    with ThreadPoolExecutor(max_workers=1) as pool:
        aliases, accessories, _alternatives = pool.submit(read, "ECL-3000").result()
    assert aliases
    assert "BAG-ECL" in accessories


def test_only_active_products_are_in_the_catalog(crm):
    with crm() as session:
        session.execute(update(Product).where(Product.sku == "BAG-ECL").values(active=False))
        session.commit()
    products = {p.sku: p for p in CatalogSnapshots(clock=Clock()).products()}
    assert "BAG-ECL" not in products
    assert "BAG-ECL" not in [p.sku for p in products["ECL-3000"].related(RelationKind.ACCESSORY)]


def test_the_database_down_is_named_as_the_crm_unavailable(down):
    with pytest.raises(CrmUnavailable):
        CatalogSnapshots(clock=Clock()).products()


def test_the_process_snapshot_serves_the_actions(crm):
    assert "ECL-3000" in names(catalog_snapshot.catalog())
