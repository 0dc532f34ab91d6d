"""Talk to the Rasa server: the gateway's channel for messages, its HTTP API for the rest.

Rasa listens for messages on one input channel, ours (``bot/gateway_channel.py``):
Rasa's REST channel behind a shared secret, so nobody else on the machine can
post a message, and a caller's number with it. Each message carries the
secret (``ICBOT_CHANNEL_SECRET``) in ``X-Icbot-Channel-Secret``; the HTTP API
takes Rasa's token.

One :class:`RasaClient` per gateway process keeps its HTTP connections open
(connection reuse matters on every turn). With several Rasa servers
(``ICBOT_RASA_URLS``), each conversation goes to one of them, and moves when
that one is down (:mod:`channels.conversations.rasa_servers`: which server,
and when a failed request may be sent again). Transport failures are
translated where they enter into :class:`RasaUnavailable`, which the doors
turn into a polite message.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from .actions_state import DEFAULT_RECHECK, ActionsDown, ActionServerState
from .rasa_servers import DEFAULT_COOLDOWN, RasaServers
from .redelivery import MESSAGE_ID, dropped, redeliver

log = logging.getLogger(__name__)

MESSAGES_PATH = "/webhooks/gateway/webhook"
SECRET_HEADER = "X-Icbot-Channel-Secret"  # noqa: S105 - a header's name, not a secret
# Asks Rasa's gateway channel to add the dialogue's state to its answer (bot/gateway_channel.py).
DIALOGUE_HEADER = "X-Icbot-Dialogue-State"
# How many times a server whose connection dropped is asked whether it refuses connections.
REFUSAL_ATTEMPTS = 10


class RasaUnavailable(Exception):
    """The Rasa server did not answer in time, or answered with an error."""

    def __init__(self, message: str, *, conversation_id: str) -> None:
        super().__init__(message)
        self.conversation_id = conversation_id


@dataclass(frozen=True)
class Button:
    """A choice the bot offers: what the customer sees and what it sends back.

    As JSON (Rasa's REST channel, a transcript entry's payload) it is
    ``{"title": …, "payload": …}``: :meth:`to_dict` and :meth:`from_dict` convert.
    """

    title: str
    payload: str

    def to_dict(self) -> dict[str, str]:
        """The button as JSON keeps it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Button:
        """A button read back from JSON; a missing part is empty."""
        return cls(title=str(data.get("title", "")), payload=str(data.get("payload", "")))


@dataclass(frozen=True)
class BotMessage:
    """One message of the bot's answer."""

    text: str
    buttons: tuple[Button, ...] = ()
    custom: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_rest(cls, data: dict[str, Any]) -> BotMessage:
        """Read one message of the channel's answer (the REST channel's format)."""
        buttons = tuple(Button.from_dict(b) for b in data.get("buttons") or ())
        custom = data.get("custom") if isinstance(data.get("custom"), dict) else {}
        return cls(text=str(data.get("text") or ""), buttons=buttons, custom=custom or {})


