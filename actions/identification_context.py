"""The customer's context once identified (PROCESSES.md 1.1-1.2): orders, products, alerts.

Runs after every identification. With a confirmed account it records the
confirmation on the interaction and sets what the greeting shows: open
orders and their status, the products the customer owns, and the alerts
that apply today. Without one, the identification failed and nothing at all
about any account is set. The rules after this action need
``identity_status`` verified or failed, so an identification cut short by a
CRM that could not be reached also counts as failed for this conversation
(with the technical-problem answer, which offers an adviser's call back).
"""

from __future__ import annotations

import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.models import SalesOrder
from crm_backend.services import accounts, alerts, conversation, orders

from . import runtime
from .identification import MAX_ATTEMPTS
from .languages import words
from .messages import channel, language
from .runtime import TECHNICAL_PROBLEM
from .wording import ENGLISH, VOICE, codes_in, day, listed, reference


def _products(listed_products: str, *, language: str = ENGLISH) -> str:
    """The greeting's sentence on the account's products, or nothing when it has none.

    It follows a sentence in the response (``...{context_orders}.{context_products}``),
    hence its leading space.
    """
    return words(language).your_products.format(listed_products) if listed_products else ""


def order_line(order: SalesOrder, *, today: dt.date, channel: str, language: str = ENGLISH) -> str:
    """ "SO-000012 (shipped, due 06/03/2026)"; heard as "order S O, 0 0 0, 0 1 2, shipped, ..."."""
    table = words(language)
    when = day(order.promised_delivery_date, today=today, channel=channel, language=language)
    status = table.order_statuses.get(str(order.status), str(order.status))
    if channel == VOICE:
        number = reference(order.number, channel=channel, language=language)
        return table.order_line_spoken.format(number=number, status=status, when=when)
    return table.order_line.format(number=order.number, status=status, when=when)


class ActionGiveAccountContext(runtime.CrmAction):
    """Give the verified customer's context, or close the identification as failed.

    Reads ``account_id`` (set only by a confirmed identification). Sets
    ``identity_status``, ``customer_name``, ``customer_number``,
    ``context_orders`` (unset when there is none), ``context_products`` (a
    sentence, empty when there is none),
    ``context_alerts`` and ``result`` (``account_context``,
    ``account_context_alerts`` or ``identity_failed``;
    ``account_context_task`` and ``account_context_alerts_task`` when a
    task asked for before the identification goes on at once: no "How can
    I help you?"; each of the four with ``_no_orders`` after it when the
    customer has no open order, which the words say as a person would).
    """

    def name(self) -> str:
        return "action_give_account_context"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = tracker.get_slot("account_id")
        if not account_id:
            return failed_identification(tracker)
        today, said_on, lang = runtime.today(), channel(tracker), language(tracker)
        with runtime.unit_of_work() as uow:
            account = accounts.get_account(uow, account_id=int(account_id))
            interaction = conversation.ensure_interaction(
                uow,
                channel=said_on,
                conversation_id=tracker.sender_id,
                now=runtime.now(),
            )
            conversation.confirm_identity(uow, interaction_id=interaction.id, account_id=account.id)
            open_orders = [
                order_line(o, today=today, channel=said_on, language=lang)
                for o in orders.open_orders(uow, account_id=account.id)
            ]
            owned = [r.product.name for r in accounts.owned_products(account)]
            notes = [
                codes_in(a.message.rstrip("."), channel=said_on, language=lang)
                for a in alerts.alerts_for(uow, account_id=account.id, today=today, language=lang)
            ]
            name, number = account.name, account.customer_number
            uow.commit()
        return [
            SlotSet("identity_status", "verified"),
            SlotSet("customer_name", name),
            SlotSet("customer_number", number),
            SlotSet("context_orders", listed(open_orders, channel=said_on, language=lang) or None),
            SlotSet(
                "context_products",
                _products(listed(owned, channel=said_on, language=lang), language=lang),
            ),
            SlotSet("context_alerts", ". ".join(notes) or None),
            SlotSet(
                "result", _context_result(tracker, alerts=bool(notes), orders=bool(open_orders))
            ),
        ]

    def unavailable_events(self, tracker: Tracker, events: list[EventType]) -> list[EventType]:
        # The rules after this action branch on identity_status: a confirmed account
        # stays verified (the answer apologises); an unfinished identification cannot be.
        status = "verified" if tracker.get_slot("account_id") else "failed"
        return [SlotSet("identity_status", status), *events]


def _context_result(tracker: Tracker, *, alerts: bool, orders: bool) -> str:
    """``account_context[_alerts][_task][_no_orders]``.

    ``_task`` when a task waits (no "How can I help?"); ``_no_orders`` when
    there is no open order ("You have no open orders", not "Your open orders: none").
    """
    result = "account_context_alerts" if alerts else "account_context"
    if tracker.get_slot("pending_task"):
        result = f"{result}_task"
    return result if orders else f"{result}_no_orders"


def failed_identification(tracker: Tracker) -> list[EventType]:
    """The identification failed: lock it for the conversation, reveal nothing.

    It ends without an account after the last failed check, or when the CRM
    could not be reached during it (fewer attempts): then the answer says so.
    """
    attempts = int(tracker.get_slot("identify_attempts") or 0)
    result = "identity_failed" if attempts >= MAX_ATTEMPTS else TECHNICAL_PROBLEM
    return [SlotSet("identity_status", "failed"), SlotSet("result", result)]
