"""Products (PROCESSES.md 1.3): information, alternatives, and accessories to cross-sell.

The product is the one named in the customer's latest message (the
extractor gives its SKU), else the one in focus from earlier in the
conversation. None of this needs an identified customer: it is the
catalog, not anybody's account.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InsufficientStock, ProductNotFound
from crm_backend.models import Product
from crm_backend.services import pricing, products
from crm_backend.uow import UnitOfWork

from . import runtime
from .languages import words
from .lines import well_formed
from .messages import channel, language, last_bot_response
from .wording import day, money, product_details, product_offers

# Cross-selling proposes the best-ranked few, not the whole list (the bag and the battery).
MAX_ACCESSORIES = 2
MAX_ALTERNATIVES = 3
# "something cheaper?", "a less pricey one?", "any budget option?", "something affordable"
_CHEAPER = re.compile(
    r"\b(cheaper|less expensive|less pricey|too pricey|budget|affordable|too expensive"
    r"|lower price|model down)\b",
    re.IGNORECASE,
)


# "Did you mean one of these?": a button picked says what the message not understood meant.
_MENUS = frozenset({"utter_ask_rephrase", "utter_ask_which_suggestion"})


def mentioned_skus(tracker: Tracker) -> list[str]:
    """The SKUs of the products named in the latest message, in order, without repeats.

    A button picked from "Did you mean one of these?" ("Product information")
    names none: the products are those of the message the bot did not understand.
    """
    skus = _skus(tracker.latest_message or {})
    if not skus and last_bot_response(tracker) in _MENUS:
        skus = _skus(_misunderstood(tracker))
    return skus


def _skus(message: dict[str, Any]) -> list[str]:
    skus = [
        str(e["value"]).upper()
        for e in message.get("entities") or []
        if e.get("entity") == "product" and e.get("value")
    ]
    return list(dict.fromkeys(skus))


def _misunderstood(tracker: Tracker) -> dict[str, Any]:
    """The latest message the bot asked "did you mean...?" about (its parse), else nothing."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    for event in reversed(users[:-1]):
        parsed = event.get("parse_data") or {}
        if (parsed.get("intent") or {}).get("name") == "nlu_fallback":
            return parsed
    return {}


def product_in_question(tracker: Tracker) -> str | None:
    """The SKU the customer is talking about: named now, else the one in focus.

    With none in focus, the first product of the order being taken: "how much
    does the machine weigh?" asked at the confirmation of an Éclipse 3000
    with its bag is about the Éclipse.
    """
    named = mentioned_skus(tracker)
    if named:
        return named[0]
    focus = tracker.get_slot("focus_product")
    if focus:
        return str(focus)
    ordering = well_formed(tracker.get_slot("order_lines"))
    return str(ordering[0]["sku"]) if ordering else None


def _base_named(uow: UnitOfWork, named: list[str]) -> Product | None:
    """Of the products named, the one another named product is an accessory of.

    "Which ink do I need for the Lumio InkJet 200?" names the ink and the
    printer: the question is about the printer's accessories.
    """
    for sku in named:
        product = _sold(uow, sku)
        if product is not None and any(a.sku in named for a in products.accessories_of(product)):
            return product
    return None


def _sold(uow: UnitOfWork, sku: str | None) -> Product | None:
    # A SKU no longer sold is, for the customer, no product to talk about.
    if not sku:
        return None
    try:
        product = products.get_product(uow, sku=sku)
    except ProductNotFound:
        return None
    return product if product.active else None


def _delivery(product: Product, said_on: str, lang: str) -> str:
    today = runtime.today()
    try:
        earliest = pricing.earliest_delivery(product, quantity=1, today=today)
    except InsufficientStock:
        return words(lang).no_date_yet
    return day(earliest, today=today, channel=said_on, language=lang)


def _offers(
    products: list[Product], said_on: str, lang: str, *, before: list[str]
) -> list[EventType]:
    return [
        SlotSet("proposals_text", product_offers(products, channel=said_on, language=lang)),
        SlotSet("proposed_products", [*before, *(p.sku for p in products)]),
    ]


def next_proposals(
    tracker: Tracker, product: Product, candidates: list[Product], *, response: str, limit: int
) -> tuple[list[Product], list[str]]:
    """The best ``limit`` candidates, or the next ones when the customer asks for more.

    Asked again right after that proposal for the same product ("other
    accessories?", "any other options?"), those not proposed yet come next;
    all proposed, the best ones again. Returns them and the SKUs proposed
    before them, which stay in ``proposed_products`` so that "the bag"
    still resolves against everything the customer heard.
    """
    again = (
        last_bot_response(tracker) == response and tracker.get_slot("focus_product") == product.sku
    )
    before = [str(s) for s in tracker.get_slot("proposed_products") or []] if again else []
    fresh = [p for p in candidates if p.sku not in before]
    if not fresh:
        return candidates[:limit], []
    return fresh[:limit], before


