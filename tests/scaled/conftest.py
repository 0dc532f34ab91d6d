"""The scaled stack, started once for the scaled lane (``make test-scaled``): real processes.

PostgreSQL and Redis from ``tools/scaled-services`` (the lane fails when they
cannot start: nothing here is skipped), the CRM seeded in PostgreSQL, and the
launcher's stack in its scaled mode, two Rasa servers on the PostgreSQL
tracker store and the Redis lock store, supervised as ``make run`` has them.
``make test`` does not collect this folder (pyproject's ``norecursedirs``).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from crm_backend.models import SalesOrder
from launcher import services as services_script
from launcher.stack import DEFAULT_MODEL, SCALED_ENDPOINTS, Ports, Stack
from launcher.supervisor import Supervisor
from tests.e2e.conftest import API_TOKEN, PIERRES_PHONE, LiveStack, running, seed

IDENTIFY: tuple[tuple[str, dict[str, str]], ...] = (
    ("Hello", {"phone": PIERRES_PHONE}),
    ("69002", {}),
    ("Yes", {}),
)
ORDER = "I'd like two Nova 14 please"


def start_services() -> dict[str, str]:
    """``tools/scaled-services start``: its ``export NAME=value`` lines as a dict."""
    try:
        return services_script.start()
    except services_script.ServicesError as exc:
        pytest.fail(str(exc))


def services(command: str, env: dict[str, str]) -> None:
    """Stop or start one service, on its port and data (``pg-stop``, ``redis-start``…)."""
    services_script.run(command, env)


@dataclass
class Scaled:
    """The running scaled stack, its services' environment and its supervisor."""

    live: LiveStack
    env: dict[str, str]
    supervisor: Supervisor

    @property
    def url(self) -> str:
        return self.live.url

    def health(self) -> tuple[int, dict[str, str]]:
        response = httpx.get(f"{self.url}/healthz", timeout=10)
        return response.status_code, response.json()

    def orders_of(self, conversation_id: str) -> list[str]:
        """The numbers of the orders a conversation placed (their keys start with its sender)."""
        with self.live.sessions() as session:
            query = select(SalesOrder.number).where(
                SalesOrder.idempotency_key.startswith(f"api-{conversation_id}:")
            )
            return list(session.scalars(query))

    def tracker(self, conversation_id: str, rasa: str) -> dict[str, Any]:
        response = httpx.get(
            f"{self.live.stack.rasa_urls[rasa]}/conversations/api-{conversation_id}/tracker",
            params={"token": self.live.stack.rasa_token},
            timeout=30,
        )
        response.raise_for_status()
        tracker: dict[str, Any] = response.json()
        return tracker


@pytest.fixture(scope="session")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make model`")
    exports = start_services()
    try:
        var_dir = tmp_path_factory.mktemp("scaled-var")
        ports = Ports.free()
        env = {
            **exports,
            "ICBOT_VAR_DIR": str(var_dir),
            "ICBOT_API_TOKEN": API_TOKEN,
            "ICBOT_PUBLIC_URL": f"http://127.0.0.1:{ports.gateway}",
            "RASA_TELEMETRY_ENABLED": "false",
            "ICBOT_TRUSTED_PROXIES": "127.0.0.1",
        }
        seed(env)
        stack = Stack(ports=ports, env=env, log_dir=var_dir / "log", rasa_servers=2)
        assert stack.endpoints == SCALED_ENDPOINTS
        with running(stack) as live:
            supervisor = Supervisor(stack).start()
            try:
                yield Scaled(live=live, env=exports, supervisor=supervisor)
            finally:
                supervisor.stop()
    finally:
        services_script.stop(exports)


class Customer:
    """One conversation of the chat API, with the token: what was sent, what was answered."""

    def __init__(self, base_url: str, conversation_id: str) -> None:
        self.client = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=60
        )
        self.conversation_id = conversation_id
        # (text, status): 200 answered, 503 the apology.
        self.sent: list[tuple[str, int]] = []

    def say(self, text: str, **metadata: Any) -> tuple[int, str]:
        response = self.client.post(
            f"/api/conversations/{self.conversation_id}/messages",
            json={"text": text, "metadata": metadata},
        )
        assert response.status_code in (200, 503), response.text
        self.sent.append((text, response.status_code))
        said = "\n".join(m["text"] for m in response.json()["messages"])
        return response.status_code, said

    def say_until_answered(self, text: str, timeout: float = 60) -> str:
        """Say ``text`` again after each apology, as the customer would, until answered."""
        deadline = time.monotonic() + timeout
        while True:
            status, said = self.say(text)
            if status == 200:
                return said
            assert time.monotonic() < deadline, f"still apologising after {timeout:.0f} s: {said}"
            time.sleep(1)

    def close(self) -> None:
        self.client.close()


def answered_once(sent: list[tuple[str, int]], tracker: dict[str, Any]) -> bool:
    """Whether the tracker holds every answered message once, in order, and no other.

    An apologised message may be in it (Rasa saved the turn, then died before
    answering) or not (it died first), but never twice.
    """
    told = [str(e.get("text")) for e in tracker["events"] if e.get("event") == "user"]

    @functools.cache
    def fits(i: int, j: int) -> bool:  # sent[i:] explains told[j:]
        if i == len(sent):
            return j == len(told)
        text, status = sent[i]
        if j < len(told) and told[j] == text and fits(i + 1, j + 1):
            return True
        return status != 200 and fits(i + 1, j)

    return fits(0, 0)


def wait_for(
    what: str, condition: Callable[[], bool], timeout: float, *, every: float = 0.5
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not {what} after {timeout:.0f} s"
        time.sleep(every)
