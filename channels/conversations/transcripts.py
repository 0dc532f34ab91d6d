"""The transcript of every conversation, kept in the CRM database.

The customer's message is written before the bot is asked and the bot's
answer after, so a message survives a bot that is down. A door writes with
:func:`record`, straight from the event loop: a CRM that is down never
fails the turn. Code already in a worker thread (the outbound client, the
desk's actions) writes with :func:`write`, which says when the CRM is down.

A bot message's buttons are kept in its entry's payload, ``{"buttons":
[{"title": …, "payload": …}]}``: :func:`bot_payload` writes them and
:func:`buttons_of` reads them back, both through :class:`Button`'s own
conversion.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from anyio import to_thread

from crm_backend.errors import CrmUnavailable
from crm_backend.models import TranscriptEntry
from crm_backend.redact import mask

from ..deps import UowFactory
from .rasa_client import BotMessage, Button

log = logging.getLogger(__name__)

# (text, payload) of one entry.
Entries = Iterable[tuple[str, dict[str, Any]]]


def write(
    uow_factory: UowFactory,
    *,
    conversation_id: str,
    channel: str,
    role: str,
    texts: Entries,
) -> None:
    """Append messages of one speaker to a conversation's transcript, in this thread.

    Raises:
        CrmUnavailable: the database cannot be reached; nothing was written.
    """
    with uow_factory() as uow:
        add(uow, conversation_id=conversation_id, channel=channel, role=role, texts=texts)
        uow.commit()


def add(uow: Any, *, conversation_id: str, channel: str, role: str, texts: Entries) -> None:
    """Add messages of one speaker to ``uow``; its caller commits (in a worker thread)."""
    for text, payload in texts:
        uow.transcripts.add(
            TranscriptEntry(
                conversation_id=conversation_id,
                channel=channel,
                role=role,
                text=text,
                payload=payload,
            )
        )


async def record(
    uow_factory: UowFactory,
    *,
    conversation_id: str,
    channel: str,
    role: str,
    texts: Entries,
) -> None:
    """Append messages of one speaker in a worker thread; a CRM that is down is logged only."""
    entries = list(texts)
    try:
        await to_thread.run_sync(
            partial(
                write,
                uow_factory,
                conversation_id=conversation_id,
                channel=channel,
                role=role,
                texts=entries,
            )
        )
    except CrmUnavailable:
        # The conversation goes on. The log says what was lost, not what was said:
        # a log is no place for a customer's words (issue 10, #8).
        log.exception(
            "transcript not written for %s (%s): %d text(s) lost",
            mask(conversation_id),
            role,
            len(entries),
        )


def bot_payload(message: BotMessage) -> dict[str, Any]:
    """What the entry of a bot message keeps beside its text: its buttons, when it has some."""
    return {"buttons": [b.to_dict() for b in message.buttons]} if message.buttons else {}


def buttons_of(payload: Mapping[str, Any] | None) -> tuple[Button, ...]:
    """The buttons an entry's payload keeps (written by :func:`bot_payload`)."""
    stored = (payload or {}).get("buttons") or ()
    return tuple(Button.from_dict(b) for b in stored if isinstance(b, Mapping))
