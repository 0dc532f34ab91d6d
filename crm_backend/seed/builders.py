"""Small builders the seed shares: accounts, orders with their history, quotes.

They write rows through the models, as data, but keep the derived fields as
the services would: search names through :func:`~crm_backend.text.normalize`,
phones in E.164, e-mails lower-case, line totals from price, quantity and
discount, numbers ``SO-000001`` and ``Q-000001`` from the row id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from ..models import (
    Account,
    AccountKind,
    Consent,
    ConsentStatus,
    ContactChannel,
    Email,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    Phone,
    Product,
    Quote,
    QuoteLine,
    QuoteStatus,
    SalesOrder,
)
from ..text import normalize, normalize_email, normalize_phone
from .catalog import discount_percent
from .products import SEEDS_BY_SKU

CENT = Decimal("0.01")


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A UTC moment on ``day``."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def order_number(id_: int) -> str:
    """The number of the sales order with that id: ``SO-000001``."""
    return f"SO-{id_:06d}"


def quote_number(id_: int) -> str:
    """The number of the quote with that id: ``Q-000001``."""
    return f"Q-{id_:06d}"


@dataclass(frozen=True)
class Person:
    """Who an account is and where they live."""

    customer_number: str
    first_name: str
    last_name: str
    street: str
    postcode: str
    city: str
    phones: Sequence[str]
    emails: Sequence[str]
    kind: AccountKind = AccountKind.PERSON
    company_name: str | None = None


def add_account(
    session: Session,
    person: Person,
    *,
    created: dt.datetime,
    consents: dict[ContactChannel, ConsentStatus],
    do_not_contact: bool = False,
) -> Account:
    """An account with its phones (first one primary), e-mails and consents."""
    name = person.company_name or f"{person.first_name} {person.last_name}"
    account = Account(
        customer_number=person.customer_number,
        kind=person.kind,
        name=name,
        search_name=normalize(name),
        first_name=None if person.company_name else person.first_name,
        last_name=None if person.company_name else person.last_name,
        street=person.street,
        postcode=person.postcode,
        city=person.city,
        country="FR",
        timezone="Europe/Paris",
        do_not_contact=do_not_contact,
        created_at=created,
        updated_at=created,
        phones=[
            _phone(number, primary=i == 0, added=created) for i, number in enumerate(person.phones)
        ],
        emails=[
            Email(address=normalize_email(address), is_primary=i == 0, added_at=created)
            for i, address in enumerate(person.emails)
        ],
        consents=[
            Consent(channel=channel, status=status, source="seed", updated_at=created)
            for channel, status in consents.items()
        ],
    )
    session.add(account)
    return account


def _phone(raw: str, *, primary: bool, added: dt.datetime) -> Phone:
    number = normalize_phone(raw)
    # French numbers: 01 to 05 are landlines, 06 and 07 mobiles, 09 internet lines.
    kind = {"6": "mobile", "7": "mobile", "9": "voip"}.get(number[3], "landline")
    return Phone(number=number, kind=kind, is_primary=primary, added_at=added)


def _priced(product: Product, quantity: int) -> tuple[Decimal, Decimal, Decimal]:
    """Unit price, discount percent and line total, as the pricing service computes them."""
    percent = discount_percent(SEEDS_BY_SKU[product.sku], quantity)
    gross = product.list_price * quantity
    total = (gross * (Decimal(100) - percent) / Decimal(100)).quantize(CENT, ROUND_HALF_UP)
    return product.list_price, percent, total


def add_order(
    session: Session,
    account: Account,
    lines: Sequence[tuple[Product, int]],
    *,
    history: Sequence[tuple[OrderStatus, dt.datetime, str | None]],
    promised: dt.date,
    quote: Quote | None = None,
) -> SalesOrder:
    """A sales order whose status is the last step of ``history``."""
    order = SalesOrder(
        account=account,
        quote=quote,
        status=history[-1][0],
        currency="EUR",
        promised_delivery_date=promised,
        created_at=history[0][1],
    )
    for product, quantity in lines:
        unit, percent, total = _priced(product, quantity)
        order.lines.append(
            OrderLine(
                product=product,
                quantity=quantity,
                unit_price=unit,
                discount_percent=percent,
                line_total=total,
            )
        )
    order.total = sum((line.line_total for line in order.lines), Decimal("0"))
    order.history = [OrderStatusChange(status=s, at=when, note=note) for s, when, note in history]
    session.add(order)
    session.flush()
    order.number = order_number(order.id)
    return order


def delivered_history(
    created: dt.date,
) -> tuple[list[tuple[OrderStatus, dt.datetime, str | None]], dt.date]:
    """The usual life of an order that arrived: the history and the delivery date."""
    delivered_on = created + dt.timedelta(days=4)
    steps: list[tuple[OrderStatus, dt.datetime, str | None]] = [
        (OrderStatus.CREATED, at(created, 10), None),
        (OrderStatus.CONFIRMED, at(created, 16), None),
        (OrderStatus.SHIPPED, at(created + dt.timedelta(days=2), 9), "handed to the carrier"),
        (OrderStatus.DELIVERED, at(delivered_on, 14), None),
    ]
    return steps, delivered_on


def add_quote(
    session: Session,
    account: Account,
    lines: Sequence[tuple[Product, int]],
    *,
    created: dt.datetime,
    valid_until: dt.date,
    delivery_date: dt.date,
    requested_delivery_date: dt.date | None = None,
    status: QuoteStatus = QuoteStatus.OPEN,
    feedback: str | None = None,
) -> Quote:
    """A priced quote."""
    quote = Quote(
        account=account,
        status=status,
        currency="EUR",
        delivery_date=delivery_date,
        requested_delivery_date=requested_delivery_date,
        valid_until=valid_until,
        feedback=feedback,
        feedback_at=created + dt.timedelta(days=3) if feedback else None,
        created_at=created,
    )
    for product, quantity in lines:
        unit, percent, total = _priced(product, quantity)
        quote.lines.append(
            QuoteLine(
                product=product,
                quantity=quantity,
                unit_price=unit,
                discount_percent=percent,
                line_total=total,
            )
        )
    quote.total = sum((line.line_total for line in quote.lines), Decimal("0"))
    session.add(quote)
    session.flush()
    quote.number = quote_number(quote.id)
    return quote
