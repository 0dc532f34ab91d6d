"""The questions of the forms: ``action_ask_<slot>`` utters ``utter_ask_<slot>``, once.

A form asks its next question through ``action_ask_<slot>``. When the
customer asked for "help" in the middle of a form, a rule repeats the
question and the form resumes: the question must not be asked twice in a
row, so it is skipped when the bot has said it since the customer's last
message. The ``form_notice`` a validator set (why the last answer was
refused) picks the question's variation, and is cleared once asked.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

FORM_NOTICE = "form_notice"


def asked_since_last_message(tracker: Tracker, response: str) -> bool:
    """Whether the bot uttered ``response`` after the customer's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and _utter_action(event) == response:
            return True
    return False


def _utter_action(event: dict[str, Any]) -> str | None:
    metadata = event.get("metadata") or {}
    name = metadata.get("utter_action")
    return name if isinstance(name, str) else None


class AskSlot(Action, ABC):  # type: ignore[misc]  # rasa_sdk ships no types
    """Ask for one slot of a form, unless that question was just asked."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot asked for; a subclass names it as a class attribute."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = f"utter_ask_{self.slot}"
        if not asked_since_last_message(tracker, question):
            dispatcher.utter_message(response=question)
        return [SlotSet(FORM_NOTICE, None)]


class ActionAskIdentityKey(AskSlot):
    """Ask how to find the account (e-mail, phone, customer number, name)."""

    slot = "identity_key"


class ActionAskLookupPostcode(AskSlot):
    """Ask the postcode that goes with a name."""

    slot = "lookup_postcode"


class ActionAskVerificationAnswer(AskSlot):
    """Ask the second fact (postcode, or e-mail or phone on file)."""

    slot = "verification_answer"


class ActionAskIdentityConfirmed(AskSlot):
    """Ask "Am I speaking with ...?"."""

    slot = "identity_confirmed"


class ActionAskNewName(AskSlot):
    """Ask a new customer's full name."""

    slot = "new_name"


class ActionAskNewEmail(AskSlot):
    """Ask a new customer's e-mail address."""

    slot = "new_email"


class ActionAskNewPostcode(AskSlot):
    """Ask a new customer's postcode."""

    slot = "new_postcode"


class ActionAskQuoteLines(AskSlot):
    """Ask the products and quantities of a quote."""

    slot = "quote_lines"


class ActionAskRequestedDate(AskSlot):
    """Ask the delivery date wanted."""

    slot = "requested_date"


class ActionAskOrderLines(AskSlot):
    """Ask the products and quantities of an order."""

    slot = "order_lines"


class ActionAskOrderConfirmed(AskSlot):
    """Show the order (lines, total, delivery date) and ask to confirm it."""

    slot = "order_confirmed"


class ActionAskLeadProduct(AskSlot):
    """Ask which product a prospect is interested in."""

    slot = "lead_product"


class ActionAskLeadTimeframe(AskSlot):
    """Ask when a prospect might buy."""

    slot = "lead_timeframe"


class ActionAskLeadContact(AskSlot):
    """Ask how to reach a prospect."""

    slot = "lead_contact"


class ActionAskContactField(AskSlot):
    """Ask which contact detail to update."""

    slot = "contact_field"


class ActionAskContactValue(AskSlot):
    """Ask the new value of the contact detail."""

    slot = "contact_value"


class ActionAskContactConfirmed(AskSlot):
    """Read back the new value heard on the phone and ask whether to save it."""

    slot = "contact_confirmed"


class ActionAskCallbackPhone(AskSlot):
    """Ask the number an adviser should call back."""

    slot = "callback_phone"


class ActionAskLeadName(AskSlot):
    """Ask a prospect's full name (the contact person of a new account)."""

    slot = "lead_name"


class ActionAskLeadCompany(AskSlot):
    """Ask a business prospect's company name."""

    slot = "lead_company"


class ActionAskLeadNeed(AskSlot):
    """Ask what a business wants to equip its people with."""

    slot = "lead_need"


class ActionAskLeadQuantity(AskSlot):
    """Ask how many a business needs."""

    slot = "lead_quantity"
