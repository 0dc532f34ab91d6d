"""Sales orders: from lines or a quote, refused when they must be, handed to the ERP, their life."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm_backend.errors import (
    AccountNotConfirmed,
    InsufficientStock,
    InvalidRequest,
    InvalidStatusChange,
    OrderNeedsAdviser,
    OrderNotFound,
    QuoteExpired,
    QuoteNotFound,
    QuoteNotOpen,
)
from crm_backend.models import OrderStatus, QuoteStatus
from crm_backend.services import orders, quotes
from crm_backend.services.pricing import LineRequest
from tests.factories import columns, demo_catalog, make_account

MONDAY = dt.date(2025, 11, 3)
NOW = dt.datetime(2025, 11, 3, 10, 15, tzinfo=dt.UTC)
LATER = dt.datetime(2025, 11, 4, 8, 0, tzinfo=dt.UTC)
LAPTOP_AND_BAG = [LineRequest("ECL-3000", 1), LineRequest("BAG-ECL", 1)]


@pytest.fixture
def pierre(any_uow):
    demo_catalog(any_uow)
    return make_account(any_uow, customer_number="C-100001")


def order_for(uow, account, *, key="conv-1:confirm", lines=LAPTOP_AND_BAG, **changes):
    given = {"today": MONDAY, "now": NOW, "identity_confirmed": True, **changes}
    return orders.place_order(uow, account_id=account.id, idempotency_key=key, lines=lines, **given)


def stock(uow, sku):
    return uow.products.get_by(sku=sku).stock


def outbox_rows(uow):
    return [columns(r) for r in reversed(uow.outbox.list_by())]


def test_order_from_lines_writes_order_lines_history_outbox_and_stock(any_uow, pierre):
    order = order_for(any_uow, pierre)

    assert columns(order) == {
        "id": 1,
        "number": "SO-000001",
        "account_id": pierre.id,
        "quote_id": None,
        "idempotency_key": "conv-1:confirm",
        "status": OrderStatus.CREATED,
        "currency": "EUR",
        "total": Decimal("1358.90"),
        "promised_delivery_date": dt.date(2025, 11, 5),
        "created_at": NOW,
    }
    assert [columns(line, without=("id", "order_id")) for line in order.lines] == [
        {
            "product_id": 1,
            "quantity": 1,
            "unit_price": Decimal("1299.00"),
            "discount_percent": Decimal("0"),
            "line_total": Decimal("1299.00"),
        },
        {
            "product_id": 2,
            "quantity": 1,
            "unit_price": Decimal("59.90"),
            "discount_percent": Decimal("0"),
            "line_total": Decimal("59.90"),
        },
    ]
    assert [columns(h, without=("id", "order_id")) for h in order.history] == [
        {"status": OrderStatus.CREATED, "note": None, "at": NOW}
    ]
    assert outbox_rows(any_uow) == [
        {
            "id": 1,
            "topic": "order.created",
            "payload": {
                "number": "SO-000001",
                "customer_number": "C-100001",
                "lines": [
                    {
                        "sku": "ECL-3000",
                        "quantity": 1,
                        "unit_price": "1299.00",
                        "line_total": "1299.00",
                    },
                    {"sku": "BAG-ECL", "quantity": 1, "unit_price": "59.90", "line_total": "59.90"},
                ],
                "total": "1358.90",
                "currency": "EUR",
                "promised_delivery_date": "2025-11-05",
            },
            "created_at": NOW,
            "exported_at": None,
        }
    ]
    assert (stock(any_uow, "ECL-3000"), stock(any_uow, "BAG-ECL")) == (4, 39)


def test_units_beyond_stock_wait_for_the_lead_time(any_uow, pierre):
    order = order_for(any_uow, pierre, lines=[LineRequest("ECL-3000", 7)])  # 5 in stock

    assert order.promised_delivery_date == dt.date(2025, 11, 17)
    assert stock(any_uow, "ECL-3000") == 0


def test_order_from_a_quote_keeps_its_prices_and_accepts_it(any_uow, pierre):
    quote = quotes.create_quote(any_uow, account_id=pierre.id, lines=LAPTOP_AND_BAG, today=MONDAY)
    any_uow.products.get_by(sku="ECL-3000").list_price = Decimal("1399.00")

    order = orders.place_order(
        any_uow,
        account_id=pierre.id,
        idempotency_key="conv-1:confirm",
        quote_number="q-000001",
        identity_confirmed=True,
        today=dt.date(2025, 11, 4),
        now=NOW,
    )

    assert quote.status == QuoteStatus.ACCEPTED
    assert (order.quote_id, order.total, order.promised_delivery_date) == (
        quote.id,
        Decimal("1358.90"),
        dt.date(2025, 11, 6),  # still in stock: two working days from Tuesday
    )
    assert [(line.product.sku, line.unit_price) for line in order.lines] == [
        ("ECL-3000", Decimal("1299.00")),
        ("BAG-ECL", Decimal("59.90")),
    ]
    assert [(h.status, h.note) for h in order.history] == [
        (OrderStatus.CREATED, "from quote Q-000001")
    ]


def test_order_from_a_quote_keeps_a_later_quoted_date(any_uow, pierre):
    quotes.create_quote(
        any_uow,
        account_id=pierre.id,
        lines=LAPTOP_AND_BAG,
        requested_date=dt.date(2025, 11, 21),
        today=MONDAY,
    )

    order = orders.place_order(
        any_uow,
        account_id=pierre.id,
        idempotency_key="k",
        quote_number="Q-000001",
        identity_confirmed=True,
        today=MONDAY,
    )

    assert order.promised_delivery_date == dt.date(2025, 11, 21)


def test_unconfirmed_identity_orders_nothing(any_uow, pierre):
    with pytest.raises(AccountNotConfirmed) as raised:
        order_for(any_uow, pierre, identity_confirmed=False)

    assert raised.value.account_id == pierre.id
    assert (any_uow.orders.count(), any_uow.outbox.count(), stock(any_uow, "ECL-3000")) == (0, 0, 5)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"lines": None}, InvalidRequest),
        ({"quote_number": "Q-000001"}, InvalidRequest),
        ({"key": "   "}, InvalidRequest),
        ({"key": "k" * 201}, InvalidRequest),
        ({"requested_date": dt.date(2025, 11, 1)}, InvalidRequest),
        ({"lines": [LineRequest("ZEN-14", 4)]}, InsufficientStock),
    ],
)
def test_refused_orders_write_nothing(any_uow, pierre, changes, error):
    with pytest.raises(error):
        order_for(any_uow, pierre, **changes)

    assert (any_uow.orders.count(), any_uow.outbox.count()) == (0, 0)


def test_an_order_above_the_limit_is_left_to_an_agent(any_uow, pierre):
    # The laptop and the bag come to 1 358,90: within 1 358,90, above 1 358,89.
    placed = order_for(any_uow, pierre, key="within", max_total=Decimal("1358.90"))
    with pytest.raises(OrderNeedsAdviser) as raised:
        order_for(any_uow, pierre, key="above", max_total=Decimal("1358.89"))

    assert (raised.value.total, raised.value.limit) == (Decimal("1358.90"), Decimal("1358.89"))
    assert [o.number for o in any_uow.orders.list_by()] == [placed.number]


def test_an_order_from_a_quote_above_the_limit_leaves_the_quote_open(any_uow, pierre):
    quote = quotes.create_quote(any_uow, account_id=pierre.id, lines=LAPTOP_AND_BAG, today=MONDAY)

    with pytest.raises(OrderNeedsAdviser):
        orders.place_order(
            any_uow,
            account_id=pierre.id,
            idempotency_key="from-quote",
            quote_number=quote.number,
            identity_confirmed=True,
            max_total=Decimal("1000"),
            today=MONDAY,
            now=NOW,
        )

    assert (quote.status, any_uow.orders.count()) == (QuoteStatus.OPEN, 0)


def test_quote_must_be_this_accounts_open_unexpired_one(any_uow, pierre):
    anne = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    for account, validity in ((pierre, 1), (pierre, 30), (anne, 30)):
        quotes.create_quote(
            any_uow,
            account_id=account.id,
            lines=LAPTOP_AND_BAG,
            today=MONDAY,
            validity_days=validity,
        )
    quotes.record_quote_feedback(
        any_uow, number="Q-000002", feedback="no", decision=QuoteStatus.REJECTED, today=MONDAY
    )

    def from_quote(number):
        return orders.place_order(
            any_uow,
            account_id=pierre.id,
            idempotency_key=f"key-{number}",
            quote_number=number,
            identity_confirmed=True,
            today=dt.date(2025, 11, 5),
        )

    with pytest.raises(QuoteExpired):
        from_quote("Q-000001")
    with pytest.raises(QuoteNotOpen):
        from_quote("Q-000002")
    with pytest.raises(QuoteNotFound):
        from_quote("Q-000003")  # Anne's
    with pytest.raises(QuoteNotFound):
        from_quote("Q-000404")
    assert any_uow.orders.count() == 0


def test_get_order_by_number_in_any_case(any_uow, pierre):
    order = order_for(any_uow, pierre)

    assert orders.get_order(any_uow, number="so-000001") is order
    with pytest.raises(OrderNotFound) as raised:
        orders.get_order(any_uow, number="NOPE")
    assert raised.value.key == "NOPE"


def test_orders_of_an_account_newest_first_and_the_open_ones(any_uow, pierre):
    anne = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    first = order_for(any_uow, pierre, key="a")
    second = order_for(any_uow, pierre, key="b")
    order_for(any_uow, anne, key="c")
    orders.change_order_status(any_uow, number=second.number, status="cancelled", now=LATER)

    assert orders.orders_for(any_uow, account_id=pierre.id) == [second, first]
    assert orders.latest_order(any_uow, account_id=pierre.id) is second
    assert orders.open_orders(any_uow, account_id=pierre.id) == [first]
    assert orders.latest_order(any_uow, account_id=99) is None


def test_life_cycle_is_kept_in_the_history(any_uow, pierre):
    order = order_for(any_uow, pierre)

    for status in ("confirmed", "shipped", "delivered"):
        orders.change_order_status(
            any_uow, number="SO-000001", status=status, note=status, now=LATER
        )

    assert [(h.status, h.note, h.at) for h in order.history] == [
        (OrderStatus.CREATED, None, NOW),
        (OrderStatus.CONFIRMED, "confirmed", LATER),
        (OrderStatus.SHIPPED, "shipped", LATER),
        (OrderStatus.DELIVERED, "delivered", LATER),
    ]
    assert order.status == OrderStatus.DELIVERED


def test_cancellation_goes_to_the_erp(any_uow, pierre):
    order_for(any_uow, pierre)

    orders.change_order_status(
        any_uow,
        number="SO-000001",
        status=OrderStatus.CANCELLED,
        note="customer changed mind",
        now=LATER,
    )

    assert [(r["topic"], r["payload"], r["created_at"]) for r in outbox_rows(any_uow)][1:] == [
        (
            "order.cancelled",
            {"number": "SO-000001", "customer_number": "C-100001", "note": "customer changed mind"},
            LATER,
        )
    ]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "shipped"),
        ([], "delivered"),
        ([], "created"),
        (["confirmed", "shipped"], "cancelled"),
        (["cancelled"], "confirmed"),
        (["confirmed", "shipped", "delivered"], "cancelled"),
        ([], "lost"),
    ],
)
def test_life_cycle_refuses_other_changes(any_uow, pierre, path, refused):
    order = order_for(any_uow, pierre)
    for status in path:
        orders.change_order_status(any_uow, number="SO-000001", status=status)
    current = order.status

    with pytest.raises(InvalidStatusChange) as raised:
        orders.change_order_status(any_uow, number="SO-000001", status=refused)

    assert (raised.value.entity, raised.value.current, raised.value.requested) == (
        "order",
        current,
        refused,
    )
    assert order.status == current
