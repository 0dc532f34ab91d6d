"""The Rasa servers' HTTP API, one pool of servers per language: reads, events, NLU.

Every language has its own Rasa server, or servers (``ICBOT_RASA_URLS``,
``fr=…``), all on one tracker store. A request about a conversation goes to a
server of the conversation's language: ``language=``, else
:attr:`RasaApi.language_of` tells it (:mod:`channels.conversations.language`), so
a conversation that changes language keeps its tracker (the domains differ only
in their words). Within a language, each conversation goes to one of its
servers, and moves when that one is down (:mod:`.rasa_servers`). A request of
no conversation (an NLU parse) names its language, English by default.
:class:`channels.conversations.rasa_client.RasaClient` adds the customer's messages.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from languages import DEFAULT

from .rasa_servers import DEFAULT_COOLDOWN, RasaServers

if TYPE_CHECKING:
    from .language import ConversationLanguages


class RasaUnavailable(Exception):
    """The Rasa server did not answer in time, or answered with an error."""

    def __init__(self, message: str, *, conversation_id: str) -> None:
        super().__init__(message)
        self.conversation_id = conversation_id


async def default_language(_conversation_id: str) -> str:
    """Every conversation's language when nothing else tells: English."""
    return DEFAULT


def _pools(servers: str | Sequence[str] | Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if isinstance(servers, str):
        return {DEFAULT: [servers]}
    if isinstance(servers, Mapping):
        return {language: list(urls) for language, urls in servers.items()}
    return {DEFAULT: list(servers)}


class RasaApi:
    """An HTTP client of Rasa's API: one pool of servers per language, one tracker store.

    ``servers``: one URL or several (English's), or each language's URLs.
    ``language_of``: a conversation's language; a language without a server of
    its own is served by the default language's.
    """

    def __init__(
        self,
        servers: str | Sequence[str] | Mapping[str, Sequence[str]],
        *,
        token: str | None = None,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        cooldown: float = DEFAULT_COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
        language_of: Callable[[str], Awaitable[str]] = default_language,
    ) -> None:
        self.pools = {
            language: RasaServers(urls, cooldown=cooldown, clock=clock)
            for language, urls in _pools(servers).items()
        }
        if not self.pools:
            raise ValueError("no Rasa server: set ICBOT_RASA_URLS or ICBOT_RASA_URL")
        self.default = DEFAULT if DEFAULT in self.pools else next(iter(self.pools))
        self.language_of = language_of
        # Set by use_languages: each conversation's language, as the gateway keeps it.
        self.conversation_languages: ConversationLanguages | None = None
        self.token = token
        count = sum(len(pool.urls) for pool in self.pools.values())
        self._client = httpx.AsyncClient(
            timeout=timeout,
            transport=transport,
            limits=httpx.Limits(max_connections=100 * count, max_keepalive_connections=50 * count),
        )

    def use_languages(self, languages: ConversationLanguages) -> None:
        """Route each conversation by the language ``languages`` keeps for it.

        The turn chooses a conversation's language with it too (``take_turn``): the
        doors need pass nothing but the client. ``await client.language_of(id)``
        tells any part of the gateway a conversation's language.
        """
        self.conversation_languages = languages
        self.language_of = languages.language_of

    @property
    def servers(self) -> RasaServers:
        """The default language's servers."""
        return self.pools[self.default]

    @property
    def languages(self) -> list[str]:
        """The languages with a Rasa server of their own, the default first."""
        return sorted(self.pools, key=lambda language: language != self.default)

    @property
    def base_url(self) -> str:
        """The default language's first Rasa server (the only one, unless several are set)."""
        return self.servers.urls[0]

    def server_names(self, language: str) -> dict[str, str]:
        """Each server of ``language`` (url: name) as the launcher names its process.

        The default language's: ``rasa``, or ``rasa-1``, ``rasa-2``, …; another's:
        ``rasa-fr``, or ``rasa-fr-1``, ``rasa-fr-2``, …
        """
        pool = self.pools[language]
        if language == self.default:
            return pool.names
        if len(pool.urls) == 1:
            return {pool.urls[0]: f"rasa-{language}"}
        return {url: f"rasa-{language}-{i}" for i, url in enumerate(pool.urls, start=1)}

    def pool(self, language: str) -> RasaServers:
        """The servers of ``language``; the default language's when it has none of its own."""
        return self.pools.get(language) or self.servers

    async def _request(
        self,
        key: str | None,
        method: str,
        path: str,
        *,
        language: str | None = None,
        idempotent: bool = False,
        **kwargs: Any,
    ) -> httpx.Response:
        """``method path`` on conversation ``key``'s server of ``language``.

        ``language`` defaults to the conversation's (the default language's without
        one). See :meth:`RasaServers.request` for which server and the retries.
        """
        if language is None:
            language = self.default if key is None else await self.language_of(key)

        def send(server: str) -> Awaitable[httpx.Response]:
            return self._client.request(method, f"{server}{path}", **kwargs)

        return await self.pool(language).request(key, send, idempotent=idempotent)

    async def tracker(self, conversation_id: str, *, language: str | None = None) -> dict[str, Any]:
        """The conversation's current tracker (slots, events) from Rasa's HTTP API."""
        params = {"token": self.token} if self.token else {}
        try:
            response = await self._request(
                conversation_id,
                "GET",
                f"/conversations/{conversation_id}/tracker",
                language=language,
                params=params,
                idempotent=True,
            )
            response.raise_for_status()
            data: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(f"Rasa failed: {exc!s}", conversation_id=conversation_id) from exc
        return data

    async def parse(self, text: str, *, language: str = DEFAULT) -> tuple[str | None, float]:
        """The intent ``language``'s NLU reads in ``text`` and its confidence; no tracker changes.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        data = await self._api(
            "POST",
            "/model/parse",
            conversation_id="",
            language=language,
            json={"text": text},
            idempotent=True,
        )
        intent = data.get("intent")
        if not isinstance(intent, dict):
            return None, 0.0
        name = intent.get("name")
        return (str(name) if name else None), float(intent.get("confidence") or 0.0)

    async def pause(self, conversation_id: str, *, language: str | None = None) -> None:
        """Pause the conversation: Rasa takes no message and runs no action in it until resumed.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        await self.add_events(conversation_id, [{"event": "pause"}], language=language)

    async def resume(self, conversation_id: str, *, language: str | None = None) -> None:
        """Undo :meth:`pause`: the bot answers the conversation again.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        await self.add_events(conversation_id, [{"event": "resume"}], language=language)

    async def add_events(
        self, conversation_id: str, events: list[dict[str, Any]], *, language: str | None = None
    ) -> None:
        """Append events to the conversation's tracker.

        Raises:
            RasaUnavailable: Rasa could not be reached or failed.
        """
        await self._api(
            "POST",
            f"/conversations/{conversation_id}/tracker/events",
            conversation_id=conversation_id,
            language=language,
            json=events,
            params={"include_events": "NONE"},
        )

    async def _api(
        self,
        method: str,
        path: str,
        *,
        conversation_id: str,
        language: str | None,
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
                language=language,
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

    async def is_ready(self, server: str | None = None, *, language: str | None = None) -> bool:
        """True when Rasa answers and has a model loaded: ``server``, or any of ``language``'s.

        Without either: any server of the default language.
        """
        if server is None:
            for url in self.pool(language or self.default).order(None):
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
