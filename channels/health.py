"""``GET /healthz``: is every part of icbot up?

A health check is a name and an async probe that returns when the part is
fine and raises :class:`CheckFailed` when it is not. The checks run at once,
each within a timeout; the answer names every part, ``"ok"`` or ``"down"``,
with 200 when all are ok and 503 otherwise::

    {"database": "ok", "rasa": "down"}

Adding a part is one more :class:`Check` in the list ``create_app`` passes.

Under ``make run`` the launcher's supervisor (``launcher/supervisor.py``)
writes ``<ICBOT_VAR_DIR>/supervisor.json``: each process's state,
``running``, ``restarting`` or ``given up``. A part given up on answers
``"given up"`` instead of ``"down"`` (it will not come back by itself), and
a supervised process no probe reaches (the dialer) is named from the file
alone::

    {"rasa": "ok", "actions": "given up", "database": "ok", "dialer": "ok"}

Several Rasa servers (``ICBOT_RASA_URLS``) are a group: each is named as the
launcher names its process (``rasa-1``, ``rasa-2``, …) and said ``"ok"``,
``"down"`` or ``"given up"``, while ``"rasa"`` is ``"ok"`` as long as one of
them is (each conversation moves to a server that is up). Only ``"rasa"``
counts for the status code::

    {"rasa": "ok", "rasa-1": "ok", "rasa-2": "down", "actions": "ok", "database": "ok"}

Each language has its own Rasa server, or group of them (``ICBOT_RASA_URLS``,
``fr=…``): ``"rasa_languages"`` names each language's state (a group's, as above),
and ``"rasa"`` is ``"ok"`` only when every language is (a language without its
server cannot be spoken). Another language's servers are named ``rasa-fr``, or
``rasa-fr-1``, ``rasa-fr-2``, … as the launcher names them::

    {"rasa": "down", "rasa_languages": {"en": "ok", "fr": "down"}, "rasa-fr": "down", …}
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import httpx
from anyio import to_thread
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from launcher.supervisor import GIVEN_UP, read_status

log = logging.getLogger(__name__)

OK = "ok"
DOWN = "down"
# The group of one language's Rasa servers: "rasa:en"; folded into "rasa_languages".
LANGUAGE_GROUP = "rasa:"
# The gateway answering this request is running, whatever the file says.
_SELF = "gateway"


class CheckFailed(Exception):
    """A part answered, but not well (or not at all); the message says how.

    ``state`` is what the answer says of the part: ``"down"``, or a clearer word
    where the probe knows it (``"unreachable"``: nothing answers at its address).
    """

    def __init__(self, message: str, *, state: str = DOWN) -> None:
        super().__init__(message)
        self.state = state


@dataclass(frozen=True)
class Check:
    """One part to check: its name in the answer and how to probe it."""

    name: str
    probe: Callable[[], Awaitable[None]]
    # One of redundant parts: the group (named in the answer too) is ok while one of them is.
    group: str | None = None


@dataclass(frozen=True)
class HealthReport:
    """Each part's state, and the groups of redundant parts (group name: its parts' names)."""

    parts: dict[str, str]
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        """Whether every part is ok, a group's parts aside (their group speaks for them)."""
        members = {name for names in self.groups.values() for name in names}
        return all(state == OK for name, state in self.parts.items() if name not in members)


async def _state(check: Check, timeout: float) -> str:
    try:
        await asyncio.wait_for(check.probe(), timeout)
    except TimeoutError:
        log.warning("health: %s did not answer within %.1f s", check.name, timeout)
        return DOWN
    except CheckFailed as exc:
        log.warning("health: %s is %s: %s", check.name, exc.state, exc)
        return exc.state
    return OK


async def run_checks(checks: Sequence[Check], *, timeout: float) -> HealthReport:
    """Run every check at once, each within ``timeout`` seconds."""
    states = await asyncio.gather(*(_state(check, timeout) for check in checks))
    groups: dict[str, tuple[str, ...]] = {}
    for check in checks:
        if check.group is not None:
            groups[check.group] = (*groups.get(check.group, ()), check.name)
    return HealthReport(
        parts={c.name: s for c, s in zip(checks, states, strict=True)}, groups=groups
    )


def with_groups(report: HealthReport) -> HealthReport:
    """The report with each group's state before its parts': ok while one of its parts is."""
    parts: dict[str, str] = {}
    for name, state in report.parts.items():
        for group, members in report.groups.items():
            if name == members[0]:
                states = [report.parts.get(member, DOWN) for member in members]
                if OK in states:
                    parts[group] = OK
                else:
                    parts[group] = GIVEN_UP if set(states) == {GIVEN_UP} else DOWN
        parts[name] = state
    return replace(report, parts=parts)


