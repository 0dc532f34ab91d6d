"""Sales orders (PROCESSES.md 1.4): placed once, followed up.

``action_place_order`` places the order that ``order_form`` (its validator is
in :mod:`actions.orders_form`) showed and the customer confirmed with an
explicit "yes", with an idempotency key made of the conversation and the
question that "yes" answered, so neither a retried action nor a "yes" said
again after a lost answer orders twice; the satisfaction-survey call
and the interaction's link to the order are written in the same transaction.
``action_order_status`` says where an order is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    OrderNeedsAdviser,
    OrderNotFound,
    ProductNotFound,
    QuoteExpired,
    QuoteNotFound,
    QuoteNotOpen,
)
from crm_backend.models import OrderStatus, SalesOrder
from crm_backend.services import conversation, follow_up, orders
from crm_backend.uow import UnitOfWork

from . import runtime
from .languages import EN, words
from .lines import as_requests, well_formed
from .messages import channel, entity_values, language, message_with
from .wording import day, lines_summary, money, reference

# How an order's status reads in "Your order SO-000123 (...) is {order_state}", in English
# (each language's: ``words(...).order_states``).
STATES = {OrderStatus(status): state for status, state in EN.order_states.items()}


def _state(status: str, lang: str) -> str:
    """ "on its way": where an order stands, in the conversation's language."""
    return words(lang).order_states.get(OrderStatus(status), str(status))


def idempotency_key(tracker: Tracker) -> str:
    """The conversation and the question its latest "yes" answered: one question, one order.

    The mark is the bot's last message before that "yes" (the confirmation
    question, as Rasa saved it): the same "yes" run again (Rasa died after
    the CRM wrote the order but before it saved its turn, and the gateway
    sent the message to another server), or said again by a customer who got
    the apology instead of an answer, answers the same saved question, so it
    finds the order already placed. Another confirmation follows another
    question. Without a bot message before it (a bare tracker), the "yes"
    itself: its id, else its timestamp, else its place in the conversation.
    """
    events = tracker.events
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return f"{tracker.sender_id}:no-message"
    index = users[-1]
    asked = next((e for e in reversed(events[:index]) if e.get("event") == "bot"), None)
    if asked is not None and asked.get("timestamp") is not None:
        return f"{tracker.sender_id}:after:{asked['timestamp']}"
    event = events[index]
    mark = event.get("message_id") or event.get("timestamp")
    return f"{tracker.sender_id}:{mark if mark is not None else f'#{index}'}"


ORDER_INPUTS = ("order_lines", "order_confirmed", "order_quote_number")


