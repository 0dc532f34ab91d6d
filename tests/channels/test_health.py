"""``GET /healthz``: every part named, 200 when all are up, 503 naming the part that is down."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.health import Check, CheckFailed, database_check, health_router, run_checks
from channels.settings import GatewaySettings


def test_healthy_database_is_ok(gateway: TestClient) -> None:
    response = gateway.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"database": "ok"})
    assert response.headers["cache-control"] == "no-store"


def _unreachable_database(tmp_path: Path) -> sessionmaker[Session]:
    # A database file under a regular file: SQLite cannot open it, like a server that is down.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    return sessionmaker(bind=create_engine(f"sqlite:///{blocker / 'crm.db'}"))


def test_database_down_is_503_naming_it(gateway_settings: GatewaySettings, tmp_path: Path) -> None:
    with TestClient(create_app(gateway_settings, _unreachable_database(tmp_path))) as client:
        response = client.get("/healthz")

    assert (response.status_code, response.json()) == (503, {"database": "down"})


async def _fine() -> None:
    return None


async def _broken() -> None:
    raise CheckFailed("answered 500")


async def _hung() -> None:
    await asyncio.sleep(10)


def test_every_part_is_named_and_the_down_one_says_so() -> None:
    app = FastAPI()
    checks = [Check("database", _fine), Check("rasa", _broken), Check("actions", _fine)]
    app.include_router(health_router(checks, timeout=1.0))

    response = TestClient(app).get("/healthz")

    assert (response.status_code, response.json()) == (
        503,
        {"database": "ok", "rasa": "down", "actions": "ok"},
    )


async def test_a_part_that_hangs_is_down_after_the_timeout() -> None:
    started = time.monotonic()

    report = await run_checks([Check("slow", _hung), Check("fast", _fine)], timeout=0.1)

    assert report.parts == {"slow": "down", "fast": "ok"}
    assert not report.healthy
    assert time.monotonic() - started < 1.0


async def test_database_check_runs_select_one(session_factory: sessionmaker[Session]) -> None:
    report = await run_checks([database_check(session_factory)], timeout=1.0)

    assert (report.parts, report.healthy) == ({"database": "ok"}, True)


async def test_database_check_fails_on_an_unreachable_database(tmp_path: Path) -> None:
    report = await run_checks([database_check(_unreachable_database(tmp_path))], timeout=1.0)

    assert report.parts == {"database": "down"}
