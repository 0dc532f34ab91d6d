"""Sales orders (PROCESSES.md 1.4): confirmed explicitly, placed once, followed up.

order_form collects the lines (named now, named in the request made before
the identification, taken from the quote being accepted, or the product in
focus) and shows lines, total and delivery date for an explicit "yes".
``action_place_order`` then places the order with an idempotency key made of
the conversation and that "yes", so a retried action never orders twice; the
satisfaction-survey call and the interaction's link to the order are written
in the same transaction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import (
    AccountNotConfirmed,
    Conflict,
    InsufficientStock,
    InvalidQuantity,
    InvalidRequest,
    OrderNotFound,
    ProductNotFound,
    QuoteExpired,
    QuoteNotFound,
    QuoteNotOpen,
)
from crm_backend.models import OrderStatus, Quote, QuoteStatus, SalesOrder
from crm_backend.services import activities, catalog, interactions, orders, pricing
from crm_backend.uow import UnitOfWork

from . import runtime
from .lines import Lines, as_requests, lines_in, lines_said, well_formed
from .quotes import account_quote, answers_the_question
from .session import DEFAULT_CHANNEL, message_with
from .wording import day, lines_summary, money

FORM_NOTICE = "form_notice"
ORDER_INTENTS = ("place_order", "accept_quote")
# How an order's status is read out in "Your order SO-000123 (...) is {order_state}".
STATES = {
    OrderStatus.CREATED: "registered",
    OrderStatus.CONFIRMED: "confirmed and being prepared",
    OrderStatus.SHIPPED: "on its way",
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.CANCELLED: "cancelled",
}


def idempotency_key(tracker: Tracker) -> str:
    """The conversation and its latest customer message: the "yes" that confirmed the order.

    A retried run of the action for the same confirmation sees the same
    message and gives the same key; another confirmation is another message.
    """
    users = [(i, e) for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    if not users:
        return f"{tracker.sender_id}:no-message"
    index, event = users[-1]
    stamp = event.get("timestamp")
    return f"{tracker.sender_id}:{stamp if stamp is not None else f'#{index}'}"


def _request_since_last_order(tracker: Tracker) -> dict[str, Any] | None:
    """The customer's order request since the last order placed here, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_place_order":
            return None
        if event.get("event") == "user":
            parsed = event.get("parse_data") or {}
            if (parsed.get("intent") or {}).get("name") in ORDER_INTENTS:
                return parsed
    return None


def _accepting_quote(tracker: Tracker) -> bool:
    request = _request_since_last_order(tracker)
    if request is not None and (request.get("intent") or {}).get("name") == "accept_quote":
        return True
    # "Would you like me to turn it into an order?" - "yes"
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "affirm" and _last_bot_response(tracker) == "utter_create_quote_result"


