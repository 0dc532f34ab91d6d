"""Talk to the Rasa server: the gateway's channel for messages, its HTTP API for the rest.

Rasa listens for messages on one input channel, ours (``bot/gateway_channel.py``):
Rasa's REST channel behind a shared secret, so nobody else on the machine can
post a message, and a caller's number with it. Each message carries the
secret (``ICBOT_CHANNEL_SECRET``) in ``X-Icbot-Channel-Secret``; the HTTP API
takes Rasa's token.

One :class:`RasaClient` per gateway process keeps its HTTP connections open
(connection reuse matters on every turn). Each language has its own Rasa
server, or servers (``ICBOT_RASA_URLS``, ``fr=…``), all on one tracker store:
every request about a conversation goes to a server of the conversation's
language (``language=``, else :attr:`RasaClient.language_of` tells it:
:mod:`channels.conversations.language`), so a conversation that changes
language keeps its tracker. Within a language, each conversation goes to one
of its servers, and moves when that one is down
(:mod:`channels.conversations.rasa_servers`: which server, and when a failed
request may be sent again). Transport failures are
translated where they enter into :class:`RasaUnavailable`, which the doors
turn into a polite message.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx

from .actions_state import DEFAULT_RECHECK, ActionsDown, ActionServerState
from .bot_messages import BotMessage, Button
from .rasa_api import RasaApi, RasaUnavailable, default_language
from .rasa_servers import DEFAULT_COOLDOWN
from .redelivery import MESSAGE_ID, dropped, redeliver

__all__ = ["BotMessage", "Button", "RasaClient", "RasaUnavailable", "default_language"]

log = logging.getLogger(__name__)

MESSAGES_PATH = "/webhooks/gateway/webhook"
SECRET_HEADER = "X-Icbot-Channel-Secret"  # noqa: S105 - a header's name, not a secret
# Asks Rasa's gateway channel to add the dialogue's state to its answer (bot/gateway_channel.py).
DIALOGUE_HEADER = "X-Icbot-Dialogue-State"
# How many times a server whose connection dropped is asked whether it refuses connections.
REFUSAL_ATTEMPTS = 10


class RasaClient(RasaApi):
    """The gateway's client of Rasa: the customer's messages, and the HTTP API (:class:`RasaApi`).

    ``language_of``: a conversation's language (:mod:`channels.conversations.language`).
    """

    def __init__(
        self,
        servers: str | Sequence[str] | Mapping[str, Sequence[str]],
        *,
        token: str | None = None,
        channel_secret: str | None = None,
        timeout: float = 10.0,
        actions_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        cooldown: float = DEFAULT_COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
        actions_recheck: float = DEFAULT_RECHECK,
        language_of: Callable[[str], Awaitable[str]] = default_language,
    ) -> None:
        super().__init__(
            servers,
            token=token,
            timeout=timeout,
            transport=transport,
            cooldown=cooldown,
            clock=clock,
            language_of=language_of,
        )
        # Only the message posts carry it: not the action server's health check.
        self._channel_headers = {SECRET_HEADER: channel_secret} if channel_secret else {}
        # Rasa goes on when a custom action fails, with the action's events
        # lost: its answer then says so, and the turn gets the apology. Once
        # the action server was found unreachable, turns skip Rasa until its
        # /health answers again (channels/conversations/actions_state.py).
        self.actions_health_url = (
            actions_url.rstrip("/").removesuffix("/webhook") + "/health" if actions_url else None
        )
        self.actions = ActionServerState(
            self._actions_healthy, recheck=actions_recheck, clock=clock
        )

    async def send(
        self,
        conversation_id: str,
        text: str,
        *,
        metadata: dict[str, Any] | None = None,
        dialogue_state: bool = False,
        language: str | None = None,
    ) -> list[BotMessage]:
        """Send the customer's text to a server of ``language``; the bot's messages.

        With ``dialogue_state``, Rasa adds a message carrying the dialogue's
        state after the turn (``channels.conversations.dialogue.DialogueState.of`` reads it).
        ``language`` (default: the conversation's) also goes in the metadata.

        Raises:
            RasaUnavailable: Rasa could not be reached, timed out or failed.
        """
        try:
            await self.actions.require()
        except ActionsDown as exc:
            raise RasaUnavailable(str(exc), conversation_id=conversation_id) from exc
        # An id of our own, stored with the message: if its server dies under it, another
        # server's tracker tells whether the turn was saved (redelivery.py).
        message_id = uuid.uuid4().hex
        language = language or await self.language_of(conversation_id)
        body = {
            "sender": conversation_id,
            "message": text,
            "metadata": {**(metadata or {}), "language": language, MESSAGE_ID: message_id},
        }
        try:
            data = await self.post_message(
                conversation_id, body, dialogue_state=dialogue_state, language=language
            )
        except httpx.TimeoutException as exc:
            raise RasaUnavailable("Rasa timed out", conversation_id=conversation_id) from exc
        except httpx.HTTPError as exc:
            answer = None
            if dropped(exc):
                answer = await self._redeliver(conversation_id, message_id, body, language)
            if answer is None:
                raise RasaUnavailable(
                    f"Rasa failed: {exc!s}", conversation_id=conversation_id
                ) from exc
            return self._checked(conversation_id, answer)
        except ValueError as exc:
            raise RasaUnavailable(f"Rasa failed: {exc!s}", conversation_id=conversation_id) from exc
        if not isinstance(data, list):
            raise RasaUnavailable("Rasa answered no message list", conversation_id=conversation_id)
        messages = [BotMessage.from_rest(item) for item in data if isinstance(item, dict)]
        return self._checked(conversation_id, messages)

    async def post_message(
        self,
        conversation_id: str,
        body: dict[str, Any],
        *,
        dialogue_state: bool = False,
        language: str | None = None,
    ) -> Any:
        """Post one message to the conversation's server through the gateway channel; its JSON.

        With ``dialogue_state``, Rasa adds the dialogue's state to its answer.

        Raises:
            httpx.HTTPError: no answer, or a 4xx/5xx one; ValueError: not JSON.
        """
        headers = {**self._channel_headers, **({DIALOGUE_HEADER: "1"} if dialogue_state else {})}
        response = await self._request(
            conversation_id,
            "POST",
            MESSAGES_PATH,
            language=language,
            json=body,
            headers=headers,
        )
        response.raise_for_status()
        return response.json()

    async def _redeliver(
        self, conversation_id: str, message_id: str, body: dict[str, Any], language: str
    ) -> list[BotMessage] | None:
        try:
            return await redeliver(self, conversation_id, message_id, body, language=language)
        except (httpx.HTTPError, ValueError, RasaUnavailable) as exc:
            log.warning("Rasa: the dropped message could not be redelivered: %s", exc)
            return None

    async def refuses(self, server: str, *, attempts: int = REFUSAL_ATTEMPTS) -> bool:
        """Whether ``server`` refuses connections now: it is gone, nothing of ours runs there.

        A connection that breaks instead (a kept-alive one to the dead server, or one
        accepted by a server dying as we ask) says nothing yet: asked again, up to
        ``attempts`` times a tenth of a second apart. An answer of any kind, or none
        within a second, says it may still be working.
        """
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(0.1)
            try:
                await self._client.get(f"{server}/", timeout=1.0)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                return True
            except httpx.TimeoutException:
                return False
            except httpx.TransportError:
                continue
            return False
        return False

    def _checked(self, conversation_id: str, messages: list[BotMessage]) -> list[BotMessage]:
        """The answer's messages; RasaUnavailable when it says a custom action failed."""
        try:
            self.actions.check_answer([m.custom for m in messages if m.custom])
        except ActionsDown as exc:
            raise RasaUnavailable(str(exc), conversation_id=conversation_id) from exc
        return messages

    async def _actions_healthy(self) -> bool:
        """Whether the action server's ``/health`` answers 200 (true when it is not known)."""
        if self.actions_health_url is None:
            return True
        try:
            response = await self._client.get(self.actions_health_url, timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def say(
        self, conversation_id: str, action: str, *, language: str | None = None
    ) -> list[BotMessage]:
        """Run one action of the bot (a response such as ``utter_anything_else``) and listen.

        Rasa's ``execute`` endpoint runs the action and stops; the ``action_listen``
        appended after it ends the bot's turn as a predicted one would, so the
        rules that follow the action (a "no" after "anything else?") apply to the
        customer's next message.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        language = language or await self.language_of(conversation_id)
        data = await self._api(
            "POST",
            f"/conversations/{conversation_id}/execute",
            conversation_id=conversation_id,
            language=language,
            json={"name": action},
            params={"include_events": "NONE"},
        )
        listen = [{"event": "action", "name": "action_listen"}]
        await self.add_events(conversation_id, listen, language=language)
        messages = data.get("messages")
        if not isinstance(messages, list):
            return []
        said = [BotMessage.from_rest(m) for m in messages if isinstance(m, dict)]
        return self._checked(conversation_id, said)
