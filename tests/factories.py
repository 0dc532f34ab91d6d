"""Small factories for test data, for the fake and the SQL unit of work alike.

They write rows directly (not through the services), so a test of a service
never depends on the service it tests. Each factory flushes, so the rows it
returns have their ids.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect

from crm_backend import models
from crm_backend.models import (
    Account,
    AccountKind,
    Complaint,
    Consent,
    ConsentStatus,
    ContactChannel,
    DiscountRule,
    Email,
    OrderStatus,
    Phone,
    Product,
    ProductAlias,
    ProductRelation,
    Quote,
    QuoteStatus,
    RegisteredProduct,
    RelationKind,
    SalesOrder,
)
from crm_backend.text import normalize
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.fakes import FakeUnitOfWork

AnyUow = FakeUnitOfWork | SqlAlchemyUnitOfWork

# Far from the numbers create_account hands out (C-100000 + id), so both can meet in one test.
_customer_numbers = itertools.count(900_001)
AT = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)


def add_row(uow: AnyUow, obj: models.Base) -> None:
    """Stage a row that has no repository of its own, and flush."""
    if isinstance(uow, FakeUnitOfWork):
        uow.add(obj)
    else:
        uow.session.add(obj)
    uow.flush()


def columns(obj: models.Base, *, without: Iterable[str] = ()) -> dict[str, Any]:
    """A row's column values by attribute name, for whole-row assertions."""
    skip = set(without)
    return {
        attr.key: getattr(obj, attr.key)
        for attr in inspect(type(obj)).column_attrs
        if attr.key not in skip
    }


def make_product(
    uow: AnyUow,
    *,
    sku: str,
    name: str,
    category: str = "laptops",
    list_price: str = "999.00",
    stock: int = 10,
    lead_time_days: int | None = None,
    aliases: Iterable[str] = (),
    specs: Mapping[str, Any] | None = None,
    active: bool = True,
    currency: str = "EUR",
) -> Product:
    """A product, with its aliases."""
    product = Product(
        sku=sku,
        name=name,
        search_name=normalize(name),
        category=category,
        description=f"The {name}.",
        specs=dict(specs or {}),
        list_price=Decimal(list_price),
        currency=currency,
        stock=stock,
        lead_time_days=lead_time_days,
        active=active,
        aliases=[ProductAlias(alias=a, search_alias=normalize(a)) for a in aliases],
    )
    uow.products.add(product)
    uow.flush()
    return product


def relate(uow: AnyUow, product: Product, related: Product, kind: RelationKind, rank: int) -> None:
    """Make ``related`` an accessory or alternative of ``product``."""
    product.relations.append(ProductRelation(related=related, kind=kind, rank=rank))
    uow.flush()


def make_discount_rule(
    uow: AnyUow,
    *,
    percent: str,
    min_quantity: int,
    product: Product | None = None,
    category: str | None = None,
) -> DiscountRule:
    """A volume discount for a product, a category, or everything."""
    rule = DiscountRule(
        product_id=product.id if product else None,
        category=category,
        min_quantity=min_quantity,
        percent=Decimal(percent),
    )
    add_row(uow, rule)
    return rule


def make_account(
    uow: AnyUow,
    *,
    first_name: str = "Pierre",
    last_name: str = "Moreau",
    customer_number: str | None = None,
    phones: Iterable[str] = ("+33612345678",),
    emails: Iterable[str] = ("pierre.moreau@example.fr",),
    street: str | None = "14 rue de la République",
    postcode: str | None = "69002",
    city: str | None = "Lyon",
    kind: AccountKind = AccountKind.PERSON,
    company_name: str | None = None,
    consents: Mapping[ContactChannel, ConsentStatus] | None = None,
    do_not_contact: bool = False,
    timezone: str = "Europe/Paris",
) -> Account:
    """An account with its phones and e-mails (the first of each primary) and consents."""
    name = (
        company_name
        if kind is AccountKind.COMPANY and company_name
        else f"{first_name} {last_name}"
    )
    account = Account(
        customer_number=customer_number or f"C-{next(_customer_numbers)}",
        kind=kind,
        name=name,
        search_name=normalize(name),
        first_name=first_name,
        last_name=last_name,
        street=street,
        postcode=postcode,
        city=city,
        timezone=timezone,
        do_not_contact=do_not_contact,
        phones=[Phone(number=n, is_primary=i == 0) for i, n in enumerate(phones)],
        emails=[Email(address=a, is_primary=i == 0) for i, a in enumerate(emails)],
        consents=[
            Consent(channel=channel, status=status, source="test", updated_at=AT)
            for channel, status in (consents or {}).items()
        ],
    )
    uow.accounts.add(account)
    uow.flush()
    return account


def own_product(
    uow: AnyUow,
    account: Account,
    product: Product,
    *,
    purchased_on: dt.date,
    warranty_until: dt.date | None = None,
    serial_number: str | None = None,
) -> RegisteredProduct:
    """Register a product the account owns."""
    owned = RegisteredProduct(
        product=product,
        purchased_on=purchased_on,
        warranty_until=warranty_until,
        serial_number=serial_number,
    )
    account.registered_products.append(owned)
    uow.flush()
    return owned


def make_complaint(
    uow: AnyUow,
    account: Account,
    *,
    subject: str,
    status: str = "open",
    opened_at: dt.datetime = AT,
) -> Complaint:
    """A complaint the account raised."""
    complaint = Complaint(subject=subject, status=status, opened_at=opened_at)
    account.complaints.append(complaint)
    uow.flush()
    return complaint


