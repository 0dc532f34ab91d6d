"""The past of the generated customers: orders, what they own, quotes, complaints, preferences.

The generated history stays out of the alert rules' way (orders in the past are
delivered or cancelled, warranties do not end in the next months, open quotes
are fresh), so each alert shows on its own demo account only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from sqlalchemy.orm import Session

from ..models import (
    Account,
    AccountKind,
    Complaint,
    OrderStatus,
    Preference,
    Product,
    QuoteStatus,
    RegisteredProduct,
    SalesOrder,
)
from ..services.dates import add_months
from .builders import add_order, add_quote, at, delivered_history
from .products import LAPTOPS, MONITORS, PHONES, PRINTERS

# Hardware is registered to its owner; accessories and services are not.
REGISTERED_CATEGORIES = frozenset({LAPTOPS, MONITORS, PRINTERS, PHONES})
WARRANTY_MONTHS = 24
# Orders of this age (in days) would bring a warranty ending within ~4 months: skipped,
# so the warranty alert shows on its demo account only.
QUIET_WARRANTY_AGES = range(600, 746)

MAIN_PRODUCTS = ("ECL-2000", "ECL-3000", "NOV-14", "ZEN-PRO", "MON-24FHD", "MON-27QHD",
                 "PRN-IJ200", "PRN-LJ500", "PHN-ASTRA", "PHN-ASTRA-LITE")  # fmt: skip
ADD_ONS = {
    "ECL-2000": ("BAG-ECL", "MOUSE-WL", "SRV-DATA"),
    "ECL-3000": ("BAG-ECL", "BAT-ECL3000", "WAR-EXT2"),
    "ECL-1000": ("MOUSE-WL", "SLV-14"),
    "NOV-14": ("SLV-14", "MOUSE-WL"),
    "ZEN-PRO": ("DOCK-USBC", "WAR-EXT2"),
    "MON-24FHD": ("KB-WL",),
    "MON-27QHD": ("DOCK-USBC",),
    "PRN-IJ200": ("INK-IJ200",),
    "PRN-LJ500": ("TONER-LJ500", "SRV-INSTALL"),
    "PHN-ASTRA": ("CASE-ASTRA", "BUDS-ASTRA"),
    "PHN-ASTRA-LITE": ("CASE-ASTRA",),
}
REJECTION_FEEDBACK = (
    "Found it cheaper elsewhere.",
    "Needs to ask her partner first; will call back.",
    "Delivery date too late for him.",
    "Prefers to wait for the next model.",
)
PREFERENCES = (
    ("preferred_channel", ("phone", "sms", "email")),
    ("best_time_to_call", ("morning", "lunchtime", "evening")),
    ("language", ("fr", "fr", "en")),
    ("interests", ("photo editing", "gaming", "home office", "travel", "school")),
)


def _serial(rng: random.Random, sku: str) -> str:
    return f"{sku.replace('-', '')[:6]}-{rng.randrange(16**6):06X}"


def _lines(
    rng: random.Random, products: dict[str, Product], main: str, quantity: int
) -> list[tuple[Product, int]]:
    lines = [(products[main], quantity)]
    for sku in ADD_ONS.get(main, ()):
        if rng.random() < 0.4:
            lines.append((products[sku], quantity))
    return lines


def _register(
    rng: random.Random, account: Account, order: SalesOrder, delivered_on: dt.date
) -> None:
    for line in order.lines:
        if line.product.category in REGISTERED_CATEGORIES:
            for _ in range(min(line.quantity, 3)):
                account.registered_products.append(
                    RegisteredProduct(
                        product=line.product,
                        serial_number=_serial(rng, line.product.sku),
                        purchased_on=delivered_on,
                        warranty_until=add_months(delivered_on, WARRANTY_MONTHS),
                    )
                )


def add_past_order(
    session: Session,
    rng: random.Random,
    account: Account,
    products: dict[str, Product],
    *,
    today: dt.date,
    main: str,
    age_days: int,
    quantity: int = 1,
) -> SalesOrder:
    """A delivered order ``age_days`` ago, its hardware registered to the account."""
    if age_days in QUIET_WARRANTY_AGES:
        age_days += len(QUIET_WARRANTY_AGES)
    history, delivered_on = delivered_history(today - dt.timedelta(days=age_days))
    order = add_order(
        session,
        account,
        _lines(rng, products, main, quantity),
        history=history,
        promised=delivered_on,
    )
    _register(rng, account, order, delivered_on)
    return order


def seed_history(
    session: Session,
    rng: random.Random,
    accounts: Sequence[Account],
    products: dict[str, Product],
    *,
    today: dt.date,
) -> None:
    """Orders, registered products, quotes, complaints and preferences of generated accounts."""
    for account in accounts:
        company = account.kind == AccountKind.COMPANY
        for _ in range(rng.choice((2, 3)) if company else rng.choice((0, 1, 1, 2))):
            main = rng.choice(
                ("ECL-2000", "NOV-14", "MON-24FHD", "PRN-LJ500") if company else MAIN_PRODUCTS
            )
            quantity = rng.choice((5, 6, 10, 12)) if company else 1
            add_past_order(
                session,
                rng,
                account,
                products,
                today=today,
                main=main,
                age_days=rng.randint(40, 1000),
                quantity=quantity,
            )

    persons = [a for a in accounts if a.kind == AccountKind.PERSON and not a.do_not_contact]
    _in_progress(session, rng, persons[0:4], products, today=today)
    _cancelled(session, persons[4], products, today=today)
    _quotes(session, rng, persons[5:11], products, today=today)
    for account in persons[11:14]:
        opened = today - dt.timedelta(days=rng.randint(60, 300))
        account.complaints.append(
            Complaint(
                subject=rng.choice(
                    ("Parcel arrived late", "Wrong colour delivered", "Invoice address wrong")
                ),
                status="closed",
                opened_at=at(opened, 11),
                closed_at=at(opened + dt.timedelta(days=rng.randint(1, 6)), 16),
            )
        )
    for account in rng.sample(list(accounts), 16):
        for key, values in rng.sample(PREFERENCES, rng.randint(1, 2)):
            account.preferences.append(
                Preference(
                    key=key,
                    value=rng.choice(values),
                    source="seed",
                    recorded_at=at(today - dt.timedelta(days=rng.randint(10, 400))),
                )
            )
    session.flush()


def _in_progress(
    session: Session,
    rng: random.Random,
    accounts: Sequence[Account],
    products: dict[str, Product],
    *,
    today: dt.date,
) -> None:
    """Recent orders still on their way, all within their promised dates."""
    for n, account in enumerate(accounts):
        main = rng.choice(MAIN_PRODUCTS)
        if n == 0:
            created = today - dt.timedelta(days=6)
            history = [
                (OrderStatus.CREATED, at(created, 10), None),
                (OrderStatus.CONFIRMED, at(created, 15), None),
                (OrderStatus.SHIPPED, at(today - dt.timedelta(days=1), 8), "handed to the carrier"),
            ]
            promised = today + dt.timedelta(days=1)
        else:
            created = today - dt.timedelta(days=n)
            history = [
                (OrderStatus.CREATED, at(created, 9 + n), None),
                (OrderStatus.CONFIRMED, at(created, 12 + n), None),
            ]
            promised = today + dt.timedelta(days=5 + n)
        add_order(
            session, account, _lines(rng, products, main, 1), history=history, promised=promised
        )


def _cancelled(
    session: Session, account: Account, products: dict[str, Product], *, today: dt.date
) -> None:
    created = today - dt.timedelta(days=50)
    add_order(
        session,
        account,
        [(products["PHN-ASTRA"], 1)],
        history=[
            (OrderStatus.CREATED, at(created, 10), None),
            (OrderStatus.CANCELLED, at(created, 17), "customer changed their mind"),
        ],
        promised=created + dt.timedelta(days=7),
    )


def _quotes(
    session: Session,
    rng: random.Random,
    accounts: Sequence[Account],
    products: dict[str, Product],
    *,
    today: dt.date,
) -> None:
    """Two accepted quotes (with their orders), two rejected, one expired, one fresh."""
    statuses = (
        QuoteStatus.ACCEPTED,
        QuoteStatus.ACCEPTED,
        QuoteStatus.REJECTED,
        QuoteStatus.REJECTED,
        QuoteStatus.EXPIRED,
        QuoteStatus.OPEN,
    )
    for account, status in zip(accounts, statuses, strict=True):
        main = rng.choice(MAIN_PRODUCTS)
        lines = _lines(rng, products, main, 1)
        if status == QuoteStatus.OPEN:
            created = today - dt.timedelta(days=3)
        else:
            created = today - dt.timedelta(days=rng.randint(60, 400))
        valid_until = created + dt.timedelta(days=30)
        delivery = created + dt.timedelta(days=7)
        feedback = rng.choice(REJECTION_FEEDBACK) if status == QuoteStatus.REJECTED else None
        quote = add_quote(
            session,
            account,
            lines,
            created=at(created, 11),
            valid_until=valid_until,
            delivery_date=delivery,
            status=status,
            feedback=feedback,
        )
        if status == QuoteStatus.ACCEPTED:
            ordered_on = created + dt.timedelta(days=2)
            history, delivered_on = delivered_history(ordered_on)
            order = add_order(
                session, account, lines, history=history, promised=delivered_on, quote=quote
            )
            _register(rng, account, order, delivered_on)
