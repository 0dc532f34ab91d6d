"""``/healthz`` on Rasa's shared stores: Redis (the lock store) and a tracker store on a server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace

import pytest

from channels.health import Check, run_checks
from channels.health_stores import LOCK_STORE, lock_store_check, store_checks, tracker_store_check
from channels.settings import GatewaySettings
from launcher.stack import free_port

PASSWORD = "s3cret"  # a fake server's


async def _command(reader: asyncio.StreamReader) -> list[str]:
    """One RESP command (an array of bulk strings), as redis-py sends it."""
    header = await reader.readline()
    if not header:
        return []
    words = []
    for _ in range(int(header[1:])):
        length = int((await reader.readline())[1:])
        words.append((await reader.readexactly(length + 2))[:-2].decode())
    return words


Reply = Callable[[list[str]], bytes | None]


def redis_like(command: list[str]) -> bytes | None:
    """A Redis with a password: AUTH checked, PING answered, anything else OK."""
    name = command[0].upper()
    if name == "AUTH":
        return b"+OK\r\n" if command[-1] == PASSWORD else b"-WRONGPASS invalid password\r\n"
    return b"+PONG\r\n" if name == "PING" else b"+OK\r\n"


def silent(command: list[str]) -> bytes | None:
    """A server that takes the connection and never answers (a Redis hung or paused)."""
    return None


@asynccontextmanager
async def fake_redis(reply: Reply) -> AsyncIterator[int]:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while command := await _command(reader):
                answer = reply(command)
                if answer is None:
                    await asyncio.sleep(30)
                writer.write(answer or b"")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


async def _state(check: Check) -> tuple[dict[str, str], float]:
    started = time.monotonic()
    report = await run_checks([check], timeout=3.0)
    return report.parts, time.monotonic() - started


async def test_redis_answering_ping_is_ok() -> None:
    async with fake_redis(redis_like) as port:
        parts, _ = await _state(lock_store_check(f"redis://:{PASSWORD}@127.0.0.1:{port}/1"))
    assert parts == {LOCK_STORE: "ok"}


async def test_nothing_listening_is_unreachable_at_once() -> None:
    parts, took = await _state(lock_store_check(f"redis://:x@127.0.0.1:{free_port()}/1"))
    assert parts == {LOCK_STORE: "unreachable"}
    assert took < 1.0


async def test_a_redis_that_never_answers_is_unreachable_within_the_timeout() -> None:
    async with fake_redis(silent) as port:
        parts, took = await _state(
            lock_store_check(f"redis://:{PASSWORD}@127.0.0.1:{port}/1", timeout=0.5)
        )
    assert parts == {LOCK_STORE: "unreachable"}
    assert took < 2.0


async def test_a_wrong_password_is_down_and_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    async with fake_redis(redis_like) as port:
        parts, _ = await _state(lock_store_check(f"redis://:not-it@127.0.0.1:{port}/1"))
    assert parts == {LOCK_STORE: "down"}
    assert "lock store (redis) is down" in caplog.text
    assert "not-it" not in caplog.text


async def test_a_tracker_store_server_that_is_not_there_is_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"postgresql+psycopg://icbot:pw-of-it@127.0.0.1:{free_port()}/icbot_tracker"
    check = tracker_store_check(url)
    assert check is not None

    parts, took = await _state(check)

    assert parts == {"tracker store (postgresql)": "down"}
    assert took < 3.0
    assert "pw-of-it" not in caplog.text


def test_an_embedded_sqlite_tracker_store_is_not_checked_apart() -> None:
    assert tracker_store_check("sqlite:////tmp/tracker.db") is None


def test_the_settings_name_the_checks() -> None:
    settings = GatewaySettings.from_env({"DATABASE_URL": "sqlite:////tmp/icbot.db"})
    assert store_checks(settings) == []

    scaled = GatewaySettings.from_env(
        {
            "ICBOT_REDIS_URL": "redis://:pw@127.0.0.1:6390/1",
            "ICBOT_TRACKER_STORE_URL": "postgresql+psycopg://icbot:pw@127.0.0.1:5440/icbot_tracker",
        }
    )
    names = [check.name for check in store_checks(replace(scaled, health_timeout=2.0))]
    assert names == [LOCK_STORE, "tracker store (postgresql)"]
