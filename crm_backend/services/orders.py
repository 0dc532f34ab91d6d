"""Sales orders: commit the company to deliver, hand the order to the ERP, follow its life.

One confirmation makes one order: the caller passes an idempotency key
(e.g. the conversation and the confirmation turn), and a retried
confirmation with the same key gets the order made the first time, even
when both arrive at once. The order and its "order.created" outbox record
are written in the same transaction, so the ERP hears of every order exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..errors import (
    AccountNotConfirmed,
    Conflict,
    InvalidRequest,
    InvalidStatusChange,
    OrderNeedsAdviser,
    OrderNotFound,
    QuoteNotFound,
)
from ..models import (
    Account,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    OutboxRecord,
    Quote,
    QuoteStatus,
    SalesOrder,
)
from ..uow import UnitOfWork
from .accounts import get_account
from .dates import now_or, today_or
from .pricing import (
    LineRequest,
    PricedLine,
    check_requested_date,
    delivery_date_for,
    order_total,
    price_lines,
)
from .quotes import ensure_open, get_quote

ORDER_CREATED = "order.created"
ORDER_CANCELLED = "order.cancelled"
MAX_KEY_LENGTH = 200

# The life cycle: which status may follow which.
NEXT_STATUSES: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.CREATED: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset({OrderStatus.CREATED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED})


def place_order(
    uow: UnitOfWork,
    *,
    account_id: int,
    idempotency_key: str,
    lines: Sequence[LineRequest] | None = None,
    quote_number: str | None = None,
    requested_date: dt.date | None = None,
    identity_confirmed: bool,
    max_total: Decimal | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> SalesOrder:
    """Create a sales order from an open quote (at its prices) or directly from lines.

    The promised date is the earliest all lines can be delivered, or the
    requested (or quoted) date when later. Units in stock are taken from it.
    A key seen before returns that order and changes nothing. ``max_total`` is
    the most the caller may commit the company to (the bot's limit, above
    which an agent takes the order); None for no limit.

    Raises:
        AccountNotConfirmed: the customer's identity was not confirmed.
        AccountNotFound: no account has that id.
        InvalidRequest: neither or both of lines and quote, a bad key or a past requested date.
        QuoteNotFound: no quote of this account has that number.
        QuoteExpired, QuoteNotOpen: the quote cannot be accepted any more.
        ProductNotFound, InvalidQuantity, InsufficientStock: a line is wrong or undeliverable.
        OrderNeedsAdviser: the total is above ``max_total``; nothing was written.
        Conflict: the key belongs to another account's order.
    """
    if not identity_confirmed:
        raise AccountNotConfirmed(account_id=account_id)
    key = _checked_key(idempotency_key)
    existing = uow.orders.get_by(idempotency_key=key)
    if existing is not None:
        return _for_account(existing, account_id)
    if (lines is None) == (quote_number is None):
        raise InvalidRequest("an order is placed from lines or from a quote, exactly one of them")
    today, now = today_or(today), now_or(now)
    check_requested_date(requested_date, today=today)
    account = get_account(uow, account_id=account_id)
    quote: Quote | None = None
    if quote_number is not None:
        quote = _open_quote_of(uow, account, quote_number, today)
        priced = [
            PricedLine(q.product, q.quantity, q.unit_price, q.discount_percent, q.line_total)
            for q in quote.lines
        ]
        requested = requested_date or quote.requested_delivery_date
        promised = max(
            quote.delivery_date, delivery_date_for(priced, requested=requested, today=today)
        )
    else:
        priced = price_lines(uow, lines=lines or ())
        promised = delivery_date_for(priced, requested=requested_date, today=today)
    total, currency = order_total(priced)
    if max_total is not None and total > max_total:
        raise OrderNeedsAdviser(total=total, limit=max_total)
    if quote is not None:
        quote.status = QuoteStatus.ACCEPTED
    order = SalesOrder(
        account=account,
        quote=quote,
        idempotency_key=key,
        status=OrderStatus.CREATED,
        currency=currency,
        total=total,
        promised_delivery_date=promised,
        created_at=now,
        lines=[
            OrderLine(
                product=line.product,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                line_total=line.line_total,
            )
            for line in priced
        ],
        history=[OrderStatusChange(status=OrderStatus.CREATED, note=_origin(quote), at=now)],
    )
    for line in priced:
        in_stock = min(line.quantity, max(line.product.stock, 0))
        if in_stock:
            uow.products.take_stock(line.product, in_stock)
    uow.orders.add(order)
    try:
        uow.flush()
    except Conflict:
        # Another confirmation with this key committed first: its order is the one.
        uow.rollback()
        winner = uow.orders.get_by(idempotency_key=key)
        if winner is None:
            raise
        return _for_account(winner, account_id)
    order.number = f"SO-{order.id:06d}"
    uow.outbox.add(OutboxRecord(topic=ORDER_CREATED, payload=order_payload(order), created_at=now))
    uow.flush()
    return order


def order_payload(order: SalesOrder) -> dict[str, Any]:
    """What the ERP needs to fulfil an order, as JSON-able data (money as strings)."""
    return {
        "number": order.number,
        "customer_number": order.account.customer_number,
        "lines": [
            {
                "sku": line.product.sku,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "line_total": str(line.line_total),
            }
            for line in order.lines
        ],
        "total": str(order.total),
        "currency": order.currency,
        "promised_delivery_date": order.promised_delivery_date.isoformat(),
    }


def get_order(uow: UnitOfWork, *, number: str) -> SalesOrder:
    """The order with that number ("so-000012" finds "SO-000012").

    Raises:
        OrderNotFound: no order has that number.
    """
    order = uow.orders.get_by(number=number.strip().upper())
    if order is None:
        raise OrderNotFound(key=number)
    return order


def orders_for(uow: UnitOfWork, *, account_id: int) -> list[SalesOrder]:
    """The account's orders, newest first."""
    return list(uow.orders.list_by(account_id=account_id))


