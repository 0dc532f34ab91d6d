"""Handoffs as the gateway lives them: the bot silent while a person owns the conversation.

The bot decides to hand off (``action_handoff`` queues the conversation in
the CRM) and says so in a response whose custom payload carries
``{"handoff": {...}}``. From then on, until an agent hands the conversation
back or closes it, or the customer leaves the queue:

- :func:`announced_handoff` spots that payload in the bot's answer;
  :func:`silence_the_bot` pauses the conversation in Rasa (its HTTP API), so
  nothing, not even a reminder, makes the bot speak in it.
- :func:`while_handed_off`: the doors (through ``take_turn``) send no
  customer message to Rasa; the message is in the transcript and the desk
  sees it. While the conversation still waits for an agent, a message the
  NLU reads as ``cancel`` ("never mind", the web page's "Back to the
  assistant") takes it out of the queue and the bot speaks again.
- :mod:`channels.desk.agent_desk`: what the desk does for an agent. Its answers,
  notices and the bot's words after the hand-back are "pushed" transcript
  entries: the web chat page fetches them from its event feed
  (:func:`conversation_events`), an SMS conversation gets them by the
  outbound client.

The CRM (the ``handoffs`` table) is the truth every gateway process shares:
whether a conversation is handed off is read there on every turn, never
kept in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crm_backend.errors import HandoffNotWaiting
from crm_backend.models import Handoff, HandoffStatus, TranscriptEntry
from crm_backend.redact import mask
from crm_backend.services import handoff

from ..deps import UowFactory, in_thread
from .live import LiveUpdates
from .rasa_client import BotMessage, Button, RasaClient, RasaUnavailable
from .transcripts import buttons_of

log = logging.getLogger(__name__)

HANDOFF = "handoff"
# "never mind" while waiting: the NLU's cancel intent, or the web page's button payload.
CANCEL_INTENT = "cancel"
CANCEL_PAYLOAD = "/cancel"
CANCEL_CONFIDENCE = 0.7
# What the bot says when the customer leaves the queue (a response in domain/handoff.yml).
LEFT_THE_QUEUE = "utter_left_queue"


@dataclass(frozen=True)
class HandoffState:
    """Where a conversation's handoff stands, for the doors and the web page."""

    id: int
    status: str
    agent: str | None


@dataclass(frozen=True)
class PushedEvent:
    """A message the customer gets outside the bot's answers (an agent's, the bot's after it)."""

    id: int
    role: str
    text: str
    at: str
    author: str | None
    buttons: tuple[Button, ...]


def announced_handoff(messages: Sequence[BotMessage]) -> dict[str, Any] | None:
    """The bot's custom ``handoff`` payload in its answer, if it handed off."""
    for message in messages:
        payload = message.custom.get(HANDOFF)
        if isinstance(payload, dict):
            return payload
    return None


def shown(messages: Sequence[BotMessage]) -> list[BotMessage]:
    """The messages a customer sees: not the ones that only carry a custom payload."""
    return [m for m in messages if m.text.strip() or m.buttons]


async def active_handoff(uow_factory: UowFactory, conversation_id: str) -> HandoffState | None:
    """The conversation's waiting or assigned handoff, if any.

    Raises:
        CrmUnavailable: the database cannot be reached.
    """

    def read() -> HandoffState | None:
        with uow_factory() as uow:
            return active_handoff_in(uow, conversation_id)

    return await in_thread(read)


def active_handoff_in(uow: Any, conversation_id: str) -> HandoffState | None:
    """The conversation's waiting or assigned handoff, read in ``uow`` (in a worker thread)."""
    found = handoff.active_handoff_for(uow, conversation_id=conversation_id)
    return _state(found) if found is not None else None


async def silence_the_bot(rasa: RasaClient, conversation_id: str) -> None:
    """Pause the conversation in Rasa; a failure is logged (the CRM still routes to the desk)."""
    try:
        await rasa.pause(conversation_id)
    except RasaUnavailable:
        log.exception("conversation %s handed off but not paused in Rasa", mask(conversation_id))


async def while_handed_off(
    *,
    rasa: RasaClient,
    uow_factory: UowFactory,
    state: HandoffState,
    conversation_id: str,
    text: str,
    live: LiveUpdates | None = None,
    language: str | None = None,
) -> tuple[list[BotMessage], bool]:
    """A customer message while a person owns the conversation: (the bot's messages, handed off).

    ``language``: the conversation's (default: as the Rasa client finds it).

    The message is already in the transcript. While it waits, a "never mind"
    takes the conversation out of the queue and the bot speaks again;
    otherwise the bot stays silent and the desk sees the message.
    """
    if state.status == HandoffStatus.WAITING and await _wants_the_bot(
        rasa, text, language or await rasa.language_of(conversation_id)
    ):

        def leave() -> bool:
            with uow_factory() as uow:
                try:
                    handoff.leave_queue(uow, handoff_id=state.id)
                except HandoffNotWaiting:
                    return False  # an agent took it meanwhile: the message is theirs
                uow.commit()
                return True

        if await in_thread(leave):
            if live is not None:
                live.notify()
            return await _bot_again(rasa, conversation_id, LEFT_THE_QUEUE), False
    if live is not None:
        live.notify()
    return [], True


async def _wants_the_bot(rasa: RasaClient, text: str, language: str) -> bool:
    if text.strip().lower() == CANCEL_PAYLOAD:
        return True
    try:
        intent, confidence = await rasa.parse(text, language=language)
    except RasaUnavailable:
        log.warning("no NLU to read a message during a handoff: it goes to the agent")
        return False
    return intent == CANCEL_INTENT and confidence >= CANCEL_CONFIDENCE


async def _bot_again(rasa: RasaClient, conversation_id: str, action: str) -> list[BotMessage]:
    """Resume the conversation in Rasa and have the bot say ``action``."""
    try:
        await rasa.resume(conversation_id)
        return shown(await rasa.say(conversation_id, action))
    except RasaUnavailable:
        log.exception("the bot could not take %s back", mask(conversation_id))
        return []


# The most transcript entries one read of the event feed looks at; the cursor goes on from there.
FEED_PAGE = 200


def conversation_events(
    uow_factory: UowFactory, conversation_id: str, *, after: int | None
) -> tuple[list[PushedEvent], int, HandoffState | None]:
    """The pushed messages after ``after``, the cursor to ask from next, and the handoff.

    Without ``after`` only the cursor and the state come back: a page that
    starts listening gets what happens from then on. With it, only entries
    after the cursor are read (at most :data:`FEED_PAGE`), never the whole
    transcript: a long poll asks every second.
    """
    with uow_factory() as uow:
        entries: Sequence[TranscriptEntry] = []
        if after is None:
            latest = uow.transcripts.latest_for(conversation_id, limit=1)
            cursor = latest[0].id if latest else 0
        else:
            entries = uow.transcripts.after(conversation_id, after_id=after, limit=FEED_PAGE)
            cursor = entries[-1].id if entries else after
        found = handoff.active_handoff_for(uow, conversation_id=conversation_id)
        return (
            [
                PushedEvent(
                    id=e.id,
                    role=e.role,
                    text=e.text,
                    at=e.at.isoformat(),
                    author=(e.payload or {}).get("agent"),
                    buttons=buttons_of(e.payload),
                )
                for e in entries
                if (e.payload or {}).get("pushed")
            ],
            cursor,
            _state(found) if found is not None else None,
        )


def _state(handoff: Handoff) -> HandoffState:
    agent = handoff.agent.display_name if handoff.agent is not None else None
    return HandoffState(id=handoff.id, status=str(handoff.status), agent=agent)