class RasaClient:
    """An HTTP client of the Rasa servers: one, or several sharing a tracker store."""

    def __init__(
        self,
        servers: str | Sequence[str],
        *,
        token: str | None = None,
        channel_secret: str | None = None,
        timeout: float = 10.0,
        actions_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        cooldown: float = DEFAULT_COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
        actions_recheck: float = DEFAULT_RECHECK,
    ) -> None:
        self.servers = RasaServers(
            [servers] if isinstance(servers, str) else servers, cooldown=cooldown, clock=clock
        )
        self.token = token
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
        count = len(self.servers.urls)
        self._client = httpx.AsyncClient(
            timeout=timeout,
            transport=transport,
            limits=httpx.Limits(max_connections=100 * count, max_keepalive_connections=50 * count),
        )

    @property
    def base_url(self) -> str:
        """The first Rasa server (the only one, unless several are configured)."""
        return self.servers.urls[0]

    async def _request(
        self,
        key: str | None,
        method: str,
        path: str,
        *,
        idempotent: bool = False,
        **kwargs: Any,
    ) -> httpx.Response:
        """``method path`` on ``key``'s Rasa server (see :meth:`RasaServers.request`)."""

        def send(server: str) -> Awaitable[httpx.Response]:
            return self._client.request(method, f"{server}{path}", **kwargs)

        return await self.servers.request(key, send, idempotent=idempotent)

    async def send(
        self,
        conversation_id: str,
        text: str,
        *,
        metadata: dict[str, Any] | None = None,
        dialogue_state: bool = False,
    ) -> list[BotMessage]:
        """Send the customer's text and return the bot's messages.

        With ``dialogue_state``, Rasa adds a message carrying the dialogue's
        state after the turn (``channels.conversations.dialogue.DialogueState.of`` reads it).

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
        body = {
            "sender": conversation_id,
            "message": text,
            "metadata": {**(metadata or {}), MESSAGE_ID: message_id},
        }
        try:
            data = await self.post_message(conversation_id, body, dialogue_state=dialogue_state)
        except httpx.TimeoutException as exc:
            raise RasaUnavailable("Rasa timed out", conversation_id=conversation_id) from exc
        except httpx.HTTPError as exc:
            answer = None
            if dropped(exc):
                answer = await self._redeliver(conversation_id, message_id, body)
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
        self, conversation_id: str, body: dict[str, Any], *, dialogue_state: bool = False
    ) -> Any:
        """Post one message to the conversation's server through the gateway channel; its JSON.

        With ``dialogue_state``, Rasa adds the dialogue's state to its answer.

        Raises:
            httpx.HTTPError: no answer, or a 4xx/5xx one; ValueError: not JSON.
        """
        headers = {**self._channel_headers, **({DIALOGUE_HEADER: "1"} if dialogue_state else {})}
        response = await self._request(
            conversation_id, "POST", MESSAGES_PATH, json=body, headers=headers
        )
        response.raise_for_status()
        return response.json()

    async def _redeliver(
        self, conversation_id: str, message_id: str, body: dict[str, Any]
    ) -> list[BotMessage] | None:
        try:
            return await redeliver(self, conversation_id, message_id, body)
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

    async def is_ready(self, server: str | None = None) -> bool:
        """True when Rasa answers and has a model loaded: ``server``, or any server."""
        if server is None:
            for url in self.servers.order(None):
                if await self.is_ready(url):
                    return True
            return False
        params = {"token": self.token} if self.token else None
        try:
            response = await self._client.get(f"{server}/status", params=params, timeout=2.0)
        except httpx.HTTPError:
            return False
        if response.status_code != 200:
            return False
        try:
            status = response.json()
        except ValueError:  # something else answers on Rasa's port
            return False
        return isinstance(status, dict) and bool(status.get("model_file"))

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's current tracker (slots, events) from Rasa's HTTP API."""
        params = {"token": self.token} if self.token else {}
        try:
            response = await self._request(
                conversation_id,
                "GET",
                f"/conversations/{conversation_id}/tracker",
                params=params,
                idempotent=True,
            )
            response.raise_for_status()
            data: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(f"Rasa failed: {exc!s}", conversation_id=conversation_id) from exc
        return data

    async def parse(self, text: str) -> tuple[str | None, float]:
        """The intent Rasa's NLU reads in ``text`` and its confidence; the tracker is untouched.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        data = await self._api(
            "POST", "/model/parse", conversation_id="", json={"text": text}, idempotent=True
        )
        intent = data.get("intent")
        if not isinstance(intent, dict):
            return None, 0.0
        name = intent.get("name")
        return (str(name) if name else None), float(intent.get("confidence") or 0.0)

    async def pause(self, conversation_id: str) -> None:
        """Pause the conversation: Rasa takes no message and runs no action in it until resumed.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        await self.add_events(conversation_id, [{"event": "pause"}])

    async def resume(self, conversation_id: str) -> None:
        """Undo :meth:`pause`: the bot answers the conversation again.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        await self.add_events(conversation_id, [{"event": "resume"}])

    async def add_events(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        """Append events to the conversation's tracker.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        await self._api(
            "POST",
            f"/conversations/{conversation_id}/tracker/events",
            conversation_id=conversation_id,
            json=events,
            params={"include_events": "NONE"},
        )

    async def say(self, conversation_id: str, action: str) -> list[BotMessage]:
        """Run one action of the bot (a response such as ``utter_anything_else``) and listen.

        Rasa's ``execute`` endpoint runs the action and stops; the ``action_listen``
        appended after it ends the bot's turn as a predicted one would, so the
        rules that follow the action (a "no" after "anything else?") apply to the
        customer's next message.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        data = await self._api(
            "POST",
            f"/conversations/{conversation_id}/execute",
            conversation_id=conversation_id,
            json={"name": action},
            params={"include_events": "NONE"},
        )
        await self.add_events(conversation_id, [{"event": "action", "name": "action_listen"}])
        messages = data.get("messages")
        if not isinstance(messages, list):
            return []
        said = [BotMessage.from_rest(m) for m in messages if isinstance(m, dict)]
        return self._checked(conversation_id, said)

    async def _api(
        self,
        method: str,
        path: str,
        *,
        conversation_id: str,
        json: Any,
        params: dict[str, str] | None = None,
        idempotent: bool = False,
    ) -> dict[str, Any]:
        query = {**(params or {}), **({"token": self.token} if self.token else {})}
        try:
            response = await self._request(
                conversation_id or None,
                method,
                path,
                json=json,
                params=query,
                idempotent=idempotent,
            )
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(f"Rasa failed: {exc!s}", conversation_id=conversation_id) from exc
        return data if isinstance(data, dict) else {}

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()
