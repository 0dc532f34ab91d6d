"""Rate limits of the doors, counted by the ``limits`` library in moving windows.

Every door counts before it works: a client that asked too often gets 429
with ``Retry-After`` and costs nothing more. The counters live in the
storage ``ICBOT_RATE_LIMIT_STORAGE`` names: ``memory://`` (the default, one
gateway process) or ``redis://host:6379`` when several gateways must share
them. Each rule is in the ``limits`` notation ("200/hour", "5/minute") and
has its own setting (:class:`LimitSettings`).

Who "a client" is: the peer address of the request. Behind a reverse proxy,
set ``ICBOT_TRUSTED_PROXIES`` to the proxies' addresses, and the last address
in ``X-Forwarded-For`` that is not one of them counts instead; a header from
anyone else is ignored, since any client can write one.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from limits import RateLimitItem, WindowStats, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LimitSettings:
    """The doors' limits; each rule is "<count>/<period>" (``limits`` notation)."""

    storage: str = "memory://"
    trusted_proxies: frozenset[str] = field(default_factory=frozenset)
    # The chat API, per client: new conversations, messages, open long polls, handoffs.
    conversations: str = "200/hour"
    messages: str = "1200/hour"
    conversation_messages: str = "30/minute"
    handoffs: str = "5/hour"
    open_polls: int = 5
    # The desk's login form: per user name and per client.
    login_user: str = "10/15minutes"
    login_client: str = "30/15minutes"
    # Password checks at once (argon2id costs 64 MiB and ~0.3 s of a core each).
    password_checks: int = 2

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LimitSettings:
        """Read the settings from ``env``; a rule that does not parse is refused here.

        Raises:
            ValueError: a rule ``limits`` cannot read, or a count below 1.
        """
        defaults = cls()
        settings = cls(
            storage=env.get("ICBOT_RATE_LIMIT_STORAGE") or defaults.storage,
            trusted_proxies=frozenset(
                p.strip() for p in (env.get("ICBOT_TRUSTED_PROXIES") or "").split(",") if p.strip()
            ),
            conversations=env.get("ICBOT_LIMIT_CONVERSATIONS") or defaults.conversations,
            messages=env.get("ICBOT_LIMIT_MESSAGES") or defaults.messages,
            conversation_messages=env.get("ICBOT_LIMIT_CONVERSATION_MESSAGES")
            or defaults.conversation_messages,
            handoffs=env.get("ICBOT_LIMIT_HANDOFFS") or defaults.handoffs,
            open_polls=int(env.get("ICBOT_LIMIT_OPEN_POLLS") or defaults.open_polls),
            login_user=env.get("ICBOT_LIMIT_LOGIN_USER") or defaults.login_user,
            login_client=env.get("ICBOT_LIMIT_LOGIN_CLIENT") or defaults.login_client,
            password_checks=int(env.get("ICBOT_PASSWORD_CHECKS") or defaults.password_checks),
        )
        for rule in settings.rules():
            parse(rule)  # raises ValueError with the rule's text
        if settings.open_polls < 1 or settings.password_checks < 1:
            raise ValueError("ICBOT_LIMIT_OPEN_POLLS and ICBOT_PASSWORD_CHECKS must be 1 or more")
        return settings

    def rules(self) -> tuple[str, ...]:
        """Every rule in ``limits`` notation."""
        return (
            self.conversations,
            self.messages,
            self.conversation_messages,
            self.handoffs,
            self.login_user,
            self.login_client,
        )


class RateLimited(HTTPException):
    """429 with ``Retry-After``: the client asked too often."""

    def __init__(self, retry_after: float, detail: str) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            status_code=429,
            detail=f"{detail}; try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )
        self.retry_after = seconds


class RateLimits:
    """Moving-window counters on one storage, shared by the doors of one app.

    When a shared storage (Redis) cannot be reached, the counting goes on in
    this process's memory, so the doors stay open and limited while it is
    away (a warning says so once); it goes back to the shared one when it
    answers again. A hung storage costs at most a second per request.
    """

    def __init__(self, settings: LimitSettings) -> None:
        self.settings = settings
        storage = storage_from_string(
            settings.storage, wrap_exceptions=True, socket_timeout=1, socket_connect_timeout=1
        )
        self._shared = MovingWindowRateLimiter(storage)
        self._local = MovingWindowRateLimiter(storage_from_string("memory://"))
        self._degraded = False
        self._items: dict[str, RateLimitItem] = {}

    def _count(self, method: str, *args: Any) -> Any:
        """``method`` of the shared limiter, else of the local one while the shared is away."""
        try:
            result = getattr(self._shared, method)(*args)
        except StorageError as exc:
            if not self._degraded:
                log.warning(
                    "rate limits: the storage is unreachable (%s); counting in this process",
                    type(exc.storage_error).__name__,
                )
            self._degraded = True
            return getattr(self._local, method)(*args)
        if self._degraded:
            log.warning("rate limits: the storage answers again")
            self._degraded = False
        return result

    def _item(self, rule: str) -> RateLimitItem:
        if rule not in self._items:
            self._items[rule] = parse(rule)
        return self._items[rule]

    def hit(self, rule: str, *key: str) -> float | None:
        """Count one hit against ``rule`` for ``key``: None within it, else seconds to wait.

        A refused hit is not counted, so a client that waits gets back in.
        """
        item = self._item(rule)
        if self._count("hit", item, *key):
            return None
        return self.wait(rule, *key)

    def allows(self, rule: str, *key: str) -> bool:
        """Whether one more hit would pass, without counting it."""
        return bool(self._count("test", self._item(rule), *key))

    def wait(self, rule: str, *key: str) -> float:
        """Seconds until ``key`` may hit ``rule`` again (0 when it may now)."""
        stats: WindowStats = self._count("get_window_stats", self._item(rule), *key)
        if stats.remaining > 0:
            return 0.0
        return max(1.0, stats.reset_time - time.time())

    def require(self, rule: str, *key: str, detail: str) -> None:
        """Count one hit, or raise :class:`RateLimited`.

        Raises:
            RateLimited: over the limit.
        """
        retry_after = self.hit(rule, *key)
        if retry_after is not None:
            raise RateLimited(retry_after, detail)

    def clear(self, rule: str, *key: str) -> None:
        """Forget ``key``'s hits of ``rule`` (a successful login clears its failures)."""
        self._count("clear", self._item(rule), *key)


def client_address(request: Request, trusted_proxies: frozenset[str] = frozenset()) -> str:
    """Who is asking: the peer, or behind a trusted proxy the address it forwarded for."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    forwarded = [
        hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()
    ]
    for hop in reversed(forwarded):
        if hop not in trusted_proxies:
            return hop
    return peer


def app_limits(request: Request) -> RateLimits:
    """The app's rate limits (a FastAPI dependency)."""
    limits: RateLimits = request.app.state.limits
    return limits


def client_of(request: Request) -> str:
    """The request's client under the app's trusted proxies (a FastAPI dependency)."""
    return client_address(request, app_limits(request).settings.trusted_proxies)