def latest_order(uow: UnitOfWork, *, account_id: int) -> SalesOrder | None:
    """The account's newest order, or None."""
    newest = uow.orders.list_by(account_id=account_id, limit=1)
    return newest[0] if newest else None


def open_orders(uow: UnitOfWork, *, account_id: int) -> list[SalesOrder]:
    """The account's orders not delivered or cancelled yet, newest first."""
    return [o for o in orders_for(uow, account_id=account_id) if o.status in OPEN_STATUSES]


def change_order_status(
    uow: UnitOfWork,
    *,
    number: str,
    status: OrderStatus | str,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> SalesOrder:
    """Move an order along its life cycle and keep the step in its history.

    created → confirmed → shipped → delivered; created or confirmed → cancelled.
    A cancellation is written to the outbox for the ERP.

    Raises:
        OrderNotFound: no order has that number.
        InvalidStatusChange: the life cycle does not allow the change.
    """
    order = get_order(uow, number=number)
    current = OrderStatus(order.status)
    try:
        requested = OrderStatus(status)
    except ValueError:
        raise InvalidStatusChange(entity="order", current=current, requested=str(status)) from None
    if requested not in NEXT_STATUSES[current]:
        raise InvalidStatusChange(entity="order", current=current, requested=requested)
    at = now_or(now)
    order.status = requested
    order.history.append(OrderStatusChange(status=requested, note=note, at=at))
    if requested is OrderStatus.CANCELLED:
        payload = {
            "number": order.number,
            "customer_number": order.account.customer_number,
            "note": note,
        }
        uow.outbox.add(OutboxRecord(topic=ORDER_CANCELLED, payload=payload, created_at=at))
    uow.flush()
    return order


def _open_quote_of(uow: UnitOfWork, account: Account, number: str, today: dt.date) -> Quote:
    quote = get_quote(uow, number=number, today=today)
    if quote.account_id != account.id:
        # Another customer's quote is, for this one, no quote at all.
        raise QuoteNotFound(key=number)
    ensure_open(quote)
    return quote


def _checked_key(key: str) -> str:
    cleaned = key.strip()
    if not cleaned or len(cleaned) > MAX_KEY_LENGTH:
        raise InvalidRequest(f"an idempotency key has 1 to {MAX_KEY_LENGTH} characters")
    return cleaned


def _for_account(order: SalesOrder, account_id: int) -> SalesOrder:
    if order.account_id != account_id:
        raise Conflict("this idempotency key belongs to another account's order")
    return order


def _origin(quote: Quote | None) -> str | None:
    return f"from quote {quote.number}" if quote is not None else None
