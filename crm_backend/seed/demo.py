"""The fixed demo accounts: Pierre Moreau, and one account per alert rule.

Pierre Moreau is the reference example of PROCESSES.md and stays clean: one
printer he owns (under warranty for a long while yet), the one order that
brought it (delivered), and his opt-ins. Every alert rule gets its own
account, so a demo of an alert never hides behind another one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ..models import (
    Account,
    Complaint,
    ConsentStatus,
    ContactChannel,
    OrderStatus,
    Product,
    RegisteredProduct,
)
from ..services.dates import add_months
from .builders import (
    Person,
    add_account,
    add_order,
    add_quote,
    at,
    delivered_history,
)

PIERRE = Person(
    customer_number="C-100001",
    first_name="Pierre",
    last_name="Moreau",
    street="14 rue de la République",
    postcode="69002",
    city="Lyon",
    phones=("+33612345678",),
    emails=("pierre.moreau@example.fr",),
)

# One account per alert rule, by customer number.
DELAYED_ORDER_ACCOUNT = "C-100002"
OPEN_COMPLAINT_ACCOUNT = "C-100003"
WARRANTY_ENDING_ACCOUNT = "C-100004"
QUOTE_EXPIRING_ACCOUNT = "C-100005"

# How far from ``today`` each alert case sits; small, so any sensible threshold sees it.
DELAYED_BY_DAYS = 4
WARRANTY_ENDS_IN_DAYS = 12
QUOTE_EXPIRES_IN_DAYS = 2

ALERT_PEOPLE = (
    Person(
        customer_number=DELAYED_ORDER_ACCOUNT,
        first_name="Camille",
        last_name="Laurent",
        street="27 boulevard Voltaire",
        postcode="75011",
        city="Paris",
        phones=("+33622334455",),
        emails=("camille.laurent@example.fr",),
    ),
    Person(
        customer_number=OPEN_COMPLAINT_ACCOUNT,
        first_name="Julien",
        last_name="Bernard",
        street="8 rue Paradis",
        postcode="13006",
        city="Marseille",
        phones=("+33633445566",),
        emails=("julien.bernard@example.fr",),
    ),
    Person(
        customer_number=WARRANTY_ENDING_ACCOUNT,
        first_name="Sophie",
        last_name="Martin",
        street="3 cours de l'Intendance",
        postcode="33000",
        city="Bordeaux",
        phones=("+33644556677",),
        emails=("sophie.martin@example.fr",),
    ),
    Person(
        customer_number=QUOTE_EXPIRING_ACCOUNT,
        first_name="Nicolas",
        last_name="Petit",
        street="52 rue Nationale",
        postcode="59000",
        city="Lille",
        phones=("+33655667788",),
        emails=("nicolas.petit@example.fr",),
    ),
)

ALL_IN = {
    ContactChannel.PHONE: ConsentStatus.OPT_IN,
    ContactChannel.SMS: ConsentStatus.OPT_IN,
    ContactChannel.EMAIL: ConsentStatus.OPT_IN,
}


def seed_pierre(session: Session, products: dict[str, Product], *, today: dt.date) -> Account:
    """Pierre Moreau: his printer and the delivered order that brought it."""
    pierre = add_account(
        session, PIERRE, created=at(today - dt.timedelta(days=900)), consents=ALL_IN
    )
    ordered_on = today - dt.timedelta(days=420)
    history, delivered_on = delivered_history(ordered_on)
    add_order(
        session,
        pierre,
        [(products["PRN-IJ200"], 1), (products["INK-IJ200"], 2)],
        history=history,
        promised=delivered_on,
    )
    pierre.registered_products.append(
        RegisteredProduct(
            product=products["PRN-IJ200"],
            serial_number="LIJ200-7F3K2Q",
            purchased_on=delivered_on,
            warranty_until=add_months(delivered_on, 36),
        )
    )
    return pierre


def seed_alert_cases(
    session: Session, products: dict[str, Product], *, today: dt.date
) -> dict[str, Account]:
    """One account per alert rule; returns them by customer number."""
    accounts = {
        person.customer_number: add_account(
            session, person, created=at(today - dt.timedelta(days=700)), consents=ALL_IN
        )
        for person in ALERT_PEOPLE
    }

    # A delayed order: promised some days ago, confirmed, never shipped.
    ordered_on = today - dt.timedelta(days=12)
    add_order(
        session,
        accounts[DELAYED_ORDER_ACCOUNT],
        [(products["NOV-14"], 1), (products["MOUSE-WL"], 1)],
        history=[
            (OrderStatus.CREATED, at(ordered_on, 11), None),
            (OrderStatus.CONFIRMED, at(ordered_on, 15), None),
        ],
        promised=today - dt.timedelta(days=DELAYED_BY_DAYS),
    )

    # An open complaint about a product that arrived a month ago.
    complainer = accounts[OPEN_COMPLAINT_ACCOUNT]
    history, delivered_on = delivered_history(today - dt.timedelta(days=35))
    add_order(session, complainer, [(products["KB-WL"], 1)], history=history, promised=delivered_on)
    complainer.registered_products.append(
        RegisteredProduct(
            product=products["KB-WL"],
            serial_number="KBWL-55821",
            purchased_on=delivered_on,
            warranty_until=add_months(delivered_on, 24),
        )
    )
    complainer.complaints.append(
        Complaint(
            subject="Wireless keyboard: several keys stopped working after two weeks",
            status="open",
            opened_at=at(today - dt.timedelta(days=5), 9, 30),
        )
    )

    # A warranty about to end: a monitor bought two years ago.
    owner = accounts[WARRANTY_ENDING_ACCOUNT]
    warranty_until = today + dt.timedelta(days=WARRANTY_ENDS_IN_DAYS)
    purchased_on = add_months(warranty_until, -24)
    history, _ = delivered_history(purchased_on - dt.timedelta(days=4))
    add_order(session, owner, [(products["MON-27QHD"], 1)], history=history, promised=purchased_on)
    owner.registered_products.append(
        RegisteredProduct(
            product=products["MON-27QHD"],
            serial_number="V27Q-30417",
            purchased_on=purchased_on,
            warranty_until=warranty_until,
        )
    )

    # A quote about to expire: the Éclipse 3000 and its bag, offered four weeks ago.
    created = today - dt.timedelta(days=28)
    add_quote(
        session,
        accounts[QUOTE_EXPIRING_ACCOUNT],
        [(products["ECL-3000"], 1), (products["BAG-ECL"], 1)],
        created=at(created, 14),
        valid_until=today + dt.timedelta(days=QUOTE_EXPIRES_IN_DAYS),
        # The customer asked for delivery in a month, when he moves into his new flat.
        delivery_date=today + dt.timedelta(days=5),
        requested_delivery_date=today + dt.timedelta(days=5),
    )
    return accounts
