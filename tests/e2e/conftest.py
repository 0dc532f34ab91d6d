"""The real stack, started once per test session on free ports.

Rasa with the really trained model, the action server and the gateway run as
child processes on a fresh seeded SQLite database; the fixture's teardown stops
them all. The model must exist (``make test`` trains it first).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from crm_backend.db import build_engine
from languages import DEFAULT, languages
from launcher.stack import REPO_ROOT, Ports, Stack, model_path

API_TOKEN = "e2e-integration-token"
TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token"
PIERRE = 1  # the seed's first account, C-100001
PIERRES_PHONE = "+33612345678"
# The company's French line: calls and texts to it are served in French (ICBOT_NUMBER_LANGUAGES).
FRENCH_NUMBER = "+33411223344"
# The company's line on the streaming phone door (ICBOT_RELAY_NUMBERS, docs/phone.md): only
# tests/e2e/test_phone_relay.py calls it; every other number keeps the <Gather> door.
RELAY_NUMBER = "+33900000042"


@dataclass
class LiveStack:
    """What the e2e tests need of the running stack."""

    stack: Stack
    database_url: str
    sessions: sessionmaker[Session]

    @property
    def url(self) -> str:
        return self.stack.gateway_url


def stack_env(var_dir: Path, ports: Ports) -> dict[str, str]:
    """The environment of an e2e stack on ``var_dir``: a seeded database, the scripts copied."""
    database_url = f"sqlite:///{var_dir / 'icbot.db'}"
    # The interactive scripts, copied: a test changes one as marketing would.
    scripts_dir = var_dir / "scripts"
    shutil.copytree(REPO_ROOT / "data" / "scripts", scripts_dir)
    env = {
        "DATABASE_URL": database_url,
        "ICBOT_VAR_DIR": str(var_dir),
        "ICBOT_API_TOKEN": API_TOKEN,
        "ICBOT_SCRIPTS_DIR": str(scripts_dir),
        # "Save as test story" (/desk/review) writes here, never into the repository's tests.
        "ICBOT_REVIEW_STORIES_DIR": str(var_dir / "review-stories"),
        # Agents take conversations at any hour here (the default hours are office hours).
        "ICBOT_DESK_HOURS": "mon-sun 00:00-24:00",
        # Twilio signs for the public URL; here the gateway is its own public URL.
        "ICBOT_PUBLIC_URL": f"http://127.0.0.1:{ports.gateway}",
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "ICBOT_NUMBER_LANGUAGES": f"{FRENCH_NUMBER}=fr",
        "ICBOT_RELAY_NUMBERS": RELAY_NUMBER,
        # The relay door sends a reply's next sentence as the one before is heard: these
        # callers listen fast (at the default 15 characters a second a call takes minutes).
        "ICBOT_RELAY_SPEECH_RATE": "40",
        "RASA_TELEMETRY_ENABLED": "false",
        # Every customer of these tests is one client (127.0.0.1), and several ask for a person.
        "ICBOT_LIMIT_HANDOFFS": "100/hour",
        # The tests are the gateway's reverse proxy: a test that plays one client from the
        # internet names it in X-Forwarded-For, and its limits are not the other tests'.
        "ICBOT_TRUSTED_PROXIES": "127.0.0.1",
    }
    seed(env)
    return env


def seed(env: dict[str, str]) -> None:
    """Migrate and seed the database ``env`` names, as ``make run`` does."""
    subprocess.run(
        [sys.executable, "-m", "crm_backend", "seed"],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def running(stack: Stack) -> Iterator[LiveStack]:
    """The stack started, as a :class:`LiveStack`; stopped after, its logs' tails shown."""
    database_url = stack.env["DATABASE_URL"]
    with stack:
        # The tests' own reader pings on every checkout: it reads across the restarts of
        # PostgreSQL the fault tests make, and is not what they test.
        engine = build_engine(database_url, ping_after_idle=0.0)
        try:
            yield LiveStack(stack=stack, database_url=database_url, sessions=sessionmaker(engine))
        finally:
            engine.dispose()
            for name in stack.commands():
                log = Path(stack.log_path(name))
                if log.exists():
                    # Kept in the test output on failure, where CI shows it.
                    sys.stderr.write(f"\n--- tail of {name}.log ---\n")
                    sys.stderr.write(
                        "".join(log.read_text(errors="replace").splitlines(True)[-40:])
                    )


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """The stack as `make run` starts it: a Rasa server per language, on one tracker store."""
    models = {language: model_path(language) for language in languages()}
    missing = [str(model) for model in models.values() if not model.exists()]
    if missing:
        pytest.fail(f"no trained model at {', '.join(missing)}: run `make model` (make test does)")
    var_dir = tmp_path_factory.mktemp("e2e-var")
    ports = Ports.free()
    env = stack_env(var_dir, ports)
    others = {language: model for language, model in models.items() if language != DEFAULT}
    stack = Stack(ports=ports, env=env, log_dir=var_dir / "log", language_models=others)
    with running(stack) as live:
        yield live


