"""The sales order's form (PROCESSES.md 1.4): ``order_form``, confirmed explicitly.

order_form collects the lines and shows lines, total and delivery date for
an explicit "yes". The lines come from what the customer said
(:mod:`actions.lines_references`: products named, "the cheaper one", "both",
"a case for it"); when the form starts, from the quote being accepted, the
order request (made before the identification too), the products named now,
generic words ("the laptop and the bag") about the products in focus and
just proposed, the products named last, or the product in focus. Words that
point to no product for sure are asked about, never guessed.
``action_place_order`` (:mod:`actions.orders`) then places the order.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InsufficientStock, InvalidQuantity, ProductNotFound
from crm_backend.models import Product, Quote, QuoteStatus
from crm_backend.services import pricing, products
from crm_backend.uow import UnitOfWork

from . import runtime
from .catalog_snapshot import catalog
from .lines import Lines, as_requests, lines_said, meant, well_formed
from .lines_references import UNCLEAR, lines_meant
from .messages import channel, entity_values, intent_of, language, last_bot_response
from .orders_edit import as_meant, changes_the_order, edited, wish_since
from .quotes import account_quote, answers_the_question
from .wording import day, lines_summary, money, reference

FORM_NOTICE = "form_notice"
ORDER_INTENTS = ("place_order", "accept_quote")
# Answers whose words ("the cheaper one", "both") are about the products to order.
ANSWERS = ("inform", "affirm", *ORDER_INTENTS)
# The answers that end an identification or open an account: a wish told with it goes on.
AFTER_IDENTIFICATION = ("utter_give_account_context_result", "utter_create_account_result")
# "Would you like to order, with or without them?" - "yes, with both".
_WITH_ALL = re.compile(r"\b(both|all|everything|with them|the lot)\b", re.IGNORECASE)
_WITHOUT = re.compile(r"\b(without|only|just)\b", re.IGNORECASE)


def _request_since_last_order(tracker: Tracker) -> dict[str, Any] | None:
    """The customer's order request since the last order placed here, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_place_order":
            return None
        if event.get("event") == "user":
            parsed = event.get("parse_data") or {}
            if intent_of(parsed) in ORDER_INTENTS:
                return {**parsed, "text": event.get("text") or parsed.get("text") or ""}
    return None


def _accepting_quote(tracker: Tracker) -> bool:
    request = _request_since_last_order(tracker)
    if request is not None and intent_of(request) == "accept_quote":
        return True
    # "Would you like me to turn it into an order?" - "yes"
    return (
        intent_of(tracker.latest_message) == "affirm"
        and last_bot_response(tracker) == "utter_create_quote_result"
    )


def _quote_to_order(tracker: Tracker) -> Lines:
    """The lines of the quote being accepted, each marked with the quote."""
    account_id = int(tracker.get_slot("account_id") or 0)
    request = _request_since_last_order(tracker) or {}
    named = entity_values(request, "quote_number") or [tracker.get_slot("quote_number")]
    with runtime.unit_of_work() as uow:
        quote = account_quote(uow, account_id, named[0]) if account_id else None
        if quote is None or quote.status != QuoteStatus.OPEN:
            return []
        return [
            {"sku": line.product.sku, "quantity": line.quantity, "quote_number": quote.number}
            for line in quote.lines
        ]


def _generic(tracker: Tracker, text: str, focus: str | None) -> Lines:
    """Lines for generic words about the product in focus and the products just proposed."""
    proposed = [str(s) for s in tracker.get_slot("proposed_products") or []]
    skus = list(dict.fromkeys([s for s in (focus, *proposed) if s]))
    if not skus:
        return []
    after_proposal = last_bot_response(tracker) == "utter_propose_accessories_result"
    affirmed = after_proposal and focus and intent_of(tracker.latest_message) == "affirm"
    with runtime.unit_of_work() as uow:
        candidates = [p for p in (_product(uow, sku) for sku in skus) if p is not None]
        chosen = meant(text, candidates)
        wanted = _named_with(uow, tracker, focus) if affirmed else []
    if affirmed:
        # "yes, with the bag": the product in focus, the add-ons asked for with it
        # ("the eclipse 2000 + data transfer"), and whatever of the proposal was named.
        extra = proposed if _WITH_ALL.search(text) and not _WITHOUT.search(text) else chosen
        chosen = list(dict.fromkeys([str(focus), *wanted, *(s for s in extra if s != focus)]))
    return [{"sku": sku, "quantity": 1} for sku in chosen]