class ActionProductInfo(runtime.CrmAction):
    """Describe a product: details, price and earliest delivery; it becomes the focus.

    Sets ``product_found``, and with a product ``focus_product``,
    ``product_name``, ``product_details``, ``product_price``,
    ``delivery_date``; ``result`` is ``product_info`` or ``product_unknown``.
    """

    def name(self) -> str:
        return "action_product_info"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        said_on, lang = channel(tracker), language(tracker)
        with runtime.unit_of_work() as uow:
            product = _sold(uow, product_in_question(tracker))
            if product is None:
                return [SlotSet("product_found", False), SlotSet("result", "product_unknown")]
            price = money(
                Decimal(product.list_price), product.currency, channel=said_on, language=lang
            )
            return [
                SlotSet("product_found", True),
                SlotSet("focus_product", product.sku),
                SlotSet("product_name", product.name),
                SlotSet(
                    "product_details", product_details(product, channel=said_on, language=lang)
                ),
                SlotSet("product_price", price),
                SlotSet("delivery_date", _delivery(product, said_on, lang)),
                SlotSet("result", "product_info"),
            ]

    def unavailable_events(self, tracker: Tracker, events: list[EventType]) -> list[EventType]:
        # The rule that proposes accessories needs a product found; this one says sorry.
        return [SlotSet("product_found", False), *events]


class ActionProposeAccessories(runtime.CrmAction):
    """Cross-sell: propose the best-ranked accessories of the product in question.

    Asked again right after, the next ones (:func:`next_proposals`): the
    phone and SMS invite the customer to ask for more.

    While an order is being taken, what is in it already is not proposed,
    and the words invite to add to it rather than to order (the order's own
    question follows): ``accessories_for_order``, or ``accessories_in_order``
    when everything that goes with it is in the order.

    Sets ``focus_product``, ``product_name``, ``proposals_text`` and
    ``proposed_products``; ``result`` is ``accessories``, ``no_accessories``,
    ``accessories_for_order``, ``accessories_in_order`` or
    ``accessories_need_product``.
    """

    def name(self) -> str:
        return "action_propose_accessories"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with runtime.unit_of_work() as uow:
            product = _base_named(uow, mentioned_skus(tracker)) or _sold(
                uow, product_in_question(tracker)
            )
            if product is None:
                return [SlotSet("result", "accessories_need_product")]
            ordering = _order_being_taken(tracker)
            accessories, before = next_proposals(
                tracker,
                product,
                [p for p in products.accessories_of(product) if p.sku not in (ordering or ())],
                response="utter_propose_accessories_result",
                limit=MAX_ACCESSORIES,
            )
            events = [
                SlotSet("focus_product", product.sku),
                SlotSet("product_name", product.name),
            ]
            if not accessories:
                none = "accessories_in_order" if ordering else "no_accessories"
                return [*events, SlotSet("result", none)]
            offers = _offers(accessories, channel(tracker), language(tracker), before=before)
            some = "accessories_for_order" if ordering else "accessories"
            return [*events, *offers, SlotSet("result", some)]


def _order_being_taken(tracker: Tracker) -> set[str] | None:
    """The SKUs of the order that order_form is taking, or None when it takes none."""
    lines = well_formed(tracker.get_slot("order_lines"))
    if tracker.active_loop_name != "order_form" or not lines:
        return None
    return {str(line["sku"]) for line in lines}


class ActionProposeAlternatives(runtime.CrmAction):
    """Propose alternatives to the product in question; cheaper ones first when asked so.

    Asked again right after, the next ones (:func:`next_proposals`).

    Sets ``focus_product``, ``product_name``, ``proposals_text`` and
    ``proposed_products``; ``result`` is ``alternatives``, ``no_alternatives``
    or ``alternatives_need_product``.
    """

    def name(self) -> str:
        return "action_propose_alternatives"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        cheaper = bool(_CHEAPER.search(str(tracker.latest_message.get("text") or "")))
        with runtime.unit_of_work() as uow:
            product = _sold(uow, product_in_question(tracker))
            if product is None:
                return [SlotSet("result", "alternatives_need_product")]
            # Asked for cheaper: the cheaper ones, cheapest first; none cheaper: all the others.
            cheapest = products.alternatives_of(product, cheaper_only=True) if cheaper else []
            alternatives, before = next_proposals(
                tracker,
                product,
                cheapest or products.alternatives_of(product),
                response="utter_propose_alternatives_result",
                limit=MAX_ALTERNATIVES,
            )
            events = [
                SlotSet("focus_product", product.sku),
                SlotSet("product_name", product.name),
            ]
            if not alternatives:
                return [*events, SlotSet("result", "no_alternatives")]
            offers = _offers(alternatives, channel(tracker), language(tracker), before=before)
            return [*events, *offers, SlotSet("result", "alternatives")]
