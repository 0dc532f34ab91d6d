"""What the CRM HTTP API returns: the public read side of each record, in families.

``XPublic`` is a record as the API shows it, ``XSummary`` the short form used
in lists and inside other records. Each is built from a model with
:meth:`~pydantic.BaseModel.model_validate` (``from_attributes``) or, where
something is derived, with its ``of`` class method.

Money is a string with two decimals (``"1299.00"``) next to its ``currency``:
a string, so no client ever rounds a price through a binary float. Dates are
ISO 8601 (``"2026-11-22"``), moments ISO 8601 in UTC.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from crm_backend.models import (
    AccountKind,
    ActivityKind,
    ActivityStatus,
    ConsentStatus,
    ContactChannel,
    LeadLevel,
    LeadStatus,
    OrderStatus,
    Product,
    QuoteStatus,
    RelationKind,
    SalesOrder,
)

Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str, when_used="json"),
    Field(description='An amount with two decimals, as a string: "1299.00"'),
]


class Schema(BaseModel):
    """Base of every API schema: read from model attributes."""

    model_config = ConfigDict(from_attributes=True)


# --- catalog -----------------------------------------------------------------------------


class ProductSummary(Schema):
    """A product in short: inside lists, orders and other products."""

    sku: str = Field(examples=["ECL-3000"])
    name: str = Field(examples=["Éclipse 3000"])
    category: str = Field(examples=["laptops"])
    list_price: Money
    currency: str = Field(examples=["EUR"])


class ProductPublic(ProductSummary):
    """A product with its technical details, availability, accessories and alternatives."""

    description: str
    specs: dict[str, Any] = Field(
        description="Technical details, e.g. cpu, ram, storage, screen, weight, battery_life"
    )
    stock: int = Field(description="Units in stock now")
    lead_time_days: int | None = Field(
        description="Days to get more; null when what is in stock is all there will be"
    )
    aliases: list[str] = Field(description="Other names customers use for it")
    accessories: list[ProductSummary] = Field(description="Cross-selling, best first")
    alternatives: list[ProductSummary] = Field(description="Other products to offer instead")

    @classmethod
    def of(cls, product: Product) -> Self:
        """The public view of a product and its active relations."""
        return cls(
            sku=product.sku,
            name=product.name,
            category=product.category,
            list_price=product.list_price,
            currency=product.currency,
            description=product.description,
            specs=dict(product.specs),
            stock=product.stock,
            lead_time_days=product.lead_time_days,
            aliases=[alias.alias for alias in product.aliases],
            accessories=[
                ProductSummary.model_validate(p) for p in product.related(RelationKind.ACCESSORY)
            ],
            alternatives=[
                ProductSummary.model_validate(p) for p in product.related(RelationKind.ALTERNATIVE)
            ],
        )


# --- accounts ----------------------------------------------------------------------------


class PhonePublic(Schema):
    """A phone number in E.164 form."""

    number: str = Field(examples=["+33612345678"])
    kind: str = Field(examples=["mobile"])
    is_primary: bool


class EmailPublic(Schema):
    """An e-mail address, lower-case."""

    address: str = Field(examples=["pierre.moreau@example.fr"])
    is_primary: bool


class ContactPublic(Schema):
    """A person to talk to at a company."""

    name: str
    role: str | None
    phone: str | None
    email: str | None


class PreferencePublic(Schema):
    """How the customer likes to be served."""

    key: str = Field(examples=["preferred_channel"])
    value: str = Field(examples=["sms"])
    source: str
    recorded_at: dt.datetime


class ConsentPublic(Schema):
    """A channel opt-in or opt-out."""

    channel: ContactChannel
    status: ConsentStatus
    source: str
    updated_at: dt.datetime


class RegisteredProductPublic(Schema):
    """A product the customer owns."""

    product: ProductSummary
    serial_number: str | None
    purchased_on: dt.date
    warranty_until: dt.date | None


class AccountSummary(Schema):
    """An account in short, as search results list it."""

    id: int
    customer_number: str = Field(examples=["C-100001"])
    kind: AccountKind
    name: str = Field(examples=["Pierre Moreau"])
    postcode: str | None = Field(examples=["69002"])
    city: str | None = Field(examples=["Lyon"])
    primary_phone: str | None
    primary_email: str | None


class AccountPublic(AccountSummary):
    """An account with its contact data, preferences, consents and installed base."""

    first_name: str | None
    last_name: str | None
    street: str | None
    country: str
    timezone: str
    do_not_contact: bool
    preferred_language: str | None = Field(description="en, fr; null: not said", examples=["fr"])
    created_at: dt.datetime
    phones: list[PhonePublic]
    emails: list[EmailPublic]
    contacts: list[ContactPublic] = Field(description="People to talk to, for companies")
    preferences: list[PreferencePublic]
    consents: list[ConsentPublic]
    registered_products: list[RegisteredProductPublic]


# --- sales -------------------------------------------------------------------------------


class LinePublic(Schema):
    """One product on a quote or an order, priced."""

    product: ProductSummary
    quantity: int
    unit_price: Money
    discount_percent: Money
    line_total: Money


class OrderStatusChangePublic(Schema):
    """One step of an order's life."""

    status: OrderStatus
    at: dt.datetime
    note: str | None


