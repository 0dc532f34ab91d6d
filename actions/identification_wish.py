"""The wish told with the identification (PROCESSES.md 1.1): kept until the account is known.

"isabelle gerard, 13001 marseille - 2 vista 24 please", "I'd like to buy a
Vista 24, I'm not a customer yet": the message is read as identifying
details or as a new customer, not as an order request, so ``pending_task``
(filled from the order intents) stays empty and the bot would ask "How can
I help you?" once the account is known. The identification's validators
(:mod:`actions.identification`, :mod:`actions.identification_new_account`)
keep such a wish as ``pending_task: order``; the rules then carry on with the
order, whose lines come from that message (:mod:`actions.orders_form`).
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import runtime
from .languages import words
from .messages import language
from .orders_edit import wants_to_order

# Words of a customer who wants a quote, whatever the classifier made of the message.
# "Can you make us an offer?" asks for a quote; "your offer on the Éclipse" is the campaign's.
_QUOTE_WORDS = re.compile(
    r"\b(?:quote|quotes|quotation|estimate|proposal|an offer|offer in writing|written offer)\b",
    re.IGNORECASE,
)


def kept_wish(tracker: Tracker) -> list[EventType]:
    """``pending_task: order`` when the latest message asks to buy and nothing else waits.

    Not when the customer spoke of a quote ("can you make us an offer?"):
    an order is no answer to that, so the bot asks what to do once identified.
    """
    if tracker.get_slot("pending_task") is not None or spoke_of_a_quote(tracker):
        return []
    return [SlotSet("pending_task", "order")] if wants_to_order(tracker.latest_message) else []


def spoke_of_a_quote(tracker: Tracker) -> bool:
    """Whether a message of the customer's in this conversation asked for a quote or an offer."""
    return any(
        _QUOTE_WORDS.search(str(e.get("text") or ""))
        for e in tracker.events
        if e.get("event") == "user"
    )


def done(tracker: Tracker, result: str) -> bool:
    """Whether an action of this conversation ended with ``result`` (an order placed...)."""
    return any(
        e.get("event") == "slot" and e.get("name") == "result" and e.get("value") == result
        for e in tracker.events
    )


class KeepsTheWish(runtime.CrmFormValidationAction):
    """A validator of an identification form that also keeps the customer's wish to order."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate as usual; then keep a wish to order said in the latest message."""
        wish = kept_wish(tracker)
        events = await super().run(dispatcher, tracker, domain)
        return [*events, *wish]


class ActionReadDetails(Action):  # type: ignore[misc]  # rasa_sdk ships no types
    """Details given once identified: products go on with the task asked for, else "why?".

    "3 x Wireless Keyboard and 3 x Wireless Mouse", said by an identified
    customer with no form running (after a "no" to a summary that was wrong,
    say), is read as details (``inform``). With products, the step the
    customer asked for last starts with them (``FollowupAction``): the order
    form (shown for the explicit "yes") after an order request, the quote
    form (which asks the date) after a quote request or talk of a quote or
    an offer ("can you make us an offer?"); with no such request, the bot
    asks whether to place an order (``utter_confirm_write``, as for a write
    held back by the write guard: "yes" runs the message again as
    ``place_order``), as it does once that task is done (an order placed:
    the same products again are asked about, never ordered twice at once).
    Without products, an e-mail address or a phone number is asked about as a
    contact change ("sorry, typo: it's p.moreau69@example.com", just after one);
    anything else goes on to ``utter_inform_unclear`` ("What would you like me
    to do with that?").
    """

    def name(self) -> str:
        return "action_read_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entities = tracker.latest_message.get("entities") or []
        questions = tracker.get_slot("write_questions") or {}
        if not any(e.get("entity") == "product" and e.get("value") for e in entities):
            # "sorry typo, it's p.moreau69@example.com": a new address or number, asked about.
            contact = any(
                e.get("entity") in ("email", "phone") and e.get("value") for e in entities
            )
            if contact and questions.get("update_contact"):
                return [
                    SlotSet("suggestion_1", "update_contact"),
                    SlotSet("write_question", str(questions["update_contact"])),
                    FollowupAction("utter_confirm_write"),
                ]
            return []
        task, quote = tracker.get_slot("pending_task"), spoke_of_a_quote(tracker)
        if (task == "quote" or quote) and not done(tracker, "quote_ready"):
            return [FollowupAction("quote_form")]
        if task == "order" and not done(tracker, "order_placed") and not quote:
            return [FollowupAction("order_form")]
        # The domain of each language holds its own words; the table, only a fallback.
        asked = questions.get("place_order") or words(language(tracker)).place_order_question
        return [
            SlotSet("suggestion_1", "place_order"),
            SlotSet("write_question", str(asked)),
            FollowupAction("utter_confirm_write"),
        ]
