"""``GET /healthz``: every part named, 200 when all are up, 503 naming the part that is down."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.health import (
    Check,
    CheckFailed,
    actions_check,
    database_check,
    health_router,
    rasa_check,
    rasa_checks,
    run_checks,
)
from channels.settings import GatewaySettings
from launcher.stack import free_port


def test_the_gateway_alone_names_rasa_and_actions_down(gateway: TestClient) -> None:
    response = gateway.get("/healthz")

    assert (response.status_code, response.json()) == (
        503,
        {"rasa": "down", "rasa_languages": {"en": "down"}, "actions": "down", "database": "ok"},
    )
    assert response.headers["cache-control"] == "no-store"


def _unreachable_database(tmp_path: Path) -> sessionmaker[Session]:
    # A database file under a regular file: SQLite cannot open it, like a server that is down.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    return sessionmaker(bind=create_engine(f"sqlite:///{blocker / 'crm.db'}"))


def test_database_down_is_503_naming_it(gateway_settings: GatewaySettings, tmp_path: Path) -> None:
    with TestClient(create_app(gateway_settings, _unreachable_database(tmp_path))) as client:
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


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


async def _ready() -> bool:
    return True


async def _not_ready() -> bool:
    return False


async def test_rasa_is_ok_only_with_a_model_loaded() -> None:
    report = await run_checks([rasa_check(_ready)], timeout=1.0)
    assert report.parts == {"rasa": "ok"}

    report = await run_checks([rasa_check(_not_ready)], timeout=1.0)
    assert report.parts == {"rasa": "down"}


def _action_server(status: int, seen: list[str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(status, json={"status": "ok"})

    return httpx.MockTransport(handle)


async def test_actions_check_asks_the_health_route_beside_the_webhook() -> None:
    seen: list[str] = []
    check = actions_check("http://actions:5055/webhook", transport=_action_server(200, seen))

    report = await run_checks([check], timeout=1.0)

    assert (report.parts, seen) == ({"actions": "ok"}, ["http://actions:5055/health"])


async def test_actions_check_is_down_on_an_error_answer() -> None:
    check = actions_check("http://actions:5055/webhook", transport=_action_server(500, []))

    report = await run_checks([check], timeout=1.0)

    assert report.parts == {"actions": "down"}


async def test_actions_check_is_down_when_nothing_listens() -> None:
    check = actions_check(f"http://127.0.0.1:{free_port()}/webhook")

    report = await run_checks([check], timeout=1.0)

    assert report.parts == {"actions": "down"}


def _supervised_app(tmp_path: Path, status: dict[str, object] | None) -> TestClient:
    if status is not None:
        (tmp_path / "supervisor.json").write_text(json.dumps(status))
    app = FastAPI()
    checks = [Check("rasa", _fine), Check("actions", _broken)]
    app.include_router(health_router(checks, timeout=1.0, var_dir=tmp_path))
    return TestClient(app)


def test_a_part_the_supervisor_gave_up_on_says_so_and_the_dialer_is_named(
    tmp_path: Path,
) -> None:
    status = {
        "actions": {"state": "given up", "crashes": 5, "reason": "crashed 5 times"},
        "rasa": {"state": "running", "crashes": 0},
        "gateway": {"state": "running", "crashes": 0},
        "dialer": {"state": "running", "crashes": 2},
    }

    response = _supervised_app(tmp_path, status).get("/healthz")

    assert (response.status_code, response.json()) == (
        503,
        {"rasa": "ok", "actions": "given up", "dialer": "ok"},
    )


def test_a_dialer_being_restarted_is_down(tmp_path: Path) -> None:
    status = {"dialer": {"state": "restarting", "crashes": 1}, "actions": {"state": "running"}}

    response = _supervised_app(tmp_path, status).get("/healthz")

    assert response.json() == {"rasa": "ok", "actions": "down", "dialer": "down"}


def test_without_a_supervisor_only_the_probes_speak(tmp_path: Path) -> None:
    (tmp_path / "supervisor.json").write_text("not json")

    assert _supervised_app(tmp_path, None).get("/healthz").json() == {
        "rasa": "ok",
        "actions": "down",
    }


# --- several Rasa servers -------------------------------------------------------------------

RASA_1, RASA_2 = "http://rasa-1.test", "http://rasa-2.test"


def _servers_app(
    ready: set[str], tmp_path: Path, status: dict[str, object] | None = None
) -> TestClient:
    async def is_ready(url: str) -> bool:
        return url in ready

    if status is not None:
        (tmp_path / "supervisor.json").write_text(json.dumps(status))
    app = FastAPI()
    servers = {RASA_1: "rasa-1", RASA_2: "rasa-2"}
    checks = [*rasa_checks(is_ready, servers), Check("actions", _fine)]
    app.include_router(health_router(checks, timeout=1.0, var_dir=tmp_path))
    return TestClient(app)


@pytest.mark.parametrize(
    ("ready", "code", "parts"),
    [
        pytest.param(
            {RASA_1, RASA_2}, 200, {"rasa": "ok", "rasa-1": "ok", "rasa-2": "ok"}, id="all"
        ),
        pytest.param({RASA_1}, 200, {"rasa": "ok", "rasa-1": "ok", "rasa-2": "down"}, id="one"),
        pytest.param(set(), 503, {"rasa": "down", "rasa-1": "down", "rasa-2": "down"}, id="none"),
    ],
)
def test_several_rasa_servers_are_each_named_and_rasa_is_ok_while_one_is(
    tmp_path: Path, ready: set[str], code: int, parts: dict[str, str]
) -> None:
    response = _servers_app(ready, tmp_path).get("/healthz")

    languages = {"en": parts["rasa"]}
    assert (response.status_code, response.json()) == (
        code,
        {**parts, "rasa_languages": languages, "actions": "ok"},
    )
    assert list(response.json()) == ["rasa", "rasa_languages", "rasa-1", "rasa-2", "actions"]


def test_a_rasa_server_given_up_on_says_so_and_the_other_serves(tmp_path: Path) -> None:
    status = {"rasa-1": {"state": "given up"}, "rasa-2": {"state": "running"}}

    response = _servers_app({RASA_2}, tmp_path, status).get("/healthz")

    assert (response.status_code, response.json()) == (
        200,
        {
            "rasa": "ok",
            "rasa_languages": {"en": "ok"},
            "rasa-1": "given up",
            "rasa-2": "ok",
            "actions": "ok",
        },
    )


def test_every_rasa_server_given_up_is_rasa_given_up(tmp_path: Path) -> None:
    status = {"rasa-1": {"state": "given up"}, "rasa-2": {"state": "given up"}}

    response = _servers_app(set(), tmp_path, status).get("/healthz")

    assert (response.status_code, response.json()["rasa"]) == (503, "given up")


def test_the_gateway_reads_its_rasa_servers_from_icbot_rasa_urls(
    gateway_settings: GatewaySettings, session_factory: sessionmaker[Session]
) -> None:
    first, second = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    settings = GatewaySettings.from_env(
        {"ICBOT_RASA_URLS": f"{first}, {second},", "ICBOT_RASA_URL": "http://ignored:1"}
    )
    two = replace(gateway_settings, rasa_urls=settings.rasa_urls)

    with TestClient(create_app(two, session_factory)) as client:
        response = client.get("/healthz")

    assert settings.rasa_servers == {"en": (first, second)}
    assert GatewaySettings.from_env({"ICBOT_RASA_URL": first}).rasa_servers == {"en": (first,)}
    assert (response.status_code, response.json()) == (
        503,
        {
            "rasa": "down",
            "rasa_languages": {"en": "down"},
            "rasa-1": "down",
            "rasa-2": "down",
            "actions": "down",
            "database": "ok",
        },
    )


# --- one Rasa per language --------------------------------------------------------------------

RASA_FR = "http://rasa-fr.test"


def _languages_app(ready: set[str], tmp_path: Path, status: dict[str, object] | None = None):
    async def is_ready(url: str) -> bool:
        return url in ready

    if status is not None:
        (tmp_path / "supervisor.json").write_text(json.dumps(status))
    app = FastAPI()
    checks = [
        *rasa_checks(is_ready, {RASA_1: "rasa"}, language="en"),
        *rasa_checks(is_ready, {RASA_FR: "rasa-fr"}, language="fr"),
        Check("actions", _fine),
        Check("database", _fine),
    ]
    app.include_router(health_router(checks, timeout=1.0, var_dir=tmp_path))
    return TestClient(app)


@pytest.mark.parametrize(
    ("ready", "code", "rasa", "languages"),
    [
        pytest.param({RASA_1, RASA_FR}, 200, "ok", {"en": "ok", "fr": "ok"}, id="both"),
        pytest.param({RASA_1}, 503, "down", {"en": "ok", "fr": "down"}, id="french-down"),
        pytest.param({RASA_FR}, 503, "down", {"en": "down", "fr": "ok"}, id="english-down"),
    ],
)
def test_each_language_is_named_and_rasa_is_ok_only_when_all_are(
    tmp_path: Path, ready: set[str], code: int, rasa: str, languages: dict[str, str]
) -> None:
    response = _languages_app(ready, tmp_path).get("/healthz")

    assert (response.status_code, response.json()) == (
        code,
        {
            "rasa": rasa,
            "rasa_languages": languages,
            "rasa-fr": languages["fr"],
            "actions": "ok",
            "database": "ok",
        },
    )


def test_a_language_given_up_on_says_so(tmp_path: Path) -> None:
    status = {"rasa-fr": {"state": "given up"}, "rasa": {"state": "running"}}

    response = _languages_app({RASA_1}, tmp_path, status).get("/healthz")

    assert response.status_code == 503
    assert response.json()["rasa_languages"] == {"en": "ok", "fr": "given up"}
    assert response.json()["rasa"] == "down"


def test_the_gateway_reads_each_languages_servers_from_icbot_rasa_urls(
    gateway_settings: GatewaySettings, session_factory: sessionmaker[Session]
) -> None:
    en, fr = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    settings = GatewaySettings.from_env({"ICBOT_RASA_URLS": f"en={en},fr={fr}"})
    both = replace(gateway_settings, rasa_urls=settings.rasa_urls)

    with TestClient(create_app(both, session_factory)) as client:
        body = client.get("/healthz").json()

    assert settings.rasa_servers == {"en": (en,), "fr": (fr,)}
    assert body["rasa_languages"] == {"en": "down", "fr": "down"}
    assert (body["rasa"], body["rasa-fr"]) == ("down", "down")
