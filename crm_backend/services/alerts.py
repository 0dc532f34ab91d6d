"""Alerts: facts the system knows that matter right now, shown when an account is identified.

Each rule is a small function from an :class:`AlertContext` to alerts;
:data:`RULES` lists them, and a new rule is one more function in that list.
Alerts come most important first: by severity, then in rule order, then
by date within a rule. The bot reads these to the customer once identified, in the conversation's
language (:data:`ALERT_WORDS`, one table per language; the desk reads English).

:func:`security_alerts` are for the desk alone: an account whose identity
checks failed too often is locked, and the agent must know why the customer
could not be verified (the customer only ever hears that the check failed).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..models import Account, OrderStatus, Quote, QuoteStatus, SalesOrder
from ..uow import UnitOfWork
from .accounts import get_account
from .dates import spoken_date
from .verification_lock import (
    VERIFICATION_LOCK_FAILURES,
    VERIFICATION_LOCK_WINDOW,
    verification_locked_until,
)

WARRANTY_NOTICE_DAYS = 30
QUOTE_NOTICE_DAYS = 7


class Severity(enum.StrEnum):
    """How much an alert matters."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


@dataclass(frozen=True)
class Alert:
    """One fact to mention: its kind, a short message, how much it matters, what it is about."""

    kind: str
    message: str
    severity: Severity
    ref: str


@dataclass(frozen=True)
class AlertContext:
    """What the rules look at: the account, its orders and quotes, and the day."""

    account: Account
    orders: Sequence[SalesOrder]
    quotes: Sequence[Quote]
    today: dt.date
    #: The language of the messages ("en", "fr"; any other: "en").
    language: str = "en"

    @property
    def words(self) -> AlertWords:
        """The alerts' words in :attr:`language`."""
        return ALERT_WORDS.get(self.language, ALERT_WORDS["en"])


Rule = Callable[[AlertContext], Iterable[Alert]]


@dataclass(frozen=True)
class AlertWords:
    """How one language says the customer's alerts."""

    late_order: str
    open_complaint: str
    warranty_ending: str
    quote_expiring: str
    today: str
    on: str  # "on {}": a day after "ends"
    until_today: str
    until: str  # "{}": a day after "valid until"


ALERT_WORDS = {
    "en": AlertWords(
        late_order="Your order {number} is late: it was promised for {promised}.",
        open_complaint='Your complaint "{subject}" is still open.',
        warranty_ending="The warranty of your {product} ends {on}.",
        quote_expiring="Your quote {number} is valid until {until}.",
        today="today",
        on="on {}",
        until_today="today",
        until="{}",
    ),
    "fr": AlertWords(
        late_order="Votre commande {number} est en retard : elle était promise pour le {promised}.",
        open_complaint='Votre réclamation "{subject}" est toujours en cours.',
        warranty_ending="La garantie de votre {product} prend fin {on}.",
        quote_expiring="Votre devis {number} est valable {until}.",
        today="aujourd'hui",
        on="le {}",
        until_today="jusqu'à aujourd'hui",
        until="jusqu'au {}",
    ),
}


def late_orders(context: AlertContext) -> Iterable[Alert]:
    """An order past its promised date and neither delivered nor cancelled."""
    done = (OrderStatus.DELIVERED, OrderStatus.CANCELLED)
    late = [
        o
        for o in context.orders
        if o.promised_delivery_date < context.today and o.status not in done
    ]
    for order in sorted(late, key=lambda o: (o.promised_delivery_date, o.id)):
        promised = spoken_date(
            order.promised_delivery_date, today=context.today, language=context.language
        )
        yield Alert(
            kind="late_order",
            message=context.words.late_order.format(number=order.number, promised=promised),
            severity=Severity.HIGH,
            ref=order.number or str(order.id),
        )


