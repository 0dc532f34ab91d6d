"""What a customer chose by a button, as they saw it.

A button sends its payload as the customer's message ("/affirm",
``/inform{"contact_field": "phone"}``), and the transcript keeps that payload.
The agent reads what the customer saw: the title of the button, found among
the buttons the bot offered before (kept in its entries' payloads,
:func:`channels.conversations.transcripts.buttons_of`); for a payload no
offered button carries, the intent in words, never the payload itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

# "/intent" or "/intent{...json...}": how Rasa reads a message as an intent and its entities.
_INTENT = re.compile(r"^/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?$", re.DOTALL)
# Intents whose buttons say something else than their name.
INTENT_WORDS = {
    "affirm": "Yes",
    "deny": "No",
    "request_human": "Talk to a person",
    "help": "Help",
    "greet": "Hello",
    "goodbye": "Goodbye",
}


def chosen(text: str, offered: Mapping[str, str]) -> str | None:
    """The title of the button whose payload is ``text``, else its intent in words.

    Args:
        text: what the customer's message holds.
        offered: payload → title of the buttons the bot offered before it,
            the latest offer of a payload winning.

    Returns:
        What the customer saw and chose, or None when ``text`` is no button's
        payload and no intent (the customer typed it: it reads as it is).
    """
    said = text.strip()
    if said in offered and offered[said].strip():
        return offered[said].strip()
    found = _INTENT.match(said)
    if found is None:
        return None
    return intent_in_words(found["intent"], found["entities"])


def intent_in_words(intent: str, entities: str | None = None) -> str:
    """ "affirm" → "Yes"; "ask_product_info" → "Ask product info"; entities' values after."""
    words = INTENT_WORDS.get(intent) or intent.replace("_", " ").strip().capitalize()
    values = _entity_values(entities)
    return f"{words}: {', '.join(values)}" if values else words


def _entity_values(entities: str | None) -> list[str]:
    if not entities:
        return []
    try:
        parsed = json.loads(entities)
    except ValueError:
        return []
    if not isinstance(parsed, dict):
        return []
    return [
        " ".join(str(v).replace("_", " ").split())
        for v in parsed.values()
        if v not in (None, "") and not isinstance(v, dict | list)
    ]
