"""Quotes: offers with prices, a delivery date and a validity; feedback and expiry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm_backend.errors import (
    AccountNotFound,
    InsufficientStock,
    InvalidRequest,
    InvalidStatusChange,
    QuoteExpired,
    QuoteNotFound,
    QuoteNotOpen,
)
from crm_backend.models import QuoteStatus
from crm_backend.services import quotes
from crm_backend.services.pricing import LineRequest
from tests.factories import columns, demo_catalog, make_account

MONDAY = dt.date(2025, 11, 3)
NOW = dt.datetime(2025, 11, 3, 10, 15, tzinfo=dt.UTC)
LAPTOP_AND_BAG = [LineRequest("ECL-3000", 1), LineRequest("BAG-ECL", 1)]


@pytest.fixture
def pierre(any_uow):
    demo_catalog(any_uow)
    return make_account(any_uow)


def quote_for(uow, account, *, today=MONDAY, validity_days=30, lines=LAPTOP_AND_BAG):
    return quotes.create_quote(
        uow, account_id=account.id, lines=lines, today=today, validity_days=validity_days
    )


def test_create_quote_writes_the_offer_and_its_lines(any_uow, pierre):
    quote = quote_for(any_uow, pierre)

    assert columns(quote, without=("created_at",)) == {
        "id": 1,
        "number": "Q-000001",
        "account_id": pierre.id,
        "status": QuoteStatus.OPEN,
        "currency": "EUR",
        "total": Decimal("1358.90"),
        "requested_delivery_date": None,
        "delivery_date": dt.date(2025, 11, 5),
        "valid_until": dt.date(2025, 12, 3),
        "feedback": None,
        "feedback_at": None,
    }
    assert [columns(line, without=("id", "quote_id")) for line in quote.lines] == [
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


def test_a_later_requested_date_is_the_quoted_one(any_uow, pierre):
    quote = quotes.create_quote(
        any_uow,
        account_id=pierre.id,
        lines=LAPTOP_AND_BAG,
        requested_date=dt.date(2025, 11, 28),
        today=MONDAY,
    )

    assert (quote.requested_delivery_date, quote.delivery_date) == (
        dt.date(2025, 11, 28),
        dt.date(2025, 11, 28),
    )


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"requested_date": dt.date(2025, 11, 2)}, InvalidRequest),
        ({"validity_days": 0}, InvalidRequest),
        ({"lines": [LineRequest("ZEN-14", 4)]}, InsufficientStock),
        ({"account_id": 99}, AccountNotFound),
    ],
)
def test_refused_quotes_write_nothing(any_uow, pierre, changes, error):
    given = {"account_id": pierre.id, "lines": LAPTOP_AND_BAG, "today": MONDAY, **changes}

    with pytest.raises(error):
        quotes.create_quote(any_uow, **given)

    assert any_uow.quotes.count() == 0


def test_get_quote_by_number_in_any_case(any_uow, pierre):
    quote = quote_for(any_uow, pierre)

    assert quotes.get_quote(any_uow, number=" q-000001 ", today=MONDAY) is quote
    with pytest.raises(QuoteNotFound):
        quotes.get_quote(any_uow, number="Q-000002", today=MONDAY)


def test_open_quote_expires_when_read_after_its_last_day(any_uow, pierre):
    quote_for(any_uow, pierre, validity_days=7)  # valid until 10 November

    on_last_day = quotes.get_quote(any_uow, number="Q-000001", today=dt.date(2025, 11, 10))
    assert on_last_day.status == QuoteStatus.OPEN

    day_after = quotes.get_quote(any_uow, number="Q-000001", today=dt.date(2025, 11, 11))
    assert day_after.status == QuoteStatus.EXPIRED


def test_quotes_for_an_account_newest_first_expired_when_due(any_uow, pierre):
    old = quote_for(any_uow, pierre, validity_days=3)
    new = quote_for(any_uow, pierre, today=dt.date(2025, 11, 5))
    other = make_account(any_uow, first_name="Anne", phones=[], emails=[])
    quote_for(any_uow, other)

    found = quotes.quotes_for(any_uow, account_id=pierre.id, today=dt.date(2025, 11, 7))

    assert [(q.number, q.status) for q in found] == [
        (new.number, QuoteStatus.OPEN),
        (old.number, QuoteStatus.EXPIRED),
    ]


@pytest.mark.parametrize("decision", [QuoteStatus.REJECTED, QuoteStatus.ACCEPTED])
def test_feedback_with_a_decision(any_uow, pierre, decision):
    quote_for(any_uow, pierre)

    quote = quotes.record_quote_feedback(
        any_uow,
        number="Q-000001",
        feedback="  Too expensive without the bag discount. ",
        decision=decision,
        today=MONDAY,
        now=NOW,
    )

    assert (quote.status, quote.feedback, quote.feedback_at) == (
        decision,
        "Too expensive without the bag discount.",
        NOW,
    )


def test_feedback_alone_is_kept_on_any_quote(any_uow, pierre):
    quote_for(any_uow, pierre, validity_days=1)

    quote = quotes.record_quote_feedback(
        any_uow, number="Q-000001", feedback="Will call back", today=dt.date(2025, 11, 20), now=NOW
    )

    assert (quote.status, quote.feedback, quote.feedback_at) == (
        QuoteStatus.EXPIRED,
        "Will call back",
        NOW,
    )


def test_decisions_need_an_open_quote(any_uow, pierre):
    quote_for(any_uow, pierre, validity_days=1)
    quote_for(any_uow, pierre)
    quotes.record_quote_feedback(
        any_uow, number="Q-000002", feedback="no", decision=QuoteStatus.REJECTED, today=MONDAY
    )

    with pytest.raises(QuoteExpired) as expired:
        quotes.record_quote_feedback(
            any_uow,
            number="Q-000001",
            feedback="yes",
            decision=QuoteStatus.ACCEPTED,
            today=dt.date(2025, 11, 20),
        )
    with pytest.raises(QuoteNotOpen) as not_open:
        quotes.record_quote_feedback(
            any_uow, number="Q-000002", feedback="yes", decision=QuoteStatus.ACCEPTED, today=MONDAY
        )
    with pytest.raises(InvalidStatusChange):
        quotes.record_quote_feedback(
            any_uow, number="Q-000002", feedback="", decision=QuoteStatus.EXPIRED, today=MONDAY
        )

    assert (expired.value.number, expired.value.valid_until) == ("Q-000001", dt.date(2025, 11, 4))
    assert (not_open.value.number, not_open.value.status) == ("Q-000002", "rejected")


def test_expire_quotes_expires_only_open_ones_past_their_validity(any_uow, pierre):
    quote_for(any_uow, pierre, validity_days=1)  # until 4 Nov
    quote_for(any_uow, pierre, validity_days=5)  # until 8 Nov
    quote_for(any_uow, pierre, validity_days=2)  # until 5 Nov, but rejected
    quotes.record_quote_feedback(
        any_uow, number="Q-000003", feedback="no", decision=QuoteStatus.REJECTED, today=MONDAY
    )

    assert quotes.expire_quotes(any_uow, today=dt.date(2025, 11, 8)) == 1
    assert [(q.number, q.status) for q in any_uow.quotes.list_by()] == [
        ("Q-000003", QuoteStatus.REJECTED),
        ("Q-000002", QuoteStatus.OPEN),
        ("Q-000001", QuoteStatus.EXPIRED),
    ]


def test_expiry_on_read_is_kept_once_committed(uow_factory):
    with uow_factory() as uow:
        demo_catalog(uow)
        pierre = make_account(uow)
        quote_for(uow, pierre, validity_days=1)
        uow.commit()
    with uow_factory() as uow:
        quotes.get_quote(uow, number="Q-000001", today=dt.date(2025, 11, 30))
        uow.commit()
    with uow_factory() as uow:
        assert uow.quotes.get_by(number="Q-000001").status == QuoteStatus.EXPIRED