def open_complaints(context: AlertContext) -> Iterable[Alert]:
    """A complaint still open."""
    complaints = [c for c in context.account.complaints if c.status == "open"]
    for complaint in sorted(complaints, key=lambda c: (c.opened_at, c.id)):
        yield Alert(
            kind="open_complaint",
            message=context.words.open_complaint.format(subject=complaint.subject),
            severity=Severity.HIGH,
            ref=f"complaint-{complaint.id}",
        )


def warranties_ending(context: AlertContext) -> Iterable[Alert]:
    """A registered product whose warranty ends today or within the next 30 days."""
    last_day = context.today + dt.timedelta(days=WARRANTY_NOTICE_DAYS)
    ending = [
        (r.warranty_until, r)
        for r in context.account.registered_products
        if r.warranty_until is not None and context.today <= r.warranty_until <= last_day
    ]
    for until, owned in sorted(ending, key=lambda pair: (pair[0], pair[1].id)):
        yield Alert(
            kind="warranty_ending",
            message=context.words.warranty_ending.format(
                product=owned.product.name, on=_on(until, context)
            ),
            severity=Severity.MEDIUM,
            ref=owned.serial_number or owned.product.sku,
        )


def quotes_expiring(context: AlertContext) -> Iterable[Alert]:
    """An open quote whose validity ends today or within the next 7 days."""
    last_day = context.today + dt.timedelta(days=QUOTE_NOTICE_DAYS)
    expiring = [
        q
        for q in context.quotes
        if q.status == QuoteStatus.OPEN and context.today <= q.valid_until <= last_day
    ]
    for quote in sorted(expiring, key=lambda q: (q.valid_until, q.id)):
        yield Alert(
            kind="quote_expiring",
            message=context.words.quote_expiring.format(
                number=quote.number, until=_until(quote.valid_until, context)
            ),
            severity=Severity.LOW,
            ref=quote.number or str(quote.id),
        )


RULES: tuple[Rule, ...] = (late_orders, open_complaints, warranties_ending, quotes_expiring)


def alerts_for(
    uow: UnitOfWork,
    *,
    account_id: int,
    today: dt.date,
    rules: Sequence[Rule] = RULES,
    language: str = "en",
) -> list[Alert]:
    """The alerts about an account today, most important first, in ``language``'s words.

    Raises:
        AccountNotFound: no account has that id.
    """
    context = AlertContext(
        account=get_account(uow, account_id=account_id),
        orders=uow.orders.list_by(account_id=account_id),
        quotes=uow.quotes.list_by(account_id=account_id),
        today=today,
        language=language,
    )
    return evaluate(context, rules)


def evaluate(context: AlertContext, rules: Sequence[Rule] = RULES) -> list[Alert]:
    """Run the rules on a context; most important first, rule order within a severity."""
    alerts = [alert for rule in rules for alert in rule(context)]
    return sorted(alerts, key=lambda a: _RANK[a.severity])


def security_alerts(
    uow: UnitOfWork, *, account_id: int, now: dt.datetime, timezone: str = "UTC"
) -> list[Alert]:
    """What the desk must know about attempts on the account: its verification lock.

    The lock's end reads in ``timezone`` (the desk's), its abbreviation after it.
    """
    until = verification_locked_until(uow, account_id=account_id, now=now)
    if until is None:
        return []
    hours = int(VERIFICATION_LOCK_WINDOW.total_seconds() // 3600)
    window = "hour" if hours == 1 else f"{hours} hours"
    return [
        Alert(
            kind="verification_locked",
            message=(
                f"{VERIFICATION_LOCK_FAILURES} failed identity checks in the last {window}: "
                f"verification locked until {until.astimezone(ZoneInfo(timezone)):%H:%M %Z}."
            ),
            severity=Severity.HIGH,
            ref="account",
        )
    ]


def _until(day: dt.date, context: AlertContext) -> str:
    said = context.words
    if day == context.today:
        return said.until_today
    return said.until.format(spoken_date(day, today=context.today, language=context.language))


def _on(day: dt.date, context: AlertContext) -> str:
    said = context.words
    if day == context.today:
        return said.today
    return said.on.format(spoken_date(day, today=context.today, language=context.language))