class ActionPlaceOrder(runtime.CrmAction):
    """Place the confirmed order once; plan its satisfaction survey; link it to the interaction.

    Reads ``account_id``, ``identity_status``, ``order_lines``,
    ``order_confirmed``, ``order_quote_number``. Sets ``order_number``,
    ``order_total``, ``delivery_date`` and ``result`` (``order_placed``,
    ``order_not_placed`` or ``order_failed``); empties the form's slots.
    An order above the bot's limit (``ICBOT_HANDOFF_ORDER_LIMIT``) is not
    placed: ``result: order_needs_adviser`` with ``order_total`` and
    ``order_limit``, and ``order_needs_adviser: true`` for the rule that hands
    the conversation to a person (``order_summary``, the draft, stays for the agent).
    """

    def name(self) -> str:
        return "action_place_order"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lines = well_formed(tracker.get_slot("order_lines"))
        account_id = tracker.get_slot("account_id")
        reset = [SlotSet(slot, None) for slot in ORDER_INPUTS]
        if tracker.get_slot("order_confirmed") is not True or lines is None or not account_id:
            return [*reset, SlotSet("result", "order_not_placed")]
        quote_number = tracker.get_slot("order_quote_number")
        today, said_on = runtime.today(), channel(tracker)
        lang = language(tracker)
        try:
            with runtime.unit_of_work() as uow:
                order = orders.place_order(
                    uow,
                    account_id=int(account_id),
                    idempotency_key=idempotency_key(tracker),
                    lines=None if quote_number else as_requests(lines),
                    quote_number=str(quote_number) if quote_number else None,
                    identity_confirmed=tracker.get_slot("identity_status") == "verified",
                    max_total=runtime.settings().handoff.order_limit,
                    today=today,
                    now=runtime.now(),
                )
                follow_up.schedule_satisfaction_survey(
                    uow, account_id=order.account_id, order_id=order.id, now=runtime.now()
                )
                interaction = conversation.ensure_interaction(
                    uow,
                    channel=said_on,
                    conversation_id=tracker.sender_id,
                    account_id=order.account_id,
                    now=runtime.now(),
                )
                conversation.link_interaction(uow, interaction_id=interaction.id, order_id=order.id)
                placed = [
                    SlotSet("order_number", order.number),
                    SlotSet(
                        "order_number_said", reference(order.number, channel=said_on, language=lang)
                    ),
                    SlotSet(
                        "order_total",
                        money(Decimal(order.total), order.currency, channel=said_on, language=lang),
                    ),
                    SlotSet(
                        "delivery_date",
                        day(
                            order.promised_delivery_date,
                            today=today,
                            channel=said_on,
                            language=lang,
                        ),
                    ),
                ]
                uow.commit()
        except AccountNotConfirmed:
            return [*reset, SlotSet("result", "order_not_placed")]
        except OrderNeedsAdviser as too_large:
            currency = runtime.settings().currency
            return [
                *reset,
                SlotSet(
                    "order_total",
                    money(Decimal(str(too_large.total)), currency, channel=said_on, language=lang),
                ),
                SlotSet(
                    "order_limit",
                    money(Decimal(str(too_large.limit)), currency, channel=said_on, language=lang),
                ),
                SlotSet("order_needs_adviser", True),
                SlotSet("result", "order_needs_adviser"),
            ]
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
            return [*reset, SlotSet("result", "order_failed")]
        return [*placed, *reset, SlotSet("result", "order_placed")]


_STATUS_RESULTS = {
    OrderStatus.DELIVERED: "order_delivered",
    OrderStatus.CANCELLED: "order_cancelled",
}


def _delivery_day(order: SalesOrder) -> dt.date:
    """The day a delivered order arrived (its history says when), else the day promised."""
    delivered = [c.at for c in order.history if c.status == OrderStatus.DELIVERED]
    return max(delivered).date() if delivered else order.promised_delivery_date


class ActionOrderStatus(runtime.CrmAction):
    """Tell where an order is: the one named, else the customer's latest.

    Sets ``order_number``, ``order_summary``, ``order_state``,
    ``delivery_date`` (the day it arrived, for a delivered order) and ``result``
    (``order_status``, ``order_delivered``, ``order_cancelled``, ``order_not_found``
    or ``no_orders``). Another customer's order number is not found.
    """

    def name(self) -> str:
        return "action_order_status"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = int(tracker.get_slot("account_id") or 0)
        named = entity_values(message_with(tracker, "order_status"), "order_number")
        number = named[0] if named else None
        today, said_on = runtime.today(), channel(tracker)
        lang = language(tracker)
        with runtime.unit_of_work() as uow:
            order = self._order(uow, account_id, number)
            if order is None:
                return [SlotSet("result", "order_not_found" if number else "no_orders")]
            when = day(_delivery_day(order), today=today, channel=said_on, language=lang)
            return [
                SlotSet("order_number", order.number),
                SlotSet(
                    "order_number_said", reference(order.number, channel=said_on, language=lang)
                ),
                SlotSet(
                    "order_summary", lines_summary(order.lines, channel=said_on, language=lang)
                ),
                SlotSet("order_state", _state(order.status, lang)),
                SlotSet("delivery_date", when),
                # A delivered or cancelled order is no longer expected.
                SlotSet("result", _STATUS_RESULTS.get(OrderStatus(order.status), "order_status")),
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
