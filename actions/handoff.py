"""Handing the conversation to a person: ``action_handoff`` (docs/dialogue.md §6.9).

The triggers are rules (a request for a person, a complaint, a cancellation,
a second misunderstanding in a row, an order above the bot's limit); this
action asks the CRM whether a person takes the conversation now
(``handoff.request_handoff``: opening hours, the topics handed off, the
queue) and turns the answer into slots, which ``utter_handoff_result`` says:

- ``handoff_queued``: ``handoff_id``, ``handoff_position``, ``handoff_wait``; the
  response's custom payload tells the gateway, which pauses the conversation
  in Rasa until the agent hands it back;
- ``desk_closed``: ``desk_hours``; the response offers a call back;
- ``callback_offered``: a topic the desk does not take (settings); a call back too.
  Also when the gateway says the client has asked for people too often
  (``handoff_allowed: false`` in the message's metadata, which only the
  gateway sets): nobody is queued, so fresh conversations cannot flood the desk.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.models import HandoffReason
from crm_backend.services import handoff
from crm_backend.services.handoff import Outcome
from crm_backend.services.handoff_queue import WAIT_CAP

from . import runtime
from .languages import words
from .messages import caller_phone, channel, intent_of, language

# Which intent says why the customer wants a person.
REASON_OF_INTENT = {
    "request_human": HandoffReason.REQUESTED,
    "complain": HandoffReason.COMPLAINT,
    "cancel_order": HandoffReason.CANCELLATION,
}
RESULTS = {
    Outcome.QUEUED: "handoff_queued",
    Outcome.DESK_CLOSED: "desk_closed",
    Outcome.NOT_FOR_TOPIC: "callback_offered",
}
# What the agent needs no copy of: the words of the domain, the bot's bookkeeping.
NOT_FOR_THE_AGENT = frozenset(
    {"intent_labels", "session_started_metadata", "requested_slot", "form_notice", "result"}
)


# Set by the gateway in a message's metadata when the client's handoffs are spent.
HANDOFF_ALLOWED = "handoff_allowed"
# The flags a handoff, or its refusal, resets.
RESET: tuple[EventType, ...] = (
    SlotSet("order_needs_adviser", None),
    SlotSet("misunderstood_twice", None),
)


def handoff_allowed(tracker: Tracker) -> bool:
    """Whether the gateway lets this message's client reach a person (only ``false`` refuses)."""
    metadata = tracker.latest_message.get("metadata")
    return not (isinstance(metadata, dict) and metadata.get(HANDOFF_ALLOWED) is False)


def reason(tracker: Tracker) -> HandoffReason:
    """Why the conversation goes to a person, from what just happened."""
    latest = intent_of(tracker.latest_message)
    if latest in REASON_OF_INTENT:
        return REASON_OF_INTENT[latest]
    if tracker.get_slot("order_needs_adviser"):
        return HandoffReason.LARGE_ORDER
    if tracker.get_slot("misunderstood_twice"):
        return HandoffReason.MISUNDERSTOOD
    return HandoffReason.REQUESTED


def wait_in_words(wait: dt.timedelta, *, language: str = "en") -> str:
    """``under a minute``, ``about 1 minute``, ``about 6 minutes`` (rounded up), and at the
    estimate's cap ``an hour or more``: past it no number of minutes would be a promise.

    In the conversation's language (``environ 6 minutes``).
    """
    said = words(language)
    if wait >= WAIT_CAP:
        return said.wait_long
    minutes = math.ceil(wait.total_seconds() / 60)
    if minutes <= 0:
        return said.wait_short
    return said.wait_minutes(minutes)


def known_slots(tracker: Tracker) -> dict[str, Any]:
    """What the bot knew, for the agent: every filled slot but its bookkeeping."""
    return {
        name: value
        for name, value in tracker.current_slot_values().items()
        if name not in NOT_FOR_THE_AGENT
        and not name.startswith("suggestion_")
        and value not in (None, "", [], {})
    }


class ActionHandoff(runtime.CrmAction):
    """Queue the conversation for an agent, or say why nobody takes it now.

    Reads the latest intent, ``order_needs_adviser``, ``misunderstood_twice``
    (the reason), ``account_id`` (only a verified account), the channel and
    the trusted caller number (where an SMS answer goes), and the gateway's
    ``handoff_allowed`` flag on the latest message. Sets ``result``
    (``handoff_queued``, ``desk_closed``, ``callback_offered``) with
    ``handoff_id``, ``handoff_position``, ``handoff_wait`` or ``desk_hours``,
    and resets ``order_needs_adviser`` and ``misunderstood_twice``.
    """

    def name(self) -> str:
        return "action_handoff"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not handoff_allowed(tracker):
            return [*RESET, SlotSet("result", RESULTS[Outcome.NOT_FOR_TOPIC])]
        account_id = tracker.get_slot("account_id")
        said_on, lang = channel(tracker), language(tracker)
        with runtime.unit_of_work() as uow:
            decision = handoff.request_handoff(
                uow,
                conversation_id=tracker.sender_id,
                channel=said_on,
                reason=reason(tracker),
                settings=runtime.settings().handoff,
                account_id=int(account_id) if account_id else None,
                reply_to=caller_phone(tracker),
                detail=str(tracker.latest_message.get("text") or ""),
                slots=known_slots(tracker),
                now=runtime.now(),
            )
            handoff_id = decision.handoff.id if decision.handoff is not None else None
            uow.commit()
        events: list[EventType] = list(RESET)
        if decision.outcome is Outcome.QUEUED:
            events += [
                SlotSet("handoff_id", str(handoff_id)),
                SlotSet("handoff_position", str(decision.position)),
                SlotSet("handoff_wait", wait_in_words(decision.wait, language=lang)),
            ]
        else:
            # The service says the hours in English; the same hours, in the conversation's words.
            hours = runtime.settings().handoff.hours.describe(language=lang)
            events.append(SlotSet("desk_hours", hours))
        return [*events, SlotSet("result", RESULTS[decision.outcome])]

    def unavailable_events(self, tracker: Tracker, events: list[EventType]) -> list[EventType]:
        # The CRM is down: nobody can be queued; the flags go, the apology comes.
        return [*RESET, *events]