def _last_bot_response(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            return str(name) if name else None
    return None


def quote_lines_of(quote: Quote) -> Lines:
    """The quote's lines, each marked with the quote, so the order keeps its prices."""
    return [
        {"sku": line.product.sku, "quantity": line.quantity, "quote_number": quote.number}
        for line in quote.lines
    ]


def from_quote(value: Any) -> str | None:
    """The quote the lines come from, when they all do."""
    if not isinstance(value, list) or not value:
        return None
    numbers = {line.get("quote_number") for line in value if isinstance(line, dict)}
    number = numbers.pop() if len(numbers) == 1 else None
    return str(number) if number else None


def _preview(uow: UnitOfWork, lines: Lines) -> dict[str, Any]:
    """What the confirmation shows for lines at today's prices."""
    today = runtime.today()
    priced = pricing.price_lines(uow, lines=as_requests(lines))
    amount, currency = pricing.order_total(priced)
    delivery = pricing.delivery_date_for(priced, requested=None, today=today)
    return {
        "order_summary": lines_summary(priced),
        "order_total": money(amount, currency),
        "delivery_date": day(delivery, today=today),
    }


def _quote_preview(uow: UnitOfWork, quote: Quote, lines: Lines) -> dict[str, Any]:
    """What the confirmation shows for an order from a quote: its prices, its date or later."""
    today = runtime.today()
    priced = pricing.price_lines(uow, lines=as_requests(lines))
    earliest = pricing.delivery_date_for(priced, requested=None, today=today)
    return {
        "order_summary": lines_summary(quote.lines),
        "order_total": money(Decimal(quote.total), quote.currency),
        "delivery_date": day(max(quote.delivery_date, earliest), today=today),
    }


class ValidateOrderForm(runtime.CrmFormValidationAction):
    """Validate order_form: the lines, then the explicit confirmation of lines, total, date."""

    def name(self) -> str:
        return "validate_order_form"

    def extract_order_lines(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Lines named now; when starting, those of the request, the quote, or the focus."""
        requested = tracker.get_slot(runtime.REQUESTED_SLOT)
        if requested not in (None, "order_lines"):
            return {}
        focus = tracker.get_slot("focus_product")
        lines = lines_said(tracker, focus=focus)
        if lines:
            return {"order_lines": lines}
        if requested == "order_lines":
            return {"order_lines": []} if answers_the_question(tracker) else {}
        if tracker.get_slot("order_lines") is not None:
            return {}
        return self._lines_to_start_with(tracker, focus)

    def _lines_to_start_with(self, tracker: Tracker, focus: str | None) -> dict[str, Any]:
        request = _request_since_last_order(tracker)
        if request is not None:
            said = lines_in(request.get("entities") or [], focus=focus)
            if said:
                return {"order_lines": said}
        if _accepting_quote(tracker):
            account_id = int(tracker.get_slot("account_id") or 0)
            with runtime.unit_of_work() as uow:
                quote = account_quote(uow, account_id, tracker.get_slot("quote_number"))
                if quote is not None and quote.status == QuoteStatus.OPEN:
                    return {"order_lines": quote_lines_of(quote)}
        if focus:
            return {"order_lines": [{"sku": focus, "quantity": 1}]}
        return {}

    def validate_order_lines(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Products that can be delivered; sets what the confirmation question shows."""
        if value is None:
            return {"order_lines": None}
        lines = well_formed(value)
        if lines is None:
            return {"order_lines": None, FORM_NOTICE: "unknown_product"}
        account_id = int(tracker.get_slot("account_id") or 0)
        try:
            with runtime.unit_of_work() as uow:
                quote = (
                    account_quote(uow, account_id, from_quote(value)) if from_quote(value) else None
                )
                if quote is not None and quote.status == QuoteStatus.OPEN:
                    return {"order_lines": value, **_quote_preview(uow, quote, lines)}
                # No quote, or one that cannot be accepted any more: today's prices.
                return {"order_lines": lines, **_preview(uow, lines)}
        except (ProductNotFound, InvalidQuantity):
            return {"order_lines": None, FORM_NOTICE: "unknown_product"}
        except InsufficientStock as error:
            return {
                "order_lines": None,
                FORM_NOTICE: "out_of_stock",
                "product_name": _name_of(error.sku),
            }

    def validate_order_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes or no; either ends the form (no places nothing)."""
        return {"order_confirmed": value if isinstance(value, bool) else None}


def _name_of(sku: str) -> str | None:
    with runtime.unit_of_work() as uow:
        try:
            return catalog.get_product(uow, sku=sku).name
        except ProductNotFound:
            return None


class ActionPlaceOrder(runtime.CrmAction):
    """Place the confirmed order once; plan its satisfaction survey; link it to the interaction.

    Reads ``account_id``, ``identity_status``, ``order_lines``,
    ``order_confirmed``. Sets ``order_number``, ``order_total``,
    ``delivery_date`` and ``result`` (``order_placed``, ``order_not_placed``
    or ``order_failed``).
    """

    def name(self) -> str:
        return "action_place_order"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        value = tracker.get_slot("order_lines")
        lines = well_formed(value)
        account_id = tracker.get_slot("account_id")
        if tracker.get_slot("order_confirmed") is not True or lines is None or not account_id:
            return [SlotSet("result", "order_not_placed")]
        quote_number = from_quote(value)
        today = runtime.today()
        try:
            with runtime.unit_of_work() as uow:
                order = orders.place_order(
                    uow,
                    account_id=int(account_id),
                    idempotency_key=idempotency_key(tracker),
                    lines=None if quote_number else as_requests(lines),
                    quote_number=quote_number,
                    identity_confirmed=tracker.get_slot("identity_status") == "verified",
                    today=today,
                    now=runtime.now(),
                )
                activities.schedule_satisfaction_survey(
                    uow, account_id=order.account_id, order_id=order.id, now=runtime.now()
                )
                interaction = interactions.ensure_interaction(
                    uow,
                    channel=str(tracker.get_slot("channel") or DEFAULT_CHANNEL),
                    conversation_id=tracker.sender_id,
                    account_id=order.account_id,
                    now=runtime.now(),
                )
                interactions.link_interaction(uow, interaction_id=interaction.id, order_id=order.id)
                placed = [
                    SlotSet("order_number", order.number),
                    SlotSet("order_total", money(Decimal(order.total), order.currency)),
                    SlotSet("delivery_date", day(order.promised_delivery_date, today=today)),
                ]
                uow.commit()
        except AccountNotConfirmed:
            return [SlotSet("result", "order_not_placed")]
        except (
            InsufficientStock,
            ProductNotFound,
            InvalidQuantity,
            InvalidRequest,
            QuoteNotFound,
            QuoteExpired,
            QuoteNotOpen,
            Conflict,
        ):
            return [SlotSet("result", "order_failed")]
        return [*placed, SlotSet("result", "order_placed")]


class ActionOrderStatus(runtime.CrmAction):
    """Tell where an order is: the one named, else the customer's latest.

    Sets ``order_number``, ``order_summary``, ``order_state``,
    ``delivery_date`` and ``result`` (``order_status``, ``order_not_found``
    or ``no_orders``). Another customer's order number is not found.
    """

    def name(self) -> str:
        return "action_order_status"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = int(tracker.get_slot("account_id") or 0)
        asked = message_with(tracker, "order_status")
        number = next(
            (
                str(e["value"])
                for e in asked.get("entities") or []
                if e.get("entity") == "order_number" and e.get("value")
            ),
            None,
        )
        today = runtime.today()
        with runtime.unit_of_work() as uow:
            order = self._order(uow, account_id, number)
            if order is None:
                return [SlotSet("result", "order_not_found" if number else "no_orders")]
            return [
                SlotSet("order_number", order.number),
                SlotSet("order_summary", lines_summary(order.lines)),
                SlotSet("order_state", STATES.get(OrderStatus(order.status), str(order.status))),
                SlotSet("delivery_date", day(order.promised_delivery_date, today=today)),
                SlotSet("result", "order_status"),
            ]

    @staticmethod
    def _order(uow: UnitOfWork, account_id: int, number: str | None) -> SalesOrder | None:
        if not account_id:
            return None
        if number is None:
            return orders.latest_order(uow, account_id=account_id)
        try:
            order = orders.get_order(uow, number=number)
        except OrderNotFound:
            return None
        return order if order.account_id == account_id else None
