"""The start of a conversation: its channel, its interaction record, a trusted caller's account.

The gateway passes ``{"channel": "web"|"sms"|"voice", "caller_phone": "+33..."}``
as message metadata; ``caller_phone`` is there only when the number is
trusted (integration token or signed Twilio webhook). A trusted number that
belongs to exactly one account makes that account the candidate, and the
identification then only asks the caller to confirm the name.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.services import accounts, interactions

from . import runtime

CHANNELS = frozenset({"web", "sms", "voice"})
DEFAULT_CHANNEL = "web"


def session_metadata(tracker: Tracker) -> dict[str, Any]:
    """The metadata the session started with, else that of the latest message."""
    for metadata in (
        tracker.get_slot("session_started_metadata"),
        tracker.latest_message.get("metadata"),
    ):
        if isinstance(metadata, dict) and metadata:
            return metadata
    return {}


def message_with(tracker: Tracker, intent: str) -> dict[str, Any]:
    """The customer's latest message with that intent (its parse data), else the latest one.

    A request made before the identification ("my quote is too expensive")
    is carried out after it, when the latest message is the "yes" of the
    confirmation: the words to keep are those of the request.
    """
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parsed = event.get("parse_data") or {}
        if (parsed.get("intent") or {}).get("name") == intent:
            return {**parsed, "text": event.get("text") or parsed.get("text") or ""}
    return dict(tracker.latest_message)


def said_with(tracker: Tracker, intent: str) -> str:
    """The words of the customer's latest message with that intent (else the latest)."""
    return str(message_with(tracker, intent).get("text") or "").strip()


def channel_of(metadata: dict[str, Any]) -> str:
    """The conversation's channel, ``web`` unless the metadata names another we know."""
    channel = str(metadata.get("channel") or "").strip().lower()
    return channel if channel in CHANNELS else DEFAULT_CHANNEL


class ActionSessionStart(runtime.CrmAction):
    """Start a session: channel, interaction record, and the trusted caller's candidate account.

    Slots set: ``channel``; with a trusted caller number matching one account,
    ``caller_known``, ``account_candidate_id``, ``candidate_name`` and
    ``identified_by: caller_phone``. No slot carries over from a previous
    session (the domain's ``carry_over_slots_to_new_session: false``): a
    shared device must not keep somebody else's account.
    """

    def name(self) -> str:
        return "action_session_start"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        metadata = session_metadata(tracker)
        channel = channel_of(metadata)
        caller_phone = metadata.get("caller_phone")
        with runtime.unit_of_work() as uow:
            interactions.ensure_interaction(
                uow, channel=channel, conversation_id=tracker.sender_id, now=runtime.now()
            )
            found = accounts.find_accounts(uow, phone=caller_phone) if caller_phone else []
            # One account per number, or nobody: a shared number cannot say who calls.
            caller = (str(found[0].id), found[0].name) if len(found) == 1 else None
            uow.commit()
        events = [SessionStarted(), SlotSet("channel", channel)]
        if caller is not None:
            events += [
                SlotSet("caller_known", True),
                SlotSet("account_candidate_id", caller[0]),
                SlotSet("candidate_name", caller[1]),
                SlotSet("identified_by", "caller_phone"),
            ]
        return [*events, ActionExecuted("action_listen")]

    def unavailable_events(self, tracker: Tracker, events: list[EventType]) -> list[EventType]:
        # The conversation starts anyway; the steps that need the CRM will say it is down.
        channel = channel_of(session_metadata(tracker))
        return [SessionStarted(), SlotSet("channel", channel), ActionExecuted("action_listen")]
