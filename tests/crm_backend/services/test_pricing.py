"""Pricing and availability: discounts, rounding, and the earliest delivery date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm_backend.errors import InsufficientStock, InvalidQuantity, InvalidRequest, ProductNotFound
from crm_backend.services.pricing import (
    LineRequest,
    PricedLine,
    delivery_date_for,
    earliest_delivery,
    order_total,
    price_lines,
)
from tests.factories import demo_catalog, make_discount_rule, make_product

MONDAY = dt.date(2025, 11, 3)
FRIDAY = dt.date(2025, 11, 7)


def test_lines_at_list_price(any_uow):
    demo = demo_catalog(any_uow)

    priced = price_lines(any_uow, lines=[LineRequest("ECL-3000", 1), LineRequest("bag-ecl", 2)])

    assert priced == [
        PricedLine(demo.laptop, 1, Decimal("1299.00"), Decimal("0"), Decimal("1299.00")),
        PricedLine(demo.bag, 2, Decimal("59.90"), Decimal("0"), Decimal("119.80")),
    ]
    assert order_total(priced) == (Decimal("1418.80"), "EUR")


def test_best_rule_of_the_most_specific_tier_wins(any_uow):
    demo = demo_catalog(any_uow)
    make_discount_rule(any_uow, percent="2", min_quantity=10)
    make_discount_rule(any_uow, percent="5", min_quantity=3, category="laptops")
    make_discount_rule(any_uow, percent="8", min_quantity=5, category="laptops")
    make_discount_rule(any_uow, percent="10", min_quantity=5, product=demo.laptop)
    make_discount_rule(any_uow, percent="3", min_quantity=2, product=demo.dearer)

    priced = price_lines(
        any_uow,
        lines=[
            LineRequest("ECL-3000", 5),  # its own rule
            LineRequest("ZEN-14", 5),  # the best laptops rule
            LineRequest("ORI-16", 2),  # its own rule, though a laptops rule would give more...
            LineRequest("BAG-ECL", 10),  # the global rule
            LineRequest("PRN-200", 1),  # no rule
        ],
    )

    assert priced == [
        PricedLine(demo.laptop, 5, Decimal("1299.00"), Decimal("10"), Decimal("5845.50")),
        PricedLine(demo.cheaper, 5, Decimal("899.00"), Decimal("8"), Decimal("4135.40")),
        PricedLine(demo.dearer, 2, Decimal("1599.00"), Decimal("3"), Decimal("3102.06")),
        PricedLine(demo.bag, 10, Decimal("59.90"), Decimal("2"), Decimal("587.02")),
        PricedLine(demo.printer, 1, Decimal("249.00"), Decimal("0"), Decimal("249.00")),
    ]


def test_category_rule_below_its_minimum_falls_back_to_global(any_uow):
    demo = demo_catalog(any_uow)
    make_discount_rule(any_uow, percent="8", min_quantity=5, category="laptops")
    make_discount_rule(any_uow, percent="1", min_quantity=2)

    assert price_lines(any_uow, lines=[LineRequest("ZEN-14", 3)]) == [
        PricedLine(demo.cheaper, 3, Decimal("899.00"), Decimal("1"), Decimal("2670.03"))
    ]


def test_money_is_rounded_half_up_to_the_cent(any_uow):
    cable = make_product(any_uow, sku="CAB-1", name="Câble", category="cables", list_price="1.00")
    make_discount_rule(any_uow, percent="37.5", min_quantity=1, category="cables")

    # 0.625 rounds up to 0.63 (banker's rounding would give 0.62).
    assert price_lines(any_uow, lines=[LineRequest("CAB-1", 1)]) == [
        PricedLine(cable, 1, Decimal("1.00"), Decimal("37.5"), Decimal("0.63"))
    ]


def test_lines_for_one_sku_are_merged_before_discounting(any_uow):
    demo = demo_catalog(any_uow)
    make_discount_rule(any_uow, percent="10", min_quantity=5, product=demo.laptop)

    priced = price_lines(
        any_uow,
        lines=[LineRequest("ECL-3000", 2), LineRequest("BAG-ECL", 1), LineRequest("ecl-3000", 3)],
    )

    assert priced == [
        PricedLine(demo.laptop, 5, Decimal("1299.00"), Decimal("10"), Decimal("5845.50")),
        PricedLine(demo.bag, 1, Decimal("59.90"), Decimal("0"), Decimal("59.90")),
    ]


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2", True, None])
def test_quantity_must_be_a_whole_number_of_at_least_one(any_uow, quantity):
    demo_catalog(any_uow)

    with pytest.raises(InvalidQuantity) as raised:
        price_lines(any_uow, lines=[LineRequest("ECL-3000", quantity)])

    assert raised.value.quantity == quantity


def test_unknown_or_retired_products_cannot_be_priced(any_uow):
    make_product(any_uow, sku="OLD-1", name="Éclipse 1000", active=False)

    with pytest.raises(ProductNotFound):
        price_lines(any_uow, lines=[LineRequest("NOPE", 1)])
    with pytest.raises(ProductNotFound):
        price_lines(any_uow, lines=[LineRequest("OLD-1", 1)])


def test_no_lines(any_uow):
    with pytest.raises(InvalidRequest):
        price_lines(any_uow, lines=[])


def test_lines_in_two_currencies_have_no_total(any_uow):
    demo = demo_catalog(any_uow)
    make_product(any_uow, sku="USB-US", name="USB hub", list_price="20.00", currency="USD")

    priced = price_lines(any_uow, lines=[LineRequest("ECL-3000", 1), LineRequest("USB-US", 1)])

    assert [(line.product.sku, line.product.currency) for line in priced] == [
        (demo.laptop.sku, "EUR"),
        ("USB-US", "USD"),
    ]
    with pytest.raises(InvalidRequest):
        order_total(priced)


@pytest.mark.parametrize(
    ("quantity", "today", "expected"),
    [
        (5, MONDAY, dt.date(2025, 11, 5)),  # in stock: two working days
        (1, FRIDAY, dt.date(2025, 11, 11)),  # ... over the weekend
        (6, MONDAY, dt.date(2025, 11, 17)),  # beyond stock: 10 days' lead time (Thursday) + 2
    ],
)
def test_earliest_delivery(fake_uow, quantity, today, expected):
    laptop = demo_catalog(fake_uow).laptop  # 5 in stock, 10 days' lead time

    assert earliest_delivery(laptop, quantity=quantity, today=today) == expected


def test_beyond_stock_without_lead_time_is_impossible(fake_uow):
    cheaper = demo_catalog(fake_uow).cheaper  # 3 in stock, no lead time

    with pytest.raises(InsufficientStock) as raised:
        earliest_delivery(cheaper, quantity=4, today=MONDAY)

    assert (raised.value.sku, raised.value.requested, raised.value.available) == ("ZEN-14", 4, 3)


def test_negative_stock_counts_as_none(fake_uow):
    product = make_product(fake_uow, sku="X-1", name="X", stock=-2, lead_time_days=1)

    assert earliest_delivery(product, quantity=1, today=MONDAY) == dt.date(2025, 11, 6)


def test_delivery_date_is_the_latest_line_or_the_later_requested_date(any_uow):
    demo_catalog(any_uow)
    priced = price_lines(any_uow, lines=[LineRequest("ECL-3000", 1), LineRequest("BAT-ECL3000", 1)])

    # The battery is out of stock: 5 days' lead time ends on Saturday 8, then two working days.
    assert delivery_date_for(priced, requested=None, today=MONDAY) == dt.date(2025, 11, 11)
    assert delivery_date_for(priced, requested=dt.date(2025, 11, 6), today=MONDAY) == dt.date(
        2025, 11, 11
    )
    assert delivery_date_for(priced, requested=dt.date(2025, 11, 20), today=MONDAY) == dt.date(
        2025, 11, 20
    )