def rasa_tracker(live: LiveStack, sender: str, *, rasa_url: str | None = None) -> dict[str, Any]:
    """Rasa's tracker of ``sender`` (``api-<id>``, ``web-<id>``), from ``rasa_url`` or the first."""
    response = httpx.get(
        f"{rasa_url or live.stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": live.stack.rasa_token},
        timeout=30,
    )
    response.raise_for_status()
    tracker: dict[str, Any] = response.json()
    return tracker


def restore_pierres_phone(live: LiveStack) -> None:
    """Make the seed's number Pierre's primary phone again, whatever a test changed."""
    from crm_backend.services.accounts import update_phone
    from crm_backend.uow import SqlAlchemyUnitOfWork

    with SqlAlchemyUnitOfWork(live.sessions) as uow:
        update_phone(uow, account_id=PIERRE, phone=PIERRES_PHONE)
        uow.commit()


@pytest.fixture
def live(live_stack: LiveStack) -> LiveStack:
    """The live stack, with Pierre's phone as the seed has it."""
    restore_pierres_phone(live_stack)
    return live_stack


class Chat:
    """One customer's conversation through the chat API.

    An anonymous chat gets its id from the gateway (``POST /api/conversations``),
    as the web page does; with the token, the test names it.
    """

    def __init__(
        self, base_url: str, conversation_id: str | None = None, *, token: str | None = None
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=base_url, headers=headers, timeout=30)
        if token is None:
            assert conversation_id is None, "an anonymous chat talks on an id the gateway issues"
            started = self.client.post("/api/conversations", json={})
            assert started.status_code == 201, started.text
            conversation_id = str(started.json()["conversation_id"])
        assert conversation_id is not None, "a trusted chat names its conversation"
        self.conversation_id = conversation_id
        self.replies: list[dict[str, Any]] = []

    def say(self, text: str, **metadata: Any) -> str:
        """Send a message; return the bot's messages joined, for assertions."""
        response = self.client.post(
            f"/api/conversations/{self.conversation_id}/messages",
            json={"text": text, "metadata": metadata},
        )
        assert response.status_code == 200, response.text
        reply = response.json()
        assert reply["conversation_id"] == self.conversation_id
        self.replies.append(reply)
        return "\n".join(m["text"] for m in reply["messages"])

    @property
    def everything_said(self) -> str:
        """Every text and button the bot sent in this conversation."""
        parts = []
        for reply in self.replies:
            for message in reply["messages"]:
                parts.append(message["text"])
                parts.extend(f"{b['title']} {b['payload']}" for b in message.get("buttons", []))
        return "\n".join(parts)

    def __enter__(self) -> Chat:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()


# Debian's Chromium, headless. It must not reach for Google's services: the
# machine's network is closed and those connections would only be refused.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per module of page tests; each test opens its own context.

    Module, not session: sync Playwright keeps an event loop running while it
    is open, and the async tests of later modules need theirs.
    """
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()
