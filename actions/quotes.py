"""Quotes (PROCESSES.md 1.3): products, quantities and a date become a priced, dated offer.

quote_form collects the lines and the delivery date wanted; the quote is
priced by the CRM (volume discounts included) with a confirmed delivery date
and a validity. Its status and the customer's feedback on it can be asked
later. Every step reads ``account_id``: the rules run them only for a
verified customer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import (
    InsufficientStock,
    InvalidQuantity,
    InvalidRequest,
    ProductNotFound,
    QuoteNotFound,
)
from crm_backend.models import Quote, QuoteStatus
from crm_backend.services import conversation, pricing, quotes
from crm_backend.uow import UnitOfWork

from . import runtime
from .languages import words
from .lines import Lines, as_requests, lines_said, well_formed
from .lines_references import UNCLEAR, lines_meant, request_since
from .messages import channel, entity_values, intent_of, language, message_with, said_with
from .parsing import parse_date
from .quotes_shown import quote_slots, quote_state
from .wording import day, reference

ASAP = "asap"
FORM_NOTICE = "form_notice"


def _requested(value: Any) -> dt.date | None:
    if not value or value == ASAP:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def account_quote(uow: UnitOfWork, account_id: int, number: str | None) -> Quote | None:
    """The account's quote with that number, else (no number) its newest; None if none.

    Another customer's quote is, for this one, no quote at all.
    """
    today = runtime.today()
    if number:
        try:
            quote = quotes.get_quote(uow, number=str(number), today=today)
        except QuoteNotFound:
            return None
        return quote if quote.account_id == account_id else None
    newest = quotes.quotes_for(uow, account_id=account_id, today=today)
    return newest[0] if newest else None


class ValidateQuoteForm(runtime.CrmFormValidationAction):
    """Validate quote_form: the lines (products and quantities), the delivery date wanted."""

    def name(self) -> str:
        return "validate_quote_form"

    def extract_quote_lines(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Lines as the order form reads them (:mod:`actions.lines_references`).

        When starting: the quote request (made before the identification too),
        else the product in focus. An answer to the question that names no
        product gives an empty list, which the validation refuses with a
        notice; words that point to no product for sure, the notice that asks.
        """
        requested = tracker.get_slot(runtime.REQUESTED_SLOT)
        if requested not in (None, "quote_lines"):
            return {}
        focus = tracker.get_slot("focus_product")
        starting = requested is None and tracker.get_slot("quote_lines") is None
        # The latest message first: products said now ("8 Vista 27 and 8 docks", after a
        # request that was cancelled or misread) say what is wanted better than the request.
        if intent_of(tracker.latest_message) in ("inform", "request_quote"):
            resolved = lines_meant(tracker, tracker.latest_message)
            if resolved.lines or resolved.unclear:
                return {"quote_lines": resolved.lines or UNCLEAR}
        request = request_since(tracker, ("request_quote",), "action_create_quote")
        if starting and request is not None:
            resolved = lines_meant(tracker, request)
            if resolved.lines or resolved.unclear:
                return {"quote_lines": resolved.lines or UNCLEAR}
        lines = lines_said(tracker, focus=focus)
        if lines:
            return {"quote_lines": lines}
        if starting and focus:
            return {"quote_lines": [{"sku": focus, "quantity": 1}]}
        if requested == "quote_lines" and answers_the_question(tracker):
            return {"quote_lines": []}
        return {}

    def extract_requested_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """When starting, the date said with the request before the identification."""
        if tracker.get_slot(runtime.REQUESTED_SLOT) is not None:
            return {}
        if tracker.get_slot("requested_date") or entity_values(tracker.latest_message, "date"):
            return {}
        dates = entity_values(_quote_request(tracker), "date")
        return {"requested_date": dates[0]} if dates else {}

    def validate_quote_lines(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Products the catalog sells, in whole quantities."""
        if value is None:
            return {"quote_lines": None}
        if value == UNCLEAR:
            return {"quote_lines": None, FORM_NOTICE: "which_products"}
        lines = well_formed(value)
        if lines is None:
            return {"quote_lines": None, FORM_NOTICE: "unknown_product"}
        try:
            with runtime.unit_of_work() as uow:
                pricing.price_lines(uow, lines=as_requests(lines))
        except (ProductNotFound, InvalidQuantity):
            return {"quote_lines": None, FORM_NOTICE: "unknown_product"}
        return {"quote_lines": lines}

    def validate_requested_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A day to come, no earlier than the lines can be delivered; "as soon as possible"."""
        if value is None:
            return {"requested_date": None}
        text = str(value)
        if words(language(tracker)).asap.search(text):
            return {"requested_date": ASAP}
        today = runtime.today()
        wanted = parse_date(text, today=today, language=language(tracker))
        if wanted is None or wanted < today:
            return {"requested_date": None, FORM_NOTICE: "invalid_date"}
        earliest = _earliest(well_formed(tracker.get_slot("quote_lines")), today=today)
        if earliest is not None and wanted < earliest:
            return {
                "requested_date": None,
                FORM_NOTICE: "date_too_early",
                "delivery_date": day(
                    earliest, today=today, channel=channel(tracker), language=language(tracker)
                ),
            }
        return {"requested_date": wanted.isoformat()}


def _quote_request(tracker: Tracker) -> dict[str, Any]:
    """The customer's latest quote request since the last quote made here, else nothing."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_create_quote":
            return {}
        if event.get("event") == "user":
            parsed = event.get("parse_data") or {}
            if intent_of(parsed) == "request_quote":
                return parsed
    return {}


def answers_the_question(tracker: Tracker) -> bool:
    """Whether the latest message is an answer ("inform") to the question the form asked.

    Another topic ("where is my order?") or a message not understood (for
    action_clarify) must not be taken for one.
    """
    return intent_of(tracker.latest_message) == "inform"


def _earliest(lines: Lines | None, *, today: dt.date) -> dt.date | None:
    if not lines:
        return None
    try:
        with runtime.unit_of_work() as uow:
            priced = pricing.price_lines(uow, lines=as_requests(lines))
            return pricing.delivery_date_for(priced, requested=None, today=today)
    except (ProductNotFound, InvalidQuantity, InsufficientStock):
        # The quote itself will say what cannot be delivered.
        return None


class ActionCreateQuote(runtime.CrmAction):
    """Price the lines for the date wanted; the quote is linked to the interaction.

    Reads ``account_id``, ``quote_lines``, ``requested_date``. Sets
    ``quote_number``, ``quote_summary``, ``quote_total``, ``quote_discount``,
    ``delivery_date``, ``quote_valid_until`` and ``result`` (``quote_ready``,
    or ``quote_unavailable`` with the earliest ``delivery_date`` when there is
    one); empties the form's slots for its next run.
    """

    def name(self) -> str:
        return "action_create_quote"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = tracker.get_slot("account_id")
        lines = well_formed(tracker.get_slot("quote_lines"))
        reset = [SlotSet("quote_lines", None), SlotSet("requested_date", None)]
        if not account_id or lines is None:
            return [*reset, SlotSet("result", "quote_unavailable")]
        today, said_on, lang = runtime.today(), channel(tracker), language(tracker)
        try:
            with runtime.unit_of_work() as uow:
                quote = quotes.create_quote(
                    uow,
                    account_id=int(account_id),
                    lines=as_requests(lines),
                    requested_date=_requested(tracker.get_slot("requested_date")),
                    today=today,
                    validity_days=runtime.settings().quote_validity_days,
                )
                interaction = conversation.ensure_interaction(
                    uow, channel=said_on, conversation_id=tracker.sender_id, now=runtime.now()
                )
                conversation.link_interaction(uow, interaction_id=interaction.id, quote_id=quote.id)
                shown = quote_slots(quote, today=today, said_on=said_on, language=lang)
                uow.commit()
        except (InsufficientStock, ProductNotFound, InvalidQuantity, InvalidRequest):
            # Never an earlier answer's date: without an earliest one, it is to be confirmed.
            earliest = _earliest(lines, today=today)
            when = (
                words(lang).no_date_yet
                if earliest is None
                else day(earliest, today=today, channel=said_on, language=lang)
            )
            return [*reset, SlotSet("delivery_date", when), SlotSet("result", "quote_unavailable")]
        return [*shown, *reset, SlotSet("result", "quote_ready")]


class ActionQuoteStatus(runtime.CrmAction):
    """Tell the status of the quote named (or made here), else of the newest one.

    Sets ``quote_number``, ``quote_state``, ``quote_summary``, ``quote_total``,
    ``quote_valid_until`` and ``result`` (``quote_status``, ``quote_not_found``
    or ``no_quotes``).
    """

    def name(self) -> str:
        return "action_quote_status"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = int(tracker.get_slot("account_id") or 0)
        today = runtime.today()
        with runtime.unit_of_work() as uow:
            quote = account_quote(uow, account_id, tracker.get_slot("quote_number"))
            if quote is None:
                missing = "quote_not_found" if tracker.get_slot("quote_number") else "no_quotes"
                return [SlotSet("result", missing)]
            lang = language(tracker)
            shown = quote_slots(quote, today=today, said_on=channel(tracker), language=lang)
            state = quote_state(quote.status, lang)
            uow.commit()  # a quote past its validity was marked expired on reading
        return [*shown, SlotSet("quote_state", state), SlotSet("result", "quote_status")]


class ActionRecordQuoteFeedback(runtime.CrmAction):
    """Keep what the customer says about a quote (the one named or made here, else the newest).

    Sets ``quote_number`` and ``result`` (``quote_feedback_recorded`` or ``quote_not_found``).
    """

    def name(self) -> str:
        return "action_record_quote_feedback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = int(tracker.get_slot("account_id") or 0)
        feedback = said_with(tracker, "give_quote_feedback")
        with runtime.unit_of_work() as uow:
            quote = account_quote(uow, account_id, tracker.get_slot("quote_number"))
            if quote is None or not feedback:
                return [SlotSet("result", "quote_not_found")]
            number = quote.number
            quotes.record_quote_feedback(
                uow, number=str(number), feedback=feedback, today=runtime.today(), now=runtime.now()
            )
            uow.commit()
        return [
            SlotSet("quote_number", number),
            SlotSet(
                "quote_number_said",
                reference(str(number), channel=channel(tracker), language=language(tracker)),
            ),
            SlotSet("result", "quote_feedback_recorded"),
        ]


class ActionRejectQuote(runtime.CrmAction):
    """Decline a quote (PROCESSES.md 1.3), keeping the customer's words as the reason.

    The quote is the one named in the request (or earlier in the
    conversation), else the account's only open quote; with several open and
    none named, the customer is asked which. Nothing is ever ordered from it.
    Sets ``quote_number``, ``quote_number_said``, ``quote_state`` and
    ``result`` (``quote_rejected``, ``quote_not_open``, ``quote_which`` or
    ``quote_not_found``).
    """

    def name(self) -> str:
        return "action_reject_quote"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_id = int(tracker.get_slot("account_id") or 0)
        request = message_with(tracker, "reject_quote")
        reason = str(request.get("text") or "").strip()
        named = entity_values(request, "quote_number") or [tracker.get_slot("quote_number")]
        today, said_on, lang = runtime.today(), channel(tracker), language(tracker)
        with runtime.unit_of_work() as uow:
            if named[0]:
                quote = account_quote(uow, account_id, str(named[0]))
            else:
                open_ones = [
                    q
                    for q in quotes.quotes_for(uow, account_id=account_id, today=today)
                    if q.status == QuoteStatus.OPEN
                ]
                if len(open_ones) > 1:
                    return [SlotSet("result", "quote_which")]
                quote = open_ones[0] if open_ones else None
            if quote is None:
                return [SlotSet("result", "quote_not_found")]
            number = str(quote.number)
            shown = [
                SlotSet("quote_number", number),
                SlotSet("quote_number_said", reference(number, channel=said_on, language=lang)),
            ]
            if quote.status != QuoteStatus.OPEN:
                state = quote_state(quote.status, lang)
                uow.commit()  # a quote past its validity was marked expired on reading
                return [*shown, SlotSet("quote_state", state), SlotSet("result", "quote_not_open")]
            quotes.record_quote_feedback(
                uow,
                number=number,
                feedback=reason,
                decision=QuoteStatus.REJECTED,
                today=today,
                now=runtime.now(),
            )
            uow.commit()
        rejected = quote_state(QuoteStatus.REJECTED, lang)
        return [*shown, SlotSet("quote_state", rejected), SlotSet("result", "quote_rejected")]
