"""Pricing and availability: what lines cost, and when they can be delivered.

Money is ``Decimal`` throughout, rounded half up to the cent once per line.
A volume discount comes from the best rule for the product, else the best
for its category, else the best global one; rules never add up.
Delivery takes two working days (Monday to Friday) from the warehouse; units
beyond stock wait for the product's lead time first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..errors import InsufficientStock, InvalidQuantity, InvalidRequest, ProductNotFound
from ..models import DiscountRule, Product
from ..uow import UnitOfWork
from .dates import add_working_days
from .products import get_product

SHIPPING_WORKING_DAYS = 2
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineRequest:
    """A product and how many of it the customer wants."""

    sku: str
    quantity: int


@dataclass(frozen=True)
class PricedLine:
    """A requested line with its price: unit list price, discount and line total."""

    product: Product
    quantity: int
    unit_price: Decimal
    discount_percent: Decimal
    line_total: Decimal


def price_lines(uow: UnitOfWork, *, lines: Sequence[LineRequest]) -> list[PricedLine]:
    """Price each line with the best volume discount that applies to it.

    Lines for the same SKU are merged first, so a discount sees the whole
    quantity; the result keeps the order in which SKUs first appear.

    Raises:
        InvalidRequest: there are no lines.
        InvalidQuantity: a quantity is not a whole number of at least 1.
        ProductNotFound: a SKU is unknown or no longer sold.
    """
    if not lines:
        raise InvalidRequest("a price needs at least one line")
    quantities: dict[str, int] = {}
    for line in lines:
        quantity = check_quantity(line.quantity)
        sku = line.sku.strip().upper()
        quantities[sku] = quantities.get(sku, 0) + quantity
    rules = list(uow.products.discount_rules())
    priced = []
    for sku, quantity in quantities.items():
        product = get_product(uow, sku=sku)
        if not product.active:
            raise ProductNotFound(key=sku)
        percent = best_discount(rules, product=product, quantity=quantity)
        priced.append(price_line(product, quantity=quantity, discount_percent=percent))
    return priced


def price_line(product: Product, *, quantity: int, discount_percent: Decimal) -> PricedLine:
    """One line at the product's list price less ``discount_percent``, rounded to the cent."""
    unit_price = Decimal(product.list_price)
    gross = unit_price * quantity
    line_total = to_cents(gross * (HUNDRED - discount_percent) / HUNDRED)
    return PricedLine(product, quantity, to_cents(unit_price), discount_percent, line_total)


def check_quantity(quantity: object) -> int:
    """``quantity`` if it is a whole number of at least 1.

    Raises:
        InvalidQuantity: it is not.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidQuantity(quantity=quantity)
    return quantity


def best_discount(rules: Iterable[DiscountRule], *, product: Product, quantity: int) -> Decimal:
    """The percent off by the best rule for the product, else its category, else for all."""
    applicable = [r for r in rules if r.min_quantity <= quantity]
    tiers = (
        [r for r in applicable if r.product_id is not None and r.product_id == product.id],
        [r for r in applicable if r.product_id is None and r.category == product.category],
        [r for r in applicable if r.product_id is None and r.category is None],
    )
    for tier in tiers:
        if tier:
            return Decimal(max(r.percent for r in tier))
    return Decimal(0)


def order_total(lines: Sequence[PricedLine]) -> tuple[Decimal, str]:
    """The sum of the line totals and their one currency.

    Raises:
        InvalidRequest: the lines are in different currencies.
    """
    currencies = {line.product.currency for line in lines}
    if len(currencies) != 1:
        raise InvalidRequest(f"lines must share one currency, not {sorted(currencies)}")
    return sum((line.line_total for line in lines), Decimal("0.00")), currencies.pop()


def earliest_delivery(product: Product, *, quantity: int, today: dt.date) -> dt.date:
    """The earliest date ``quantity`` units of ``product`` can be delivered.

    In stock: two working days. Beyond stock: the lead time, then two working days.

    Raises:
        InvalidQuantity: the quantity is not a whole number of at least 1.
        InsufficientStock: more than in stock, and the product has no lead time.
    """
    check_quantity(quantity)
    available = max(product.stock, 0)
    if quantity <= available:
        return add_working_days(today, SHIPPING_WORKING_DAYS)
    if product.lead_time_days is None:
        raise InsufficientStock(sku=product.sku, requested=quantity, available=available)
    ready = today + dt.timedelta(days=product.lead_time_days)
    return add_working_days(ready, SHIPPING_WORKING_DAYS)


def delivery_date_for(
    lines: Sequence[PricedLine], *, requested: dt.date | None, today: dt.date
) -> dt.date:
    """When all lines can be delivered together: their latest earliest date, or ``requested``.

    ``requested`` wins only when it is later.

    Raises:
        InsufficientStock: a line asks for more than can ever be delivered.
    """
    earliest = max(
        earliest_delivery(line.product, quantity=line.quantity, today=today) for line in lines
    )
    return max(earliest, requested) if requested is not None else earliest


def check_requested_date(requested: dt.date | None, *, today: dt.date) -> dt.date | None:
    """``requested`` if it is today or later (or None).

    Raises:
        InvalidRequest: the requested delivery date has passed.
    """
    if requested is not None and requested < today:
        raise InvalidRequest(f"requested delivery date {requested} has passed")
    return requested


def to_cents(amount: Decimal) -> Decimal:
    """``amount`` rounded half up to the cent."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
