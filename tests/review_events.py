"""Rasa's tracker store as review reads it: an ``events`` table with rows Rasa would write.

:func:`store_events` writes a conversation's events into a SQLite tracker
store (the table of :mod:`crm_backend.tracker_store`, as Rasa's SQL store
makes it); :func:`user`, :func:`action` and :func:`slot` make the events, the
customer's with the ``parse_data`` Rasa's NLU gives (intent, confidence,
ranking, entities).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import create_engine, insert

from crm_backend.tracker_store import EVENTS

DAY = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)


def user(
    text: str,
    intent: str,
    confidence: float,
    *ranking: tuple[str, float],
    at: float,
    channel: str = "web",
    entities: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A customer's message as Rasa stores it."""
    return {
        "event": "user",
        "timestamp": at,
        "text": text,
        "metadata": {"channel": channel},
        "input_channel": "gateway",
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities or [],
            "intent_ranking": [
                {"name": intent, "confidence": confidence},
                *({"name": n, "confidence": c} for n, c in ranking),
            ],
        },
    }


def action(name: str, *, at: float) -> dict[str, Any]:
    """An action the bot ran."""
    return {"event": "action", "timestamp": at, "name": name}


def slot(name: str, value: Any, *, at: float) -> dict[str, Any]:
    """A slot the bot set."""
    return {"event": "slot", "timestamp": at, "name": name, "value": value}


def store_events(url: str, sender: str, events: list[dict[str, Any]]) -> None:
    """Add a conversation's events to the tracker store at ``url`` (made if missing)."""
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    rows = [
        {
            "sender_id": sender,
            "type_name": e["event"],
            "timestamp": e["timestamp"],
            "intent_name": (e.get("parse_data") or {}).get("intent", {}).get("name"),
            "action_name": e.get("name") if e["event"] == "action" else None,
            "data": json.dumps(e),
        }
        for e in events
    ]
    with engine.begin() as connection:
        connection.execute(insert(EVENTS), rows)
    engine.dispose()


def misunderstood_twice(start: dt.datetime = DAY, *, channel: str = "web") -> list[dict[str, Any]]:
    """Pierre greets, is not understood twice (the second time with his e-mail), then leaves."""
    t = start.timestamp()
    return [
        action("action_session_start", at=t),
        user("hello", "greet", 0.98, ("goodbye", 0.01), at=t + 1, channel=channel),
        action("utter_greet", at=t + 1.1),
        action("action_listen", at=t + 1.2),
        user(
            "the blue thing for pierre.moreau@example.fr",
            "nlu_fallback",
            0.2,
            ("ask_product_info", 0.12),
            ("place_order", 0.1),
            at=t + 2,
            channel=channel,
        ),
        action("action_clarify", at=t + 2.1),
        action("action_listen", at=t + 2.2),
        slot("customer_name", "Pierre Moreau", at=t + 2.3),
        user(
            "Moreau here, ring me on 06 12 34 56 78 about it",
            "request_human",
            0.31,
            ("update_contact", 0.3),
            at=t + 3,
            channel=channel,
        ),
        action("action_clarify", at=t + 3.1),
        action("action_handoff", at=t + 3.2),
        action("action_listen", at=t + 3.3),
    ]


def understood(start: dt.datetime = DAY, *, channel: str = "web") -> list[dict[str, Any]]:
    """A conversation the bot understood throughout."""
    t = start.timestamp()
    return [
        user("hi", "greet", 0.99, at=t + 1, channel=channel),
        action("utter_greet", at=t + 1.1),
        user("bye", "goodbye", 0.97, at=t + 2, channel=channel),
        action("utter_goodbye", at=t + 2.1),
    ]
