"""The transcript of every conversation, kept in the CRM database.

The customer's message is written before the bot is asked and the bot's
answer after, so a message survives a bot that is down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from crm_backend.models import TranscriptEntry
from crm_backend.uow import SqlAlchemyUnitOfWork

UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def record(
    uow_factory: UowFactory,
    *,
    conversation_id: str,
    channel: str,
    role: str,
    texts: Iterable[tuple[str, dict[str, Any]]],
) -> None:
    """Append messages of one speaker to a conversation's transcript."""
    with uow_factory() as uow:
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
        uow.commit()


def history(uow_factory: UowFactory, *, conversation_id: str) -> list[dict[str, Any]]:
    """The conversation so far, oldest first, as plain dicts."""
    with uow_factory() as uow:
        return [
            {"role": e.role, "text": e.text, "at": e.at.isoformat(), "channel": e.channel}
            for e in uow.transcripts.for_conversation(conversation_id)
        ]
