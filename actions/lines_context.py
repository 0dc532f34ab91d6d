"""What the words of the lines can point to (:mod:`actions.lines_references`).

The product in focus, the list the bot showed last (``proposed_products``,
in its order), the identified customer's own products, the catalog; and the
request message a form starts from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from crm_backend.errors import AccountNotFound, ProductNotFound
from crm_backend.models import Product
from crm_backend.services import accounts
from crm_backend.services import products as catalog_service
from crm_backend.uow import UnitOfWork

from .catalog_snapshot import catalog


@dataclass(frozen=True)
class Context:
    """What the words can point to besides the catalog names said."""

    focus: str | None = None
    shown: Sequence[Product] = ()  # the list the bot showed last, in its order
    owned: Sequence[Product] = ()  # the identified customer's products, newest first
    catalog: Sequence[Product] = ()  # every product sold, for a kind only one product is


def request_since(tracker: Tracker, intents: Sequence[str], done_by: str) -> dict[str, Any] | None:
    """The customer's latest message with one of ``intents`` since ``done_by`` last ran, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == done_by:
            return None
        if event.get("event") == "user":
            parsed = event.get("parse_data") or {}
            if (parsed.get("intent") or {}).get("name") in intents:
                return {**parsed, "text": event.get("text") or parsed.get("text") or ""}
    return None


def context_of(uow: UnitOfWork, tracker: Tracker) -> Context:
    """The product in focus, the list the bot showed last, the customer's products, the catalog."""

    def product(sku: Any) -> Product | None:
        try:
            return catalog_service.get_product(uow, sku=str(sku))
        except ProductNotFound:
            return None

    shown = [p for p in map(product, tracker.get_slot("proposed_products") or []) if p]
    owned: list[Product] = []
    account_id = tracker.get_slot("account_id")
    if account_id:
        try:
            account = accounts.get_account(uow, account_id=int(account_id))
        except (AccountNotFound, ValueError):
            account = None
        if account is not None:
            owned = [r.product for r in accounts.owned_products(account)]
    focus = tracker.get_slot("focus_product")
    return Context(
        focus=str(focus) if focus else None,
        shown=[p for p in shown if p.active],
        owned=owned,
        catalog=catalog(),
    )