def _named_with(uow: UnitOfWork, tracker: Tracker, focus: str | None) -> list[str]:
    """The accessories of the product in focus named in the same message as it."""
    named = [str(s) for s in tracker.get_slot("mentioned_products") or []]
    base = _product(uow, focus) if focus and focus in named else None
    if base is None:
        return []
    accessories = {a.sku for a in products.accessories_of(base)}
    return [sku for sku in named if sku in accessories]


def _product(uow: UnitOfWork, sku: str) -> Product | None:
    try:
        return products.get_product(uow, sku=sku)
    except ProductNotFound:
        return None


def from_quote(value: Any) -> str | None:
    """The quote the lines come from, when they all do."""
    if not isinstance(value, list) or not value:
        return None
    numbers = {line.get("quote_number") for line in value if isinstance(line, dict)}
    number = numbers.pop() if len(numbers) == 1 else None
    return str(number) if number else None


def _preview(uow: UnitOfWork, lines: Lines, said_on: str, lang: str) -> dict[str, Any]:
    """What the confirmation shows for lines at today's prices."""
    today = runtime.today()
    priced = pricing.price_lines(uow, lines=as_requests(lines))
    amount, currency = pricing.order_total(priced)
    delivery = pricing.delivery_date_for(priced, requested=None, today=today)
    return {
        "order_summary": lines_summary(priced, channel=said_on, language=lang),
        "order_total": money(amount, currency, channel=said_on, language=lang),
        "delivery_date": day(delivery, today=today, channel=said_on, language=lang),
    }


def _quote_preview(
    uow: UnitOfWork, quote: Quote, lines: Lines, said_on: str, lang: str
) -> dict[str, Any]:
    """What the confirmation shows for an order from a quote: its prices, its date or later."""
    today = runtime.today()
    priced = pricing.price_lines(uow, lines=as_requests(lines))
    earliest = pricing.delivery_date_for(priced, requested=None, today=today)
    return {
        "order_summary": lines_summary(quote.lines, channel=said_on, language=lang),
        "order_total": money(Decimal(quote.total), quote.currency, channel=said_on, language=lang),
        "delivery_date": day(
            max(quote.delivery_date, earliest), today=today, channel=said_on, language=lang
        ),
    }


