"""Desk logins under attack (issue 10, #6): failed attempts counted per user name and per
client, refused with 429 before any password is checked, and few password checks at once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from channels.limits import LimitSettings
from channels.settings import GatewaySettings
from crm_backend.services import agents
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.handoff_fakes import DeskBrowser, hidden

PASSWORD = "a long password"
LIMITS = LimitSettings(login_user="3/15minutes", login_client="5/15minutes", password_checks=1)


@pytest.fixture
def gateway_settings(gateway_settings: GatewaySettings) -> GatewaySettings:
    """The desk's settings with small login limits: 3 failures per user, 5 per client."""
    return replace(gateway_settings, limits=LIMITS)


@pytest.fixture
def staff(uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    with uow_factory() as uow:
        for name in ("anna", "ben"):
            agents.create_agent(uow, username=name, password=PASSWORD, display_name=name.title())
        uow.commit()


class VerifySpy:
    """Counts argon2 password checks, and how many ran at the same time."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.calls = 0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, hasher: PasswordHasher, stored: str, password: str) -> Any:
        with self._lock:
            self.calls += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            return self.real(hasher, stored, password)
        finally:
            with self._lock:
                self.running -= 1


@pytest.fixture
def verify_spy(monkeypatch: pytest.MonkeyPatch) -> VerifySpy:
    spy = VerifySpy(PasswordHasher.verify)

    def verify(hasher: PasswordHasher, stored: str, password: str) -> Any:
        return spy(hasher, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", verify)  # a function, so it binds as a method
    return spy


def browser(desk_gateway: TestClient, address: str = "203.0.113.7") -> DeskBrowser:
    """A browser of its own (own cookies) at ``address``."""
    return DeskBrowser(
        TestClient(desk_gateway.app, base_url="https://testserver", client=(address, 50000))
    )


def fail(client: DeskBrowser, username: str, times: int) -> list[int]:
    return [client.log_in(username, "not the password").status_code for _ in range(times)]


def test_after_the_users_failures_the_next_login_is_refused_before_any_password_check(
    desk_gateway: TestClient, staff: None, verify_spy: VerifySpy
) -> None:
    assert fail(browser(desk_gateway), "anna", 3) == [401, 401, 401]
    checks_before = verify_spy.calls

    # Even the right password, from another address: the user name is what is attacked.
    refused = browser(desk_gateway, "198.51.100.9").log_in("anna", PASSWORD)

    assert refused.status_code == 429
    seconds = int(refused.headers["retry-after"])
    assert 800 <= seconds <= 900
    assert refused.headers["content-type"].startswith("text/html")
    minutes = -(-seconds // 60)
    assert f"Too many failed logins. Please try again in {minutes} minutes." in refused.text
    assert "Traceback" not in refused.text
    assert hidden(refused.text, "csrf_token")  # the form is there again, for later
    assert "icbot_desk=" not in refused.headers.get("set-cookie", "").split("icbot_desk_login")[0]
    assert verify_spy.calls == checks_before


def test_other_users_are_not_locked_out_by_one_users_failures(
    desk_gateway: TestClient, staff: None
) -> None:
    fail(browser(desk_gateway), "anna", 3)

    assert browser(desk_gateway, "198.51.100.9").log_in("ben", PASSWORD).status_code == 303


def test_one_client_trying_many_user_names_is_refused(
    desk_gateway: TestClient, staff: None, verify_spy: VerifySpy
) -> None:
    client = browser(desk_gateway)
    statuses = [client.log_in(f"user{n}", "not the password").status_code for n in range(5)]
    checks_before = verify_spy.calls

    refused = client.log_in("ben", PASSWORD)

    assert (statuses, refused.status_code) == ([401] * 5, 429)
    assert int(refused.headers["retry-after"]) > 0
    assert verify_spy.calls == checks_before
    # Elsewhere, ben still logs in.
    assert browser(desk_gateway, "198.51.100.9").log_in("ben", PASSWORD).status_code == 303


def test_a_successful_login_clears_the_users_failures(
    desk_gateway: TestClient, staff: None
) -> None:
    client = browser(desk_gateway)
    first = fail(client, "anna", 2)
    assert client.log_in("anna", PASSWORD).status_code == 303

    again = fail(browser(desk_gateway, "198.51.100.9"), "anna", 3)

    assert (first, again) == ([401, 401], [401, 401, 401])


def test_a_user_name_counts_however_it_is_spelled(desk_gateway: TestClient, staff: None) -> None:
    client = browser(desk_gateway, "198.51.100.1")
    statuses = [
        client.log_in(name, "not the password").status_code for name in ("anna", " ANNA", "Anna ")
    ]

    refused = browser(desk_gateway, "198.51.100.2").log_in("aNNa", PASSWORD)

    assert (statuses, refused.status_code) == ([401, 401, 401], 429)


async def test_password_checks_run_a_few_at_a_time(
    desk_gateway: TestClient, staff: None, verify_spy: VerifySpy
) -> None:
    app = desk_gateway.app
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 123))  # type: ignore[arg-type]

    async def log_in(username: str) -> int:
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
            page = await c.get("/desk/login")
            token = hidden(page.text, "csrf_token")
            response = await c.post(
                "/desk/login",
                data={"username": username, "password": PASSWORD, "csrf_token": token},
            )
            return response.status_code

    statuses = await asyncio.gather(*(log_in(name) for name in ("anna", "ben", "anna", "ben")))

    assert statuses == [303, 303, 303, 303]
    assert (verify_spy.calls, verify_spy.most_at_once) == (4, LIMITS.password_checks)


def test_the_login_limits_come_from_the_environment() -> None:
    settings = LimitSettings.from_env(
        {
            "ICBOT_LIMIT_LOGIN_USER": "4/10minutes",
            "ICBOT_LIMIT_LOGIN_CLIENT": "9/hour",
            "ICBOT_PASSWORD_CHECKS": "3",
        }
    )

    assert (settings.login_user, settings.login_client, settings.password_checks) == (
        "4/10minutes",
        "9/hour",
        3,
    )
