"""What the bot knew when it handed over, in an agent's words.

The handoff keeps the bot's filled slots (``Handoff.slots``); the agent needs
the facts among them, under plain labels and readable: the customer, what
they wanted, the products and lines with their prices (through the bot's own
money formatter, :func:`crm_backend.money.money`), never a slot name or a
Python ``repr``. Each slot of the domain is either labelled in :data:`LABELS`
or held back in :data:`HIDDEN` (the bot's bookkeeping, its own words, money
it formatted for the customer's channel); tests/channels/desk/test_bot_knew.py
checks that none is forgotten. A slot in neither still shows, under its name
in words, so a new slot is never silently lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from crm_backend.errors import InvalidRequest, ProductNotFound
from crm_backend.money import money
from crm_backend.services import pricing, products
from crm_backend.uow import UnitOfWork

TIMES = "\N{MULTIPLICATION SIGN}"

# The slots an agent reads, in the order the page shows them, with their labels.
LABELS: dict[str, str] = {
    "customer_name": "Customer",
    "customer_number": "Customer number",
    "identity_status": "Identity check",
    "identified_by": "Identified by",
    "pending_task": "What the customer wanted",
    "write_question": "Question pending",
    "script_question_text": "Script question pending",
    "order_lines": "Order lines",
    "quote_lines": "Quote lines",
    "focus_product": "Product in question",
    "mentioned_products": "Products the customer named",
    "proposed_products": "Products the bot proposed",
    "requested_date": "Delivery wanted",
    "delivery_date": "Delivery date given",
    "order_number": "Order",
    "order_state": "Order status",
    "order_quote_number": "Order from quote",
    "quote_number": "Quote",
    "quote_state": "Quote status",
    "quote_valid_until": "Quote valid until",
    "contact_field": "Contact detail to change",
    "contact_value": "New contact detail",
    "updated_field": "Contact detail changed",
    "updated_value": "Changed to",
    "preference_summary": "Preferences",
    "opted_out_channels": "Opted out of",
    "callback_phone": "Call-back number",
    "new_name": "New account: name",
    "new_email": "New account: e-mail",
    "new_postcode": "New account: postcode",
    "campaign_name": "Campaign",
    "called_name": "Person called",
    "offer_text": "Offer",
    "script_answers": "Script answers",
    "lead_interest": "Lead: interest",
    "lead_product": "Lead: product",
    "lead_name": "Lead: name",
    "lead_company": "Lead: company",
    "lead_need": "Lead: need",
    "lead_quantity": "Lead: quantity",
    "lead_timeframe": "Lead: timeframe",
    "lead_contact": "Lead: contact",
    "lead_level": "Lead: level",
}
# The bot's bookkeeping, its own sentences, and values formatted for the customer's
# channel (money, "said" forms): nothing an agent needs, or shown better another way.
HIDDEN = frozenset(
    {
        # bookkeeping of the dialogue and the gateway
        *("channel", "result", "form_notice", "requested_slot", "intent_labels"),
        *("session_started_metadata", "misunderstood_twice", "write_questions"),
        # the satisfaction question's working values (the interaction keeps the score)
        *("satisfaction_due", "satisfaction_answer"),
        *(f"suggestion_{n}" for n in (1, 2, 3)),
        *(f"suggestion_{n}_title" for n in (1, 2, 3)),
        # identification's working values (the customer panel shows the account)
        *("caller_known", "identity_key", "lookup_postcode", "verification_answer"),
        *("identity_confirmed", "verification_kind", "account_candidate_id"),
        *("candidate_name", "identify_attempts", "account_id", "customer_number_said"),
        *("context_orders", "context_products", "context_alerts"),
        # products, quotes and orders as the bot worded them (the lines are priced here)
        *("product_found", "product_name", "product_details", "product_price"),
        *("proposals_text", "quote_summary", "quote_total", "quote_discount"),
        *("quote_number_said", "order_summary", "order_total", "order_limit"),
        *("order_needs_adviser", "order_confirmed", "order_from_quote", "order_quote_said"),
        "order_number_said",
        # the handoff itself, which the page shows
        *("handoff_id", "handoff_position", "handoff_wait", "desk_hours"),
        "callback_phone_said",
        # a new contact detail read back on the phone (contact_value shows it)
        *("contact_confirmed", "contact_value_said"),
        # marketing calls' working values
        *("outbound_call", "offer_found", "call_list_entry_id", "called_account_id"),
        *("campaign_id", "script_name", "objection_answer", "script_answer"),
        *("script_question", "script_options", "script_asked_again"),
    }
)
# Codes some slots hold, in words.
WORDS: dict[str, dict[str, str]] = {
    "pending_task": {
        "order": "place an order",
        "accept_quote": "accept a quote",
        "reject_quote": "reject a quote",
        "quote": "get a quote",
        "quote_status": "know where a quote stands",
        "quote_feedback": "give feedback on a quote",
        "order_status": "know where an order stands",
        "update_contact": "update contact details",
        "preference": "record a preference",
        "stop_contact": "stop being contacted",
    },
    "identity_status": {"verified": "verified", "failed": "failed"},
    "identified_by": {
        "caller_phone": "the caller's number",
        "phone": "phone number",
        "email": "e-mail",
        "customer_number": "customer number",
        "name": "name and postcode",
    },
}
LINE_SLOTS = ("order_lines", "quote_lines")
PRODUCT_SLOTS = ("focus_product", "mentioned_products", "proposed_products")


@dataclass(frozen=True)
class Fact:
    """One thing the bot knew: its label and its value, both plain text."""

    label: str
    value: str


def facts(uow: UnitOfWork, slots: Mapping[str, Any]) -> list[Fact]:
    """The slots an agent needs, labelled and readable, in :data:`LABELS`' order.

    Lines (``order_lines``, ``quote_lines``) are priced as the bot prices them
    now, with a total after them; products are named from the catalog.
    """
    filled = {k: v for k, v in slots.items() if k not in HIDDEN and not _empty(v)}
    order = {name: index for index, name in enumerate(LABELS)}
    shown: list[Fact] = []
    for name in sorted(filled, key=lambda n: (order.get(n, len(order)), n)):
        label = LABELS.get(name) or name.replace("_", " ").capitalize()
        if name in LINE_SLOTS:
            shown += _lines(uow, label, filled[name])
        elif name in PRODUCT_SLOTS:
            shown.append(Fact(label, _products(uow, filled[name])))
        else:
            shown.append(Fact(label, readable(filled[name], WORDS.get(name, {}))))
    return [fact for fact in shown if fact.value]


def readable(value: Any, words: Mapping[str, str] | None = None) -> str:
    """A slot's value as text: yes/no, lists joined, mappings as "key: value", codes in words."""
    words = words or {}
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(readable(v, words) for v in value if not _empty(v))
    if isinstance(value, Mapping):
        return "; ".join(
            f"{str(k).replace('_', ' ')}: {readable(v, words)}"
            for k, v in value.items()
            if not _empty(v)
        )
    text = " ".join(str(value).split())
    return words.get(text, text)


