"""A customer's message whose Rasa server died under it: answered once, by another server.

When the connection to Rasa drops after the message went out (the server was
killed, or crashed, in the middle of the turn), the message is in doubt:
Rasa saves a turn at its end, in one transaction, so the shared tracker store
holds either the whole turn or none of it. The gateway tells which before it
does anything else:

1. the server that dropped the message must now refuse connections (it is
   gone, nothing of the message still runs there). A server that still
   answers, or does not answer at all, may still be working on it: the
   customer gets the apology, as before (:mod:`.rasa_servers`).
2. another server reads the conversation's tracker: a user event carrying
   the message's id (:data:`MESSAGE_ID`, in the message's metadata) means the
   turn was saved, and its answer is the bot's messages saved after it, which
   the customer gets without the turn being run again.
3. no such event: the turn was lost whole, and the message goes to the other
   server like any new one. What the lost turn's actions wrote in the CRM
   before the server died is written again only where the action is not
   idempotent; placing an order is (its key is the question that the
   customer's "yes" answered: :func:`actions.orders.idempotency_key`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .rasa_client import BotMessage, RasaClient

log = logging.getLogger(__name__)

# The key of the message's id in the metadata Rasa stores with the user event.
MESSAGE_ID = "icbot_message_id"


def dropped(exc: httpx.HTTPError) -> bool:
    """Whether the connection broke after the request went out (not a timeout, not a 5xx)."""
    return isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError)


def saved_answer(tracker: dict[str, Any], message_id: str) -> list[dict[str, Any]] | None:
    """The bot's messages saved after the user event of ``message_id``; None: no such event.

    Each message as Rasa's REST channel gives it (``text``, ``buttons``, ``custom``).
    """
    events = tracker.get("events")
    if not isinstance(events, list):
        return None
    answer: list[dict[str, Any]] | None = None
    for event in events:
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        if kind == "user":
            if answer is not None:
                break
            metadata = event.get("metadata")
            if isinstance(metadata, dict) and metadata.get(MESSAGE_ID) == message_id:
                answer = []
        elif kind == "bot" and answer is not None:
            data = event.get("data")
            data = data if isinstance(data, dict) else {}
            answer.append(
                {
                    "text": event.get("text") or "",
                    "buttons": data.get("buttons") or [],
                    "custom": data.get("custom") or {},
                }
            )
    return answer


async def redeliver(
    client: RasaClient,
    conversation_id: str,
    message_id: str,
    body: dict[str, Any],
    *,
    language: str,
) -> list[BotMessage] | None:
    """The answer to a dropped message, from another server of ``language``; None: in doubt.

    Raises:
        httpx.HTTPError, ValueError: the other server failed too.
    """
    from .rasa_client import BotMessage

    servers = client.pool(language)
    server = servers.pinned(conversation_id)
    if server is None or not await client.refuses(server):
        return None
    servers.release(conversation_id, server)
    tracker = await client.tracker(conversation_id, language=language)
    saved = saved_answer(tracker, message_id)
    if saved is not None:
        log.warning("Rasa: %s died after saving a turn; its answer is read back", server)
        return [BotMessage.from_rest(item) for item in saved]
    log.warning("Rasa: %s died in the middle of a turn; the message goes to another", server)
    data = await client.post_message(conversation_id, body, language=language)
    return [BotMessage.from_rest(item) for item in data if isinstance(item, dict)]
