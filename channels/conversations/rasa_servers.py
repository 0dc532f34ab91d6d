"""Which Rasa server takes a conversation, and when a failed request may go to another.

Why one server per conversation
-------------------------------
Rasa orders the turns of one conversation with its lock store, and neither
store holds across servers: the in-memory one lives in one process, and
``RedisLockStore`` lets two servers take the same conversation's lock at once
(RasaHQ/rasa#9213; the fix, ``ConcurrentRedisLockStore``, was reverted before
3.6). Two servers working on one conversation at once each read the tracker
from the shared SQL store and each save their own turn on top of it: slots
and events get lost or doubled. So the gateway sends each conversation to one
server at a time, and the tracker store (shared) is what lets it move.

Routing
-------
Rendezvous (highest-random-weight) hashing: each server scores each
conversation id with a keyed ``blake2b`` (stable across processes and
restarts, unlike Python's salted ``hash()``), and the conversation's order is
the servers by falling score. Adding or removing a server moves only the
conversations whose first choice it is. A server that failed (no
connection, a timeout, a 5xx, a dropped connection) is *down* for
``cooldown`` seconds: its conversations go to their second choice meanwhile
(a down server is still tried last, when every server is down), and come back
afterwards. Requests of no conversation (NLU parse, readiness) take any server
that is up, in turn.

When a failed request is sent again
-----------------------------------
A customer's message is sent to a second server at most once, and only when
the first provably never received it: the connection was refused or could
not be made (``httpx.ConnectError``, ``httpx.ConnectTimeout``). Anything
later is not safe to send again:

- a read timeout, a dropped connection or a failed write after the request
  went out: Rasa may have the message and still be running its actions (an
  order placed through the action server) or have saved its turn. Sent again,
  the customer could be answered twice and an order placed twice. The
  customer gets the apology instead and says it again. The one exception is
  a dropped connection from a server that then refuses connections (it died):
  the shared tracker tells whether the turn was saved, and the message is
  answered from it or sent on (:mod:`.redelivery`).
- a 5xx: Rasa received the message and failed in the middle of the turn,
  perhaps after an action with an effect in the CRM; its tracker holds no
  trace of it (Rasa saves the turn at its end), so the other server would run
  it all again.

Idempotent requests (a tracker read, an NLU parse, ``/status``) are sent to
the next server after any of these failures.

After a failure that leaves the message in doubt (sent, no answer), the
conversation is *pinned* to that server for ``doubt_ttl`` seconds, whether
it is down or not: if the server is still working on the message, the next
one waits behind it in that server's lock store instead of racing it on
another server. The pin ends when the server answers, or refuses a
connection (a server that refuses connections was restarted or is gone:
nothing of the message is still running there), and the conversation moves.

Limits: each gateway process keeps its own view (down marks, pins) in
memory; two gateways may disagree for a cooldown about a server that
failed. The pin protects the turns one gateway sent.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)

DEFAULT_COOLDOWN = 5.0
# Rasa waits up to 5 minutes for a custom action (its DEFAULT_REQUEST_TIMEOUT).
DEFAULT_DOUBT_TTL = 300.0


def score(server: str, key: str) -> int:
    """The weight of ``server`` for ``key``: a stable 64-bit hash of both."""
    digest = hashlib.blake2b(f"{server}\0{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def rendezvous(key: str, servers: Sequence[str]) -> list[str]:
    """``servers`` in ``key``'s order of preference, the first choice first."""
    return sorted(servers, key=lambda server: (score(server, key), server), reverse=True)


def never_reached(exc: httpx.HTTPError) -> bool:
    """Whether the request failed before any of it reached the server."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)


def server_failed(exc: httpx.HTTPError) -> bool:
    """Whether the error says the server is unwell (not: our own pool is full, a bad request)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code >= 500
    return isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.PoolTimeout)


@dataclass
class _Pin:
    server: str
    until: float


