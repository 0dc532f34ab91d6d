"""Trackers as Rasa sends them, and what an action said, for the action tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

# A Monday, so delivery dates and survey calls are easy to check by hand.
CALL_DAY = dt.date(2026, 3, 2)
CALL_START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SENDER = "web-3f1c2d4e-0000-4000-8000-000000000001"


def tracker(
    *,
    slots: dict[str, Any] | None = None,
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    text: str = "",
    metadata: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    sender_id: str = SENDER,
    active_loop: str | None = None,
    requested_slot: str | None = None,
    latest_action_name: str = "action_listen",
) -> Tracker:
    """A tracker as Rasa sends it to the action server.

    Without ``events``, the events are one user message matching the latest message.
    """
    latest: dict[str, Any] = {
        "intent": {"name": intent, "confidence": 0.99} if intent else {},
        "entities": entities or [],
        "text": text,
        "metadata": metadata or {},
    }
    if events is None:
        events = [user_event(text, intent=intent, entities=entities, metadata=metadata)]
    all_slots = dict(slots or {})
    if requested_slot is not None:
        all_slots["requested_slot"] = requested_slot
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=latest_action_name,
    )


def user_event(
    text: str,
    *,
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    timestamp: float = 1_772_442_000.0,
) -> dict[str, Any]:
    """A user event as it appears in a tracker's events."""
    return {
        "event": "user",
        "timestamp": timestamp,
        "text": text,
        "parse_data": {
            "intent": {"name": intent, "confidence": 0.99} if intent else {},
            "entities": entities or [],
            "text": text,
        },
        "metadata": metadata or {},
        "input_channel": "rest",
    }


def entity(name: str, value: Any, *, role: str | None = None) -> dict[str, Any]:
    """An extracted entity."""
    found: dict[str, Any] = {"entity": name, "value": value, "start": 0, "end": 0}
    if role is not None:
        found["role"] = role
    return found


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The response names the action uttered, in order."""
    return [m["response"] for m in dispatcher.messages]


def said(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    """Each message as its response name and the variables passed with it."""
    fixed = {"text", "buttons", "elements", "custom", "template", "response", "image"}
    fixed.add("attachment")
    return [
        {"response": m["response"], **{k: v for k, v in m.items() if k not in fixed}}
        for m in dispatcher.messages
    ]


def slot_event(name: str, value: Any) -> dict[str, Any]:
    """A slot event as it appears in a tracker's events."""
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def form_tracker(
    form: str,
    *,
    requested_slot: str | None,
    slots: dict[str, Any] | None = None,
    filled: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform",
    entities: list[dict[str, Any]] | None = None,
    sender_id: str = SENDER,
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker as Rasa sends it to ``validate_<form>``; ``filled``: slots set by this message."""
    new = dict(filled or {})
    events = [
        user_event(text, intent=intent, entities=entities, metadata=metadata),
        *(slot_event(name, value) for name, value in new.items()),
    ]
    return tracker(
        slots={**(slots or {}), **new},
        intent=intent,
        entities=entities,
        text=text,
        events=events,
        active_loop=form,
        requested_slot=requested_slot,
        sender_id=sender_id,
        metadata=metadata,
    )
