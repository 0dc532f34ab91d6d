"""What the customer said and where: metadata, the channel, messages, entities.

Small readers of the tracker that several IC steps share.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

CHANNELS = frozenset({"web", "sms", "voice"})
DEFAULT_CHANNEL = "web"
LANGUAGES = frozenset({"en", "fr"})
DEFAULT_LANGUAGE = "en"


def session_metadata(tracker: Tracker) -> dict[str, Any]:
    """The metadata the session started with, else that of the latest message."""
    for metadata in (
        tracker.get_slot("session_started_metadata"),
        tracker.latest_message.get("metadata"),
    ):
        if isinstance(metadata, dict) and metadata:
            return metadata
    return {}


def channel_of(metadata: dict[str, Any]) -> str:
    """The conversation's channel, ``web`` unless the metadata names another we know."""
    channel = str(metadata.get("channel") or "").strip().lower()
    return channel if channel in CHANNELS else DEFAULT_CHANNEL


def channel(tracker: Tracker) -> str:
    """The channel of the conversation, as the session start set it."""
    value = tracker.get_slot("channel")
    return str(value) if value in CHANNELS else DEFAULT_CHANNEL


def language(tracker: Tracker) -> str:
    """The conversation's language: ``en`` or ``fr``, from the latest message's metadata.

    The gateway sets ``language`` on every message it passes on (and drops any
    value a client sends); a message without one, or with a language we do
    not speak, is answered in English.
    """
    metadata = tracker.latest_message.get("metadata")
    said = metadata.get("language") if isinstance(metadata, dict) else None
    return said if isinstance(said, str) and said in LANGUAGES else DEFAULT_LANGUAGE


def caller_phone(tracker: Tracker) -> str | None:
    """The caller number the gateway trusted (token or signed webhook), if any."""
    phone = session_metadata(tracker).get("caller_phone")
    return str(phone) if phone else None


def intent_of(message: dict[str, Any]) -> str | None:
    """The intent of a parsed message."""
    name = (message.get("intent") or {}).get("name")
    return str(name) if name else None


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
        if intent_of(parsed) == intent:
            return {**parsed, "text": event.get("text") or parsed.get("text") or ""}
    return dict(tracker.latest_message)


def said_with(tracker: Tracker, intent: str) -> str:
    """The words of the customer's latest message with that intent (else the latest).

    A button ("Feedback on a quote", offered when the bot was unsure) says
    what the words were, not the words: they are the customer's message just
    before it. Empty when there are no words.
    """
    said = str(message_with(tracker, intent).get("text") or "").strip()
    if not said.startswith("/"):
        return said
    users = [e for e in tracker.events if e.get("event") == "user"]
    texts = [str(e.get("text") or "").strip() for e in users]
    for index in range(len(texts) - 1, 0, -1):
        if texts[index] == said and not texts[index - 1].startswith("/"):
            return texts[index - 1]
    return ""


def entity_values(message: dict[str, Any], name: str) -> list[str]:
    """The values of one entity in a parsed message, in order."""
    return [
        str(e["value"])
        for e in message.get("entities") or []
        if e.get("entity") == name and e.get("value") not in (None, "")
    ]


def last_bot_response(tracker: Tracker) -> str | None:
    """The response the bot uttered last."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            return str(name) if name else None
    return None


def ran(tracker: Tracker, action: str) -> bool:
    """Whether the action ran in this conversation."""
    return any(e.get("event") == "action" and e.get("name") == action for e in tracker.events)
