"""The customer at a glance, for an agent who takes a conversation over.

One call gathers what the other services know about an account: contact
data, owned products, open orders and quotes, alerts, leads and recent
interactions. It returns plain values (text, not models), so the desk can
render them after the unit of work has closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..models import OrderStatus, QuoteStatus
from ..money import money
from ..uow import UnitOfWork
from . import accounts, alerts, conversation, leads, orders, quotes
from .dates import now_or, today_or

RECENT_INTERACTIONS = 5


@dataclass(frozen=True)
class Line:
    """One row of a list: what it is, and a few words about it."""

    title: str
    detail: str = ""


@dataclass(frozen=True)
class CustomerView:
    """What an agent sees beside the transcript."""

    account_id: int
    customer_number: str
    name: str
    phone: str
    email: str
    address: str
    # The language the customer wants ("en", "fr"); None: not said.
    preferred_language: str | None
    products: list[Line]
    open_orders: list[Line]
    open_quotes: list[Line]
    alerts: list[Line]
    leads: list[Line]
    interactions: list[Line]


def customer_view(
    uow: UnitOfWork,
    *,
    account_id: int,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    timezone: str = "UTC",
) -> CustomerView:
    """Everything an agent needs to know about the account, today (and, for its locks, now).

    Amounts read as the bot writes them (:func:`crm_backend.money.money`); times
    of day are in ``timezone``, the zone the desk shows every time in.

    Raises:
        AccountNotFound: no account has that id.
    """
    day = today_or(today)
    zone = ZoneInfo(timezone)
    account = accounts.get_account(uow, account_id=account_id)
    address = ", ".join(p for p in (account.street, account.postcode, account.city) if p)
    return CustomerView(
        account_id=account.id,
        customer_number=account.customer_number,
        name=account.name,
        phone=account.primary_phone or "",
        email=account.primary_email or "",
        address=address,
        preferred_language=account.preferred_language,
        products=[
            Line(
                title=owned.product.name,
                detail=_owned_detail(owned.purchased_on, owned.warranty_until),
            )
            for owned in accounts.owned_products(account)
        ],
        open_orders=[
            Line(
                title=order.number or f"order {order.id}",
                detail=f"{_status(order.status)}, {money(order.total, order.currency)}, "
                f"due {order.promised_delivery_date.isoformat()}",
            )
            for order in orders.open_orders(uow, account_id=account.id)
        ],
        open_quotes=[
            Line(
                title=quote.number or f"quote {quote.id}",
                detail=f"{money(quote.total, quote.currency)}, "
                f"valid until {quote.valid_until.isoformat()}",
            )
            for quote in quotes.quotes_for(uow, account_id=account.id, today=day)
            if quote.status == QuoteStatus.OPEN
        ],
        alerts=[
            Line(title=alert.message, detail=str(alert.severity))
            for alert in [
                *alerts.security_alerts(
                    uow, account_id=account.id, now=now_or(now), timezone=timezone
                ),
                *alerts.alerts_for(uow, account_id=account.id, today=day),
            ]
        ],
        leads=[
            Line(
                title=lead.product_interest or "lead",
                detail=f"{lead.status}, {lead.level}",
            )
            for lead in leads.leads_for(uow, account_id=account.id)
        ],
        interactions=[
            Line(
                title=f"{interaction.started_at.astimezone(zone):%Y-%m-%d %H:%M} "
                f"{interaction.channel}",
                detail=", ".join(
                    part
                    for part in (interaction.outcome, interaction.summary, interaction.wrap_up_code)
                    if part
                )
                or "in progress",
            )
            for interaction in conversation.interactions_for(uow, account_id=account.id)[
                :RECENT_INTERACTIONS
            ]
        ],
    )


def _status(status: OrderStatus | str) -> str:
    return str(status).replace("_", " ")


def _owned_detail(bought: dt.date, warranty_until: dt.date | None) -> str:
    warranty = f", warranty until {warranty_until.isoformat()}" if warranty_until else ""
    return f"bought {bought.isoformat()}{warranty}"