def _lines(uow: UnitOfWork, label: str, value: Any) -> list[Fact]:
    """Each line with its quantity, name and price ("12 990,00 €"), then the total."""
    requests = _line_requests(value)
    if not requests:
        return [Fact(label, readable(value))]
    try:
        priced = pricing.price_lines(uow, lines=requests)
        total, currency = pricing.order_total(priced)
    except (ProductNotFound, InvalidRequest):
        # A product no longer sold, or a quantity the bot would not take: as the bot had it.
        return [Fact(label, "; ".join(f"{r.quantity} {TIMES} {r.sku}" for r in requests))]
    shown = "; ".join(
        f"{line.quantity} {TIMES} {line.product.name}: "
        f"{money(line.line_total, line.product.currency)}"
        + (f" ({_percent(line.discount_percent)} off)" if line.discount_percent else "")
        for line in priced
    )
    return [Fact(label, shown), Fact(f"{label.split()[0]} total", money(total, currency))]


def _line_requests(value: Any) -> list[pricing.LineRequest]:
    if not isinstance(value, list):
        return []
    requests = []
    for line in value:
        if not isinstance(line, Mapping) or not line.get("sku"):
            return []
        quantity = line.get("quantity")
        if isinstance(quantity, float) and quantity.is_integer():
            quantity = int(quantity)
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            return []
        requests.append(pricing.LineRequest(str(line["sku"]), quantity))
    return requests


def _products(uow: UnitOfWork, value: Any) -> str:
    """SKUs (one or a list) as the catalog names them; an unknown one as it is."""
    skus = value if isinstance(value, list) else [value]
    names: list[str] = []
    for sku in skus:
        if _empty(sku):
            continue
        try:
            name = products.get_product(uow, sku=str(sku)).name
        except ProductNotFound:
            name = readable(sku)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f} %".replace(".", ",")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
