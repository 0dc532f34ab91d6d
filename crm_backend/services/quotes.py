"""Quotes (offers): products, quantities, prices and a delivery date, valid for a while.

A quote is open until the customer accepts or rejects it, or until its
validity ends; an open quote past its ``valid_until`` day is expired the
next time anyone reads it, or by :func:`expire_quotes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..errors import InvalidRequest, InvalidStatusChange, QuoteExpired, QuoteNotFound, QuoteNotOpen
from ..models import Quote, QuoteLine, QuoteStatus
from ..uow import UnitOfWork
from .accounts import get_account
from .dates import now_or, today_or
from .pricing import (
    LineRequest,
    check_requested_date,
    delivery_date_for,
    order_total,
    price_lines,
)

DEFAULT_VALIDITY_DAYS = 30


def create_quote(
    uow: UnitOfWork,
    *,
    account_id: int,
    lines: Sequence[LineRequest],
    requested_date: dt.date | None = None,
    today: dt.date | None = None,
    validity_days: int = DEFAULT_VALIDITY_DAYS,
) -> Quote:
    """Offer the lines at today's prices, deliverable at the earliest date or the requested one.

    The quote is valid through ``today + validity_days`` and numbered
    ``Q-000123`` from its id.

    Raises:
        AccountNotFound: no account has that id.
        ProductNotFound, InvalidQuantity: a line is wrong.
        InsufficientStock: a line cannot be delivered at all.
        InvalidRequest: no lines, a validity under one day, or a requested date in the past.
    """
    if validity_days < 1:
        raise InvalidRequest(f"a quote is valid for at least one day, not {validity_days}")
    today = today_or(today)
    check_requested_date(requested_date, today=today)
    account = get_account(uow, account_id=account_id)
    priced = price_lines(uow, lines=lines)
    total, currency = order_total(priced)
    quote = Quote(
        account=account,
        status=QuoteStatus.OPEN,
        currency=currency,
        total=total,
        requested_delivery_date=requested_date,
        delivery_date=delivery_date_for(priced, requested=requested_date, today=today),
        valid_until=today + dt.timedelta(days=validity_days),
        lines=[
            QuoteLine(
                product=line.product,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                line_total=line.line_total,
            )
            for line in priced
        ],
    )
    uow.quotes.add(quote)
    uow.flush()
    quote.number = f"Q-{quote.id:06d}"
    uow.flush()
    return quote


def get_quote(uow: UnitOfWork, *, number: str, today: dt.date | None = None) -> Quote:
    """The quote with that number, expired first if it is open past its validity.

    Raises:
        QuoteNotFound: no quote has that number.
    """
    quote = uow.quotes.get_by(number=number.strip().upper())
    if quote is None:
        raise QuoteNotFound(key=number)
    _expire_if_due(quote, today_or(today))
    return quote


def quotes_for(uow: UnitOfWork, *, account_id: int, today: dt.date | None = None) -> list[Quote]:
    """The account's quotes, newest first, each expired if it is due."""
    quotes = list(uow.quotes.list_by(account_id=account_id))
    day = today_or(today)
    for quote in quotes:
        _expire_if_due(quote, day)
    return quotes


def ensure_open(quote: Quote) -> None:
    """Check that the quote can still be accepted or rejected.

    Raises:
        QuoteExpired: its validity has ended.
        QuoteNotOpen: it was accepted or rejected already.
    """
    if quote.status == QuoteStatus.EXPIRED:
        raise QuoteExpired(number=quote.number or str(quote.id), valid_until=quote.valid_until)
    if quote.status != QuoteStatus.OPEN:
        raise QuoteNotOpen(number=quote.number or str(quote.id), status=str(quote.status))


def record_quote_feedback(
    uow: UnitOfWork,
    *,
    number: str,
    feedback: str,
    decision: QuoteStatus | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Quote:
    """Keep what the customer said about a quote, and accept or reject it when they decided.

    Feedback without a decision can be given on a quote in any status.

    Raises:
        QuoteNotFound: no quote has that number.
        InvalidStatusChange: the decision is neither accepted nor rejected.
        QuoteExpired, QuoteNotOpen: there is a decision and the quote is not open.
    """
    quote = get_quote(uow, number=number, today=today)
    if decision is not None:
        if decision not in (QuoteStatus.ACCEPTED, QuoteStatus.REJECTED):
            raise InvalidStatusChange(
                entity="quote", current=str(quote.status), requested=str(decision)
            )
        ensure_open(quote)
        quote.status = QuoteStatus(decision)
    quote.feedback = feedback.strip() or quote.feedback
    quote.feedback_at = now_or(now)
    uow.flush()
    return quote


def expire_quotes(uow: UnitOfWork, *, today: dt.date) -> int:
    """Expire every open quote whose validity ended before ``today``; how many were."""
    expired = [q for q in uow.quotes.list_by(status=QuoteStatus.OPEN) if q.valid_until < today]
    for quote in expired:
        quote.status = QuoteStatus.EXPIRED
    uow.flush()
    return len(expired)


def _expire_if_due(quote: Quote, today: dt.date) -> None:
    if quote.status == QuoteStatus.OPEN and quote.valid_until < today:
        quote.status = QuoteStatus.EXPIRED
