"""One turn of a conversation, whatever the door: transcript, handoff, bot, fallback.

Every door (web chat, API, SMS, voice) calls :func:`take_turn`, so they all
keep transcripts, speak the conversation's language (:mod:`channels.conversations.language`:
the turn chooses it, the message goes to that language's Rasa server with
``language`` in its metadata), stay with the agent while a person owns the
conversation (:mod:`channels.conversations.handoff`), and degrade the same way
when the bot is down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from crm_backend.errors import CrmUnavailable
from crm_backend.redact import mask

from ..deps import UowFactory, in_thread
from . import apology, handoff, transcripts
from .dialogue import DialogueState
from .language import ConversationLanguages, rasa_metadata
from .live import LiveUpdates
from .rasa_client import BotMessage, RasaClient, RasaUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Turn:
    """The bot's answer to one customer message."""

    messages: list[BotMessage]
    handed_off: bool = False
    degraded: bool = False
    # The bot handed off in this turn (not: the conversation was already with a person).
    queued: bool = False
    # After the turn, when the door asked for it (take_turn's dialogue_state).
    dialogue: DialogueState | None = None


async def take_turn(
    *,
    rasa: RasaClient,
    uow_factory: UowFactory,
    conversation_id: str,
    channel: str,
    text: str,
    metadata: dict[str, Any],
    live: LiveUpdates | None = None,
    dialogue_state: bool = False,
) -> Turn:
    """Record the customer's message, ask the bot, record and return its answer.

    While the conversation is handed off, the message goes to the agent and
    the bot says nothing (``handed_off`` is then true); when the bot hands
    off in this turn, the conversation is paused in Rasa.

    Args:
        metadata: what the door trusts, for Rasa; the language hints in it
            (:mod:`channels.conversations.language`) choose the language and stay here.
        live: wakes the desk's live views at once (they also poll the CRM).
        dialogue_state: ask Rasa for the dialogue's state after the turn (``Turn.dialogue``).
    """
    state = await _customer_said(uow_factory, conversation_id, channel, text)
    languages = rasa.conversation_languages or ConversationLanguages(
        uow_factory, spoken=lambda: rasa.languages
    )
    choice = await languages.choose(conversation_id, text, metadata)
    if state is not None:
        said, handed_off = await handoff.while_handed_off(
            rasa=rasa,
            uow_factory=uow_factory,
            state=state,
            conversation_id=conversation_id,
            text=text,
            live=live,
            language=choice.language,
        )
        await _record_bot(uow_factory, conversation_id, channel, said)
        return Turn(messages=said, handed_off=handed_off)
    try:
        # Until the identified account is known, its preferred language may still apply.
        messages = await rasa.send(
            conversation_id,
            text,
            metadata=rasa_metadata(metadata, choice.language),
            dialogue_state=dialogue_state or not choice.account_checked,
            language=choice.language,
        )
    except RasaUnavailable:
        log.exception("bot unavailable for conversation %s", mask(conversation_id))
        fallback = BotMessage(text=apology.CHAT, buttons=apology.CHAT_BUTTONS)
        await transcripts.record(
            uow_factory,
            conversation_id=conversation_id,
            channel=channel,
            role="system",
            texts=[(apology.CHAT, {})],
        )
        return Turn(messages=[fallback], degraded=True)
    handed_off = handoff.announced_handoff(messages) is not None
    dialogue = DialogueState.of(messages)
    await languages.after_turn(conversation_id, choice, dialogue)
    messages = handoff.shown(messages)
    await _record_bot(uow_factory, conversation_id, channel, messages)
    if handed_off:
        await handoff.silence_the_bot(rasa, conversation_id)
        if live is not None:
            live.notify()
    return Turn(messages=messages, handed_off=handed_off, queued=handed_off, dialogue=dialogue)


async def _customer_said(
    uow_factory: UowFactory, conversation_id: str, channel: str, text: str
) -> handoff.HandoffState | None:
    """Write the customer's message and read the conversation's handoff: one trip to the CRM.

    A CRM that is down loses the entry (logged) and the bot answers.
    """

    def write_and_read() -> handoff.HandoffState | None:
        with uow_factory() as uow:
            transcripts.add(
                uow,
                conversation_id=conversation_id,
                channel=channel,
                role="customer",
                texts=[(text, {})],
            )
            uow.commit()
            return handoff.active_handoff_in(uow, conversation_id)

    try:
        return await in_thread(write_and_read)
    except CrmUnavailable:
        # The log says what was lost, not what was said (issue 10, #8).
        log.exception(
            "transcript not written for %s (customer): 1 text(s) lost", mask(conversation_id)
        )
        log.exception("handoff state of %s unknown: the bot answers", mask(conversation_id))
        return None


async def _record_bot(
    uow_factory: UowFactory, conversation_id: str, channel: str, messages: list[BotMessage]
) -> None:
    if not messages:
        return
    await transcripts.record(
        uow_factory,
        conversation_id=conversation_id,
        channel=channel,
        role="bot",
        texts=[(m.text, transcripts.bot_payload(m)) for m in messages],
    )