class ValidateOrderForm(runtime.CrmFormValidationAction):
    """Validate order_form: the lines, then the explicit confirmation of lines, total, date."""

    def name(self) -> str:
        return "validate_order_form"

    def extract_order_lines(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Lines named now (any intent); when starting without any, see the module's docstring.

        An answer to the question that names no product gives an empty
        list, which the validation refuses with a notice.
        """
        requested = tracker.get_slot(runtime.REQUESTED_SLOT)
        if requested not in (None, "order_lines"):
            return {}
        focus = tracker.get_slot("focus_product")
        if requested is None and tracker.get_slot("order_lines") is None:
            lines = self._lines_to_start_with(tracker, focus)
            return {"order_lines": lines} if lines else {}
        if intent_of(tracker.latest_message) in ANSWERS:
            resolved = lines_meant(tracker, tracker.latest_message)
            if resolved.lines or resolved.unclear:
                return {"order_lines": resolved.lines or UNCLEAR}
        lines = _as_meant(tracker.latest_message, lines_said(tracker, focus=focus))
        if lines:
            return {"order_lines": lines}
        text = str(tracker.latest_message.get("text") or "")
        lines = _generic(tracker, text, focus)
        if lines:
            return {"order_lines": lines}
        return {"order_lines": []} if answers_the_question(tracker) else {}

    def _lines_to_start_with(self, tracker: Tracker, focus: str | None) -> Lines | str:
        if _accepting_quote(tracker):
            lines = _quote_to_order(tracker)
            if lines:
                return lines
        request = _request_since_last_order(tracker) or _wish_just_identified(tracker)
        if request is not None:
            # "the cheaper one", "both, one of each", "the Astra 5G and a case for it";
            # "a Vista 24, no wait, the Vista 27" read as meant.
            resolved = lines_meant(tracker, request)
            if resolved.unclear and not resolved.lines:
                return UNCLEAR
            if resolved.lines:
                return _as_meant(request, resolved.lines)
        said = lines_said(tracker, focus=focus)
        if said:
            # "2 Lumio 200 ink": the printer says whose ink, as in a request.
            resolved = lines_meant(tracker, tracker.latest_message)
            return resolved.lines or said
        text = str((request or tracker.latest_message).get("text") or "")
        said = _generic(tracker, text, focus)
        if said:
            return said
        mentioned = [str(s) for s in tracker.get_slot("mentioned_products") or []]
        if mentioned:
            return [{"sku": sku, "quantity": 1} for sku in dict.fromkeys(mentioned)]
        return [{"sku": focus, "quantity": 1}] if focus else []

    def validate_order_lines(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Products that can be delivered; sets what the confirmation question shows."""
        if value is None:
            return {"order_lines": None}
        if value == UNCLEAR:
            return {"order_lines": None, FORM_NOTICE: "which_products"}
        lines = well_formed(value)
        if lines is None:
            return {"order_lines": None, FORM_NOTICE: "unknown_product"}
        account_id = int(tracker.get_slot("account_id") or 0)
        number, said_on, lang = from_quote(value), channel(tracker), language(tracker)
        try:
            with runtime.unit_of_work() as uow:
                quote = account_quote(uow, account_id, number) if number and account_id else None
                if quote is not None and quote.status == QuoteStatus.OPEN:
                    shown = _quote_preview(uow, quote, lines, said_on, lang)
                    return {
                        "order_lines": lines,
                        "order_quote_number": quote.number,
                        "order_from_quote": True,
                        "order_quote_said": reference(
                            str(quote.number), channel=said_on, language=lang
                        ),
                        **shown,
                    }
                # No quote, or one that cannot be accepted any more: today's prices.
                shown = _preview(uow, lines, said_on, lang)
                return {
                    "order_lines": lines,
                    "order_quote_number": None,
                    "order_from_quote": False,
                    **shown,
                }
        except (ProductNotFound, InvalidQuantity):
            return {"order_lines": None, FORM_NOTICE: "unknown_product"}
        except InsufficientStock as error:
            return {
                "order_lines": None,
                FORM_NOTICE: "out_of_stock",
                "product_name": _name_of(error.sku),
            }

    def extract_order_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A change of mind at the confirmation edits the lines and asks again.

        "no wait, make it 3", "the Vista 27 instead", "add the installation
        too": the changed lines are priced and shown again, and the "no" of
        "no, 3 of them" is no answer to the question. A plain yes or no
        changes nothing here. The order asked for again ("je confirme la
        commande") is a yes (the slot's mapping), unless it names a product
        that changed nothing: then the question is asked again.
        """
        if tracker.get_slot(runtime.REQUESTED_SLOT) != "order_confirmed":
            return {}
        lines = well_formed(tracker.get_slot("order_lines"))
        message = tracker.latest_message
        if lines is None or not changes_the_order(message) or _lines_set_since_message(tracker):
            return {}
        new = edited(lines, message, catalog())
        if new is not None:
            return {"order_lines": new or None, "order_confirmed": None}
        if intent_of(message) == "place_order" and entity_values(message, "product"):
            return {"order_confirmed": None}
        return {}

    def validate_order_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes or no; either ends the form (no places nothing)."""
        return {"order_confirmed": value if isinstance(value, bool) else None}


def _as_meant(message: dict[str, Any], lines: Lines) -> Lines:
    """Lines read with the request's own corrections and add-ons (:mod:`actions.orders_edit`)."""
    if not lines:
        return lines
    return as_meant(message, lines, catalog())


def _wish_just_identified(tracker: Tracker) -> dict[str, Any] | None:
    """The wish told with the identification ("2 Vista 24, C-100034"), when it just ended."""
    if last_bot_response(tracker) not in AFTER_IDENTIFICATION:
        return None
    return wish_since(tracker.events, "action_place_order")


def _lines_set_since_message(tracker: Tracker) -> bool:
    """Whether the lines changed since the customer's latest message (an edit read once)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == "order_lines":
            return True
    return False


def _name_of(sku: str) -> str | None:
    with runtime.unit_of_work() as uow:
        product = _product(uow, sku)
        return product.name if product else None