class RasaServers:
    """The Rasa servers of one gateway process, each conversation's order, and what failed."""

    def __init__(
        self,
        urls: Sequence[str],
        *,
        cooldown: float = DEFAULT_COOLDOWN,
        doubt_ttl: float = DEFAULT_DOUBT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.urls = tuple(dict.fromkeys(u.strip().rstrip("/") for u in urls if u.strip()))
        if not self.urls:
            raise ValueError("no Rasa server: set ICBOT_RASA_URLS or ICBOT_RASA_URL")
        self.cooldown = cooldown
        self.doubt_ttl = doubt_ttl
        self.clock = clock
        self._down_until: dict[str, float] = {}
        self._pins: dict[str, _Pin] = {}
        self._turn = itertools.count()

    @property
    def names(self) -> dict[str, str]:
        """Each server's name, as the launcher names its process: ``rasa``, or ``rasa-1``, …"""
        if len(self.urls) == 1:
            return {self.urls[0]: "rasa"}
        return {url: f"rasa-{i}" for i, url in enumerate(self.urls, start=1)}

    def is_down(self, url: str) -> bool:
        """Whether ``url`` failed within the last ``cooldown`` seconds."""
        return self._down_until.get(url, float("-inf")) > self.clock()

    def mark_down(self, url: str, reason: str) -> None:
        """Avoid ``url`` for ``cooldown`` seconds."""
        if not self.is_down(url):
            log.warning("Rasa server %s is down for %.0f s: %s", url, self.cooldown, reason)
        self._down_until[url] = self.clock() + self.cooldown

    def mark_up(self, url: str) -> None:
        """``url`` answered."""
        self._down_until.pop(url, None)

    def pinned(self, key: str) -> str | None:
        """The server that may still be working on a message of ``key``, if any."""
        pin = self._pins.get(key)
        if pin is None:
            return None
        if pin.until <= self.clock():
            del self._pins[key]
            return None
        return pin.server

    def order(self, key: str | None) -> list[str]:
        """The servers to try for conversation ``key`` (None: no conversation), best first.

        Up servers before down ones; a pinned server first, down or not.
        """
        if key is None:
            start = next(self._turn) % len(self.urls)
            candidates = [*self.urls[start:], *self.urls[:start]]
        else:
            candidates = rendezvous(key, self.urls)
        ranked = [u for u in candidates if not self.is_down(u)]
        ranked += [u for u in candidates if self.is_down(u)]
        pin = self.pinned(key) if key is not None else None
        if pin is not None:
            ranked = [pin, *(u for u in ranked if u != pin)]
        return ranked

    async def request(
        self,
        key: str | None,
        send: Callable[[str], Awaitable[httpx.Response]],
        *,
        idempotent: bool = False,
    ) -> httpx.Response:
        """``send(server)`` on ``key``'s first server; once more on the next one when safe.

        Returns:
            The first 2xx, 3xx or 4xx response (a 4xx is the request's fault, not the server's).

        Raises:
            httpx.HTTPError: the last failure, a 5xx as ``httpx.HTTPStatusError``.
        """
        servers = self.order(key)[:2]
        failure: httpx.HTTPError | None = None
        for server in servers:
            if failure is not None:
                log.warning("Rasa: %s failed (%s), trying %s", servers[0], failure, server)
            try:
                response = await send(server)
                response.raise_for_status()
            except httpx.HTTPStatusError as exc:
                if not server_failed(exc):
                    self._answered(server, key)
                    return exc.response
                self._failed(server, key, exc, in_doubt=False)
                failure, retry = exc, idempotent
            except httpx.HTTPError as exc:
                reached = not never_reached(exc)
                self._failed(server, key, exc, in_doubt=reached and not idempotent)
                failure, retry = exc, idempotent or not reached
            else:
                self._answered(server, key)
                return response
            if not retry:
                break
        assert failure is not None
        raise failure

    def _answered(self, server: str, key: str | None) -> None:
        self.mark_up(server)
        self._unpin(key, server)

    def _failed(
        self, server: str, key: str | None, exc: httpx.HTTPError, *, in_doubt: bool
    ) -> None:
        if server_failed(exc):
            self.mark_down(server, f"{type(exc).__name__}: {exc!s}")
        if key is None:
            return
        if in_doubt:
            now = self.clock()
            # Forget the pins of conversations that never came back.
            self._pins = {k: pin for k, pin in self._pins.items() if pin.until > now}
            self._pins[key] = _Pin(server=server, until=now + self.doubt_ttl)
        elif never_reached(exc):
            # Refused: nothing of an earlier message still runs there; the conversation may move.
            self._unpin(key, server)

    def release(self, key: str, server: str) -> None:
        """``server`` is gone (it refuses connections): ``key`` may move; it stays down."""
        self._unpin(key, server)
        self.mark_down(server, "it refuses connections")

    def _unpin(self, key: str | None, server: str) -> None:
        if key is not None and self._pins.get(key, _Pin("", 0)).server == server:
            del self._pins[key]