def supervised_states(var_dir: Path) -> dict[str, str]:
    """Each supervised process's state from the launcher's status file; {} without one."""
    return {
        name: str(entry.get("state", ""))
        for name, entry in read_status(var_dir).items()
        if name != _SELF
    }


def with_supervision(report: HealthReport, supervised: Mapping[str, str]) -> HealthReport:
    """The report, saying "given up" where the supervisor gave up, and naming the dialer."""
    parts = dict(report.parts)
    for name, state in supervised.items():
        if state == GIVEN_UP:
            parts[name] = GIVEN_UP
        elif name not in parts:
            parts[name] = OK if state == "running" else DOWN
    return replace(report, parts=parts)


def database_check(session_factory: sessionmaker[Session]) -> Check:
    """The CRM database answers ``SELECT 1``."""

    def select_one() -> None:
        with session_factory() as session:
            session.execute(text("SELECT 1"))

    async def probe() -> None:
        try:
            # A hung database must not hold the answer: on timeout the thread is left behind.
            await to_thread.run_sync(select_one, abandon_on_cancel=True)
        except SQLAlchemyError as exc:
            raise CheckFailed(str(exc).splitlines()[0]) from exc

    return Check(name="database", probe=probe)


def rasa_check(
    is_ready: Callable[[], Awaitable[bool]], *, name: str = "rasa", group: str | None = None
) -> Check:
    """Rasa answers ``/status`` with a model loaded (``RasaClient.is_ready``)."""

    async def probe() -> None:
        if not await is_ready():
            raise CheckFailed("no answer from /status, or no model loaded")

    return Check(name=name, probe=probe, group=group)


def rasa_checks(
    is_ready: Callable[[str], Awaitable[bool]], servers: Mapping[str, str], *, language: str = "en"
) -> list[Check]:
    """The check of each Rasa server of ``language`` (url: name), one group per language."""
    group = f"{LANGUAGE_GROUP}{language}"
    return [
        rasa_check(partial(is_ready, url), name=name, group=group) for url, name in servers.items()
    ]


def with_languages(parts: Mapping[str, str]) -> dict[str, str | dict[str, str]]:
    """The answer: each language's group under ``rasa_languages``, ``rasa`` ok if all are."""
    languages = {
        name.removeprefix(LANGUAGE_GROUP): state
        for name, state in parts.items()
        if name.startswith(LANGUAGE_GROUP)
    }
    if not languages:
        return dict(parts)
    states = set(languages.values())
    rasa = OK if states == {OK} else GIVEN_UP if states == {GIVEN_UP} else DOWN
    answer: dict[str, str | dict[str, str]] = {"rasa": rasa, "rasa_languages": languages}
    for name, state in parts.items():
        if not name.startswith(LANGUAGE_GROUP) and name != "rasa":
            answer[name] = state
    return answer


def actions_check(webhook_url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> Check:
    """The action server answers ``GET /health`` beside its ``/webhook``."""
    health_url = webhook_url.rstrip("/").removesuffix("/webhook") + "/health"

    async def probe() -> None:
        try:
            async with httpx.AsyncClient(transport=transport, timeout=5.0) as client:
                response = await client.get(health_url)
        except httpx.HTTPError as exc:
            raise CheckFailed(f"{health_url}: {exc!s}") from exc
        if response.status_code != 200:
            raise CheckFailed(f"{health_url} answered {response.status_code}")

    return Check(name="actions", probe=probe)


def health_router(
    checks: Sequence[Check], *, timeout: float, var_dir: Path | None = None
) -> APIRouter:
    """The router that serves ``GET /healthz`` over ``checks`` (and the supervisor's file)."""
    router = APIRouter(tags=["health"])
    example = with_languages({c.group or c.name: OK for c in checks} | {"actions": OK})
    down_example = {**example, "actions": DOWN}

    @router.get(
        "/healthz",
        summary="Is every part up?",
        response_model=dict[str, str | dict[str, str]],
        responses={
            200: {"content": {"application/json": {"example": example}}},
            503: {
                "description": "A part is down; the answer names it",
                "content": {"application/json": {"example": down_example}},
            },
        },
    )
    async def healthz() -> JSONResponse:
        """Each part's state, ``"ok"``, ``"down"`` or ``"given up"``; 503 unless all are ok.

        ``rasa_languages``: each language's Rasa state; ``rasa`` is ok when all are.
        """
        report = await run_checks(checks, timeout=timeout)
        if var_dir is not None:
            report = with_supervision(report, supervised_states(var_dir))
        report = with_groups(report)
        code = 200 if report.healthy else 503
        return JSONResponse(
            with_languages(report.parts), status_code=code, headers={"Cache-Control": "no-store"}
        )

    return router
