"""Failover between two Rasa servers over real sockets: a server that refuses connections hands
its conversations to the other; one that takes the message and never answers gets no second
delivery anywhere, and the customer gets the apology."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from channels.conversations.apology import CHAT as APOLOGY
from channels.conversations.rasa_client import BotMessage, RasaClient, RasaUnavailable
from channels.conversations.rasa_servers import rendezvous
from channels.conversations.turn import take_turn
from crm_backend.uow import SqlAlchemyUnitOfWork
from launcher.stack import free_port


class RawRasa:
    """A Rasa REST webhook on a real loopback port: it answers, or reads the request and hangs."""

    def __init__(self, *, hang: bool = False) -> None:
        self.hang = hang
        self.received: list[dict[str, Any]] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> RawRasa:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = json.loads(await reader.readexactly(length))
                self.received.append(body)
                if self.hang:
                    await asyncio.sleep(3600)
                reply = json.dumps([{"text": f"{self.port} heard {body['message']}"}]).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(reply)}\r\n\r\n".encode()
                    + reply
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            writer.close()


def _key_preferring(url: str, urls: list[str]) -> str:
    return next(f"api-{i}" for i in range(1000) if rendezvous(f"api-{i}", urls)[0] == url)


@asynccontextmanager
async def _client(urls: list[str], **kwargs: Any) -> AsyncIterator[RasaClient]:
    client = RasaClient(urls, **kwargs)
    try:
        yield client
    finally:
        await client.aclose()


async def test_a_server_that_refuses_connections_hands_its_conversation_to_the_other() -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens: connection refused
    async with RawRasa() as alive, _client([dead, alive.url]) as client:
        key = _key_preferring(dead, [dead, alive.url])

        first = await client.send(key, "hello")
        second = await client.send(key, "69002")

    assert [first, second] == [
        [BotMessage(text=f"{alive.port} heard hello")],
        [BotMessage(text=f"{alive.port} heard 69002")],
    ]
    assert [m["message"] for m in alive.received] == ["hello", "69002"]
    assert client.servers.is_down(dead)


async def test_a_server_that_took_the_message_and_hangs_gets_no_second_delivery(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
) -> None:
    async with (
        RawRasa(hang=True) as hung,
        RawRasa() as other,
        _client([hung.url, other.url], timeout=0.5) as client,
    ):
        key = _key_preferring(hung.url, [hung.url, other.url])

        turn = await take_turn(
            rasa=client,
            uow_factory=uow_factory,
            conversation_id=key,
            channel="web",
            text="yes, place the order",
            metadata={},
        )
        # Said again at once: it waits behind the first on the same server, not on the other.
        with pytest.raises(RasaUnavailable, match="timed out"):
            await client.send(key, "yes, place the order")

    assert (turn.degraded, [m.text for m in turn.messages]) == (True, [APOLOGY])
    assert [m["message"] for m in hung.received] == ["yes, place the order"] * 2
    assert other.received == []


async def test_one_server_behaves_as_before_the_failover() -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    async with _client(dead) as client:
        with pytest.raises(RasaUnavailable, match=r"^Rasa failed: "):
            await client.send("api-1", "hello")
        assert await client.is_ready() is False
        with pytest.raises(RasaUnavailable):
            await client.send("api-1", "hello again")  # tried again, though down
