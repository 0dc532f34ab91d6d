"""Customers replaying the script through a door: one at a time, or many at once.

A door is where a message goes in: the gateway's chat API, or Rasa's REST
channel straight (the same model and action server without the gateway).
Every turn becomes a :class:`TurnRecord`; a wrong or failed answer ends that
conversation (the next turns would make no sense) and the customer starts a
new one.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

# Every door's apology when the bot fails or times out begins with it.
from channels.conversations.apology import SORRY as APOLOGY
from channels.conversations.rasa_client import MESSAGES_PATH, SECRET_HEADER

from .customers import CustomerPool
from .script import SCRIPTS, Customer, missing

TIMEOUT = 30.0


class DoorError(Exception):
    """The door answered with something else than the bot's messages."""


@dataclass(frozen=True)
class TurnRecord:
    """One message and how its answer went."""

    step: str
    seconds: float
    ok: bool
    error: str | None = None


class Door(Protocol):
    """Where a customer message goes in."""

    @property
    def name(self) -> str:
        """What the results call it."""
        ...

    @property
    def language(self) -> str:
        """The language its customers speak (bench.script.SCRIPTS)."""
        ...

    async def send(self, client: httpx.AsyncClient, conversation_id: str, text: str) -> list[str]:
        """The texts of the bot's answer."""
        ...


@dataclass(frozen=True)
class GatewayDoor:
    """``POST /api/conversations/{id}/messages``, as integrations call it.

    A load generator is an integration: it carries the integration token, so it
    names its own conversations and no per-client limit counts it.
    """

    base_url: str
    token: str
    name: str = "gateway"
    # Said with every message as the web page says it; the gateway routes by it.
    language: str = "en"

    async def send(self, client: httpx.AsyncClient, conversation_id: str, text: str) -> list[str]:
        """Post the text; the reply's message texts."""
        url = f"{self.base_url}/api/conversations/{conversation_id}/messages"
        headers = {"Authorization": f"Bearer {self.token}"}
        body = {"text": text, "metadata": {"language": self.language}}
        response = await client.post(url, json=body, headers=headers)
        if response.status_code != 200:
            raise DoorError(f"HTTP {response.status_code}")
        return [str(m.get("text", "")) for m in _list(response.json().get("messages"))]


@dataclass(frozen=True)
class RasaRestDoor:
    """Rasa's input channel straight (the REST channel's format, behind the gateway's secret),
    with the metadata the gateway would add."""

    base_url: str
    channel_secret: str
    name: str = "rasa_rest"
    language: str = "en"

    async def send(self, client: httpx.AsyncClient, conversation_id: str, text: str) -> list[str]:
        """Post the text as the gateway does; the answer's texts."""
        metadata = {"channel": "web", "language": self.language}
        body = {"sender": conversation_id, "message": text, "metadata": metadata}
        response = await client.post(
            self.base_url + MESSAGES_PATH, json=body, headers={SECRET_HEADER: self.channel_secret}
        )
        if response.status_code != 200:
            raise DoorError(f"HTTP {response.status_code}")
        return [str(m.get("text") or "") for m in _list(response.json())]


def _list(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise DoorError("the answer holds no message list")
    return [item for item in value if isinstance(item, dict)]


def client(concurrency: int = 1) -> httpx.AsyncClient:
    """An HTTP client with a connection for each concurrent customer."""
    limits = httpx.Limits(max_connections=concurrency + 10, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(timeout=TIMEOUT, limits=limits)


async def converse(
    door: Door,
    http: httpx.AsyncClient,
    customer: Customer,
    record: Callable[[TurnRecord], bool],
) -> None:
    """Replay the script as ``customer`` until it ends, fails, or ``record`` says stop."""
    conversation_id = f"bench-{uuid.uuid4().hex[:16]}"
    for step in SCRIPTS[door.language](customer):
        started = time.perf_counter()
        error: str | None
        try:
            texts = await door.send(http, conversation_id, step.text)
            lacking = missing(step, texts)
            error = None if lacking is None else f"wrong reply: no {lacking!r}"
            if error and any(APOLOGY in text for text in texts):
                error = "wrong reply: an apology (the bot did not answer in time, or failed)"
        except (httpx.HTTPError, DoorError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - started
        go_on = record(TurnRecord(step=step.name, seconds=seconds, ok=error is None, error=error))
        if error is not None or not go_on:
            return


async def warm_up(door: Door, pool: CustomerPool) -> None:
    """One whole conversation, not measured: first turns load lazily built parts."""
    async with client() as http:
        await converse(door, http, pool.next(), lambda _record: True)


async def replay(doors: Sequence[Door], pool: CustomerPool, turns: int) -> dict[str, list[Any]]:
    """One customer at a time, ``turns`` turns per door, conversations alternating between doors.

    Alternating spreads the noise of a shared machine over every door alike.
    """
    records: dict[str, list[TurnRecord]] = {door.name: [] for door in doors}
    async with client() as http:
        while any(len(records[d.name]) < turns for d in doors):
            for door in doors:
                bucket = records[door.name]
                if len(bucket) >= turns:
                    continue

                def keep(record: TurnRecord, bucket: list[TurnRecord] = bucket) -> bool:
                    bucket.append(record)
                    return len(bucket) < turns

                await converse(door, http, pool.next(), keep)
    return {name: list(found) for name, found in records.items()}


@dataclass
class Phase:
    """What a load phase measured."""

    concurrency: int
    seconds: float
    records: list[TurnRecord] = field(default_factory=list)
    conversations: int = 0


async def load(door: Door, pool: CustomerPool, *, concurrency: int, duration: float) -> Phase:
    """``concurrency`` customers, each on its own conversations, for ``duration`` seconds.

    No new message starts after the deadline; the phase lasts until the last
    answer, and throughput counts over that whole time.
    """
    phase = Phase(concurrency=concurrency, seconds=0.0)
    started = time.perf_counter()
    deadline = started + duration

    def keep(record: TurnRecord) -> bool:
        phase.records.append(record)
        return time.perf_counter() < deadline

    async def customer_loop(http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            phase.conversations += 1
            await converse(door, http, pool.next(), keep)

    async with client(concurrency) as http:
        await asyncio.gather(*(customer_loop(http) for _ in range(concurrency)))
    phase.seconds = time.perf_counter() - started
    return phase
