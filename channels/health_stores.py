"""``/healthz`` checks of Rasa's shared stores in the scaled mode (deploy/endpoints.scaled.yml).

With several Rasa servers their conversations live in PostgreSQL (the SQL
tracker store) and each turn takes a lock in Redis (the lock store). Either
one down and no turn can be answered, whatever Rasa's own ``/status`` says;
so the gateway asks them directly and names them in its answer::

    {"rasa": "ok", "actions": "ok", "database": "ok",
     "lock store (redis)": "unreachable", "tracker store (postgresql)": "ok"}

- ``ICBOT_REDIS_URL`` (``redis://:PASSWORD@host:port/db``): Redis answers
  ``PING`` within ``timeout`` seconds. Nothing listening, or no answer in
  time, is ``"unreachable"``; an answer refusing us (a wrong password) is
  ``"down"``.
- ``ICBOT_TRACKER_STORE_URL`` when it is no SQLite file (the embedded
  tracker store is a file beside the CRM's, checked by ``database``): the
  database answers ``SELECT 1``. ``"down"`` until Rasa has created it.

The logs name the server (host and port), never the URL: it holds the password.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import redis.asyncio as aioredis
from anyio import to_thread
from redis.exceptions import AuthenticationError, RedisError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from .health import DOWN, Check, CheckFailed
from .settings import GatewaySettings

LOCK_STORE = "lock store (redis)"
UNREACHABLE = "unreachable"


def lock_store_check(url: str, *, timeout: float = 1.0) -> Check:
    """Rasa's Redis lock store answers ``PING`` (with its password) within ``timeout`` seconds."""
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or 6379}"

    async def probe() -> None:
        # A client per probe: no connection outlives the event loop that made it.
        client = aioredis.Redis.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry_on_timeout=False,
            # RESP2's AUTH, which every Redis since 1.0 speaks (RESP3's HELLO needs 6).
            protocol=2,
        )
        try:
            await client.ping()
        except AuthenticationError as exc:
            raise CheckFailed(f"{where} refused us: {exc!s}", state=DOWN) from exc
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise CheckFailed(f"{where}: {exc!s}", state=UNREACHABLE) from exc
        except RedisError as exc:
            raise CheckFailed(f"{where}: {type(exc).__name__}: {exc!s}") from exc
        finally:
            await client.aclose()

    return Check(name=LOCK_STORE, probe=probe)


def tracker_store_check(url: str, *, timeout: float = 1.0) -> Check | None:
    """The tracker store's database answers ``SELECT 1``; None for an SQLite file, or no URL."""
    if not url:
        return None
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return None
    connect_args: dict[str, Any] = {}
    if backend == "postgresql":
        connect_args["connect_timeout"] = max(1, round(timeout))
    engine: Engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    where = f"{parsed.host}:{parsed.port or ''}/{parsed.database}"

    def select_one() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    async def probe() -> None:
        try:
            await to_thread.run_sync(select_one, abandon_on_cancel=True)
        except SQLAlchemyError as exc:
            # The first line: the later ones may hold the statement's parameters.
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CheckFailed(f"{where}: {first}") from exc

    return Check(name=f"tracker store ({backend})", probe=probe)


def store_checks(settings: GatewaySettings) -> list[Check]:
    """The checks of the stores the settings name: Redis by URL, a tracker store on a server."""
    # Each within half the /healthz timeout, so its own clearer state comes first.
    timeout = max(0.5, settings.health_timeout / 2)
    checks = []
    if settings.redis_url:
        checks.append(lock_store_check(settings.redis_url, timeout=timeout))
    tracker = tracker_store_check(settings.crm.tracker_store_url, timeout=timeout)
    if tracker is not None:
        checks.append(tracker)
    return checks