class OrderPublic(Schema):
    """A sales order with its lines and status history."""

    number: str = Field(examples=["SO-000001"])
    account_id: int
    status: OrderStatus
    currency: str
    total: Money
    promised_delivery_date: dt.date
    quote_number: str | None = Field(description="The quote it was made from, if any")
    created_at: dt.datetime
    lines: list[LinePublic]
    history: list[OrderStatusChangePublic]

    @classmethod
    def of(cls, order: SalesOrder) -> Self:
        """The public view of an order."""
        return cls(
            number=order.number or "",
            account_id=order.account_id,
            status=order.status,
            currency=order.currency,
            total=order.total,
            promised_delivery_date=order.promised_delivery_date,
            quote_number=order.quote.number if order.quote else None,
            created_at=order.created_at,
            lines=[LinePublic.model_validate(line) for line in order.lines],
            history=[OrderStatusChangePublic.model_validate(step) for step in order.history],
        )


class QuotePublic(Schema):
    """An offer with its lines, delivery date, validity and the customer's feedback."""

    number: str = Field(examples=["Q-000001"])
    account_id: int
    status: QuoteStatus
    currency: str
    total: Money
    requested_delivery_date: dt.date | None
    delivery_date: dt.date
    valid_until: dt.date
    feedback: str | None
    feedback_at: dt.datetime | None
    created_at: dt.datetime
    lines: list[LinePublic]


# --- marketing and follow-up -----------------------------------------------------------


class LeadPublic(Schema):
    """A prospect's interest in a product, with its qualification."""

    id: int
    account_id: int
    source_channel: str
    campaign_id: int | None
    product: ProductSummary | None
    product_interest: str
    qualification_answers: dict[str, Any]
    score: int
    level: LeadLevel
    status: LeadStatus
    created_at: dt.datetime
    updated_at: dt.datetime


class ActivityPublic(Schema):
    """A follow-up: a callback, a satisfaction-survey call, an e-mail."""

    id: int
    account_id: int
    kind: ActivityKind
    subject: str
    due_at: dt.datetime
    owner: str
    status: ActivityStatus
    order_id: int | None
    interaction_id: int | None
    created_at: dt.datetime


class InteractionPublic(Schema):
    """One contact with a customer, from start to end."""

    id: int
    conversation_id: str | None
    channel: str
    direction: str
    account_id: int | None
    identity_confirmed: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    duration_seconds: int | None = Field(default=None, description="how long a call lasted")
    outcome: str | None
    summary: str | None
    feedback: str | None = Field(default=None, description="what the customer told us, as said")
    feedback_kind: str | None = Field(default=None, description="praise, suggestion or comment")
    satisfaction_score: int | None = Field(default=None, description="CSAT at the end, 1 to 5")
    satisfaction_comment: str | None = Field(default=None, description="added to the score")
    quote_id: int | None
    order_id: int | None
    lead_id: int | None
    campaign_id: int | None