def make_order(
    uow: AnyUow,
    account: Account,
    *,
    number: str,
    promised: dt.date,
    status: OrderStatus = OrderStatus.CREATED,
    total: str = "100.00",
) -> SalesOrder:
    """An order row without lines, for tests that look only at its number, status and date."""
    order = SalesOrder(
        account=account,
        number=number,
        status=status,
        total=Decimal(total),
        promised_delivery_date=promised,
        created_at=AT,
    )
    uow.orders.add(order)
    uow.flush()
    return order


def make_quote(
    uow: AnyUow,
    account: Account,
    *,
    number: str,
    valid_until: dt.date,
    status: QuoteStatus = QuoteStatus.OPEN,
) -> Quote:
    """A quote row without lines, for tests that look only at its number, status and validity."""
    quote = Quote(
        account=account,
        number=number,
        status=status,
        total=Decimal("100.00"),
        delivery_date=valid_until,
        valid_until=valid_until,
    )
    uow.quotes.add(quote)
    uow.flush()
    return quote


@dataclass(frozen=True)
class DemoCatalog:
    """The demo facts of ARCHITECTURE.md: the Éclipse 3000, its accessories and alternatives."""

    laptop: Product
    bag: Product
    battery: Product
    cheaper: Product
    dearer: Product
    printer: Product


def demo_catalog(uow: AnyUow) -> DemoCatalog:
    """The Éclipse 3000, a bag and a battery as its accessories, two alternatives, a printer."""
    laptop = make_product(
        uow,
        sku="ECL-3000",
        name="Éclipse 3000",
        list_price="1299.00",
        stock=5,
        lead_time_days=10,
        aliases=("Eclipse laptop", "l'Éclipse"),
        specs={"cpu": "8-core 3.2 GHz", "ram": "16 GB", "weight": "1.3 kg"},
    )
    bag = make_product(
        uow,
        sku="BAG-ECL",
        name="Sacoche Éclipse",
        category="accessories",
        list_price="59.90",
        stock=40,
    )
    battery = make_product(
        uow,
        sku="BAT-ECL3000",
        name="Batterie Éclipse 3000",
        category="accessories",
        list_price="89.00",
        stock=0,
        lead_time_days=5,
    )
    cheaper = make_product(uow, sku="ZEN-14", name="Zénith 14", list_price="899.00", stock=3)
    dearer = make_product(uow, sku="ORI-16", name="Orion Pro 16", list_price="1599.00", stock=2)
    printer = make_product(
        uow, sku="PRN-200", name="Imprimante Laser 200", category="printers", list_price="249.00"
    )
    relate(uow, laptop, bag, RelationKind.ACCESSORY, 1)
    relate(uow, laptop, battery, RelationKind.ACCESSORY, 2)
    relate(uow, laptop, dearer, RelationKind.ALTERNATIVE, 1)
    relate(uow, laptop, cheaper, RelationKind.ALTERNATIVE, 2)
    return DemoCatalog(laptop, bag, battery, cheaper, dearer, printer)


# --- the desk: contacts, agents, handoffs and what agents wrote ---------------------------


def make_contact(
    uow: AnyUow,
    conversation_id: str,
    *,
    started_at: dt.datetime = AT,
    ended_at: dt.datetime | None = None,
    channel: str = "web",
    direction: str = "inbound",
) -> models.Interaction:
    """An interaction: one contact of a conversation."""
    interaction = models.Interaction(
        conversation_id=conversation_id,
        channel=channel,
        direction=direction,
        started_at=started_at,
        ended_at=ended_at,
    )
    add_row(uow, interaction)
    return interaction


def make_agent(uow: AnyUow, username: str = "anna", *, role: str = "agent") -> models.Agent:
    """A desk user who never logs in (the hash is no password's)."""
    agent = models.Agent(
        username=username, display_name=username.title(), password_hash="-", role=role
    )
    add_row(uow, agent)
    return agent


def make_handoff(
    uow: AnyUow,
    contact: models.Interaction,
    *,
    requested_at: dt.datetime,
    reason: str = "requested",
    agent: models.Agent | None = None,
    taken_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    status: str | None = None,
) -> models.Handoff:
    """A handoff of ``contact``: waiting; taken by ``agent`` at ``taken_at``; ended at
    ``ended_at`` (closed when it was taken, else the customer left the queue)."""
    if status is None and taken_at is None:
        status = "waiting" if ended_at is None else "cancelled"
    elif status is None:
        status = "assigned" if ended_at is None else "closed"
    handoff = models.Handoff(
        conversation_id=contact.conversation_id or "",
        channel=contact.channel,
        interaction_id=contact.id,
        reason=reason,
        status=status,
        requested_at=requested_at,
        assigned_agent_id=agent.id if agent else None,
        assigned_at=taken_at,
        ended_at=ended_at,
        updated_at=ended_at or taken_at or requested_at,
    )
    add_row(uow, handoff)
    return handoff


def make_line(
    uow: AnyUow, contact: models.Interaction, *, role: str, at: dt.datetime, text: str = "Hello"
) -> models.TranscriptEntry:
    """A line of the conversation's transcript."""
    line = models.TranscriptEntry(
        conversation_id=contact.conversation_id or "",
        channel=contact.channel,
        role=role,
        text=text,
        at=at,
    )
    add_row(uow, line)
    return line
