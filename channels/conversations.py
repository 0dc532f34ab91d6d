"""One turn of a conversation, whatever the door: transcript, bot, fallback.

Every door (web chat, API, SMS, voice) calls :func:`take_turn`, so they all
keep transcripts and degrade the same way when the bot is down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from anyio import to_thread

from crm_backend.errors import CrmUnavailable

from . import transcripts
from .rasa_client import BotMessage, Button, RasaClient, RasaUnavailable
from .transcripts import UowFactory

log = logging.getLogger(__name__)

# What the customer reads when the bot cannot answer. Said here, not in the
# domain, because Rasa itself is what failed.
FALLBACK_TEXT = (
    "Sorry, I can't answer right now because of a technical problem. "
    "Your message is saved. Would you like a person to call you back?"
)
FALLBACK_BUTTONS = (
    Button(title="Yes, call me back", payload="/request_human"),
    Button(title="I'll try again later", payload="/goodbye"),
)


@dataclass(frozen=True)
class Turn:
    """The bot's answer to one customer message."""

    messages: list[BotMessage]
    handed_off: bool = False
    degraded: bool = False


async def take_turn(
    *,
    rasa: RasaClient,
    uow_factory: UowFactory,
    conversation_id: str,
    channel: str,
    text: str,
    metadata: dict[str, Any],
) -> Turn:
    """Record the customer's message, ask the bot, record and return its answer."""
    await _record(uow_factory, conversation_id, channel, "customer", [(text, {})])
    try:
        messages = await rasa.send(conversation_id, text, metadata=metadata)
    except RasaUnavailable:
        log.exception("bot unavailable for conversation %s", conversation_id)
        fallback = BotMessage(text=FALLBACK_TEXT, buttons=FALLBACK_BUTTONS)
        await _record(uow_factory, conversation_id, channel, "system", [(FALLBACK_TEXT, {})])
        return Turn(messages=[fallback], degraded=True)
    await _record(
        uow_factory,
        conversation_id,
        channel,
        "bot",
        [
            (m.text, {"buttons": [b.__dict__ for b in m.buttons]} if m.buttons else {})
            for m in messages
        ],
    )
    return Turn(messages=messages)


async def _record(
    uow_factory: UowFactory,
    conversation_id: str,
    channel: str,
    role: str,
    texts: list[tuple[str, dict[str, Any]]],
) -> None:
    try:
        await to_thread.run_sync(
            lambda: transcripts.record(
                uow_factory,
                conversation_id=conversation_id,
                channel=channel,
                role=role,
                texts=texts,
            )
        )
    except CrmUnavailable:
        # The conversation goes on; the log keeps what the transcript could not.
        log.exception("transcript not written for %s (%s): %r", conversation_id, role, texts)
