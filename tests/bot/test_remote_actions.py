"""A custom action that cannot run says so in the turn's answer (bot/remote_actions.py)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    DefinePrevUserUtteredFeaturization,
    FollowupAction,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import bot  # noqa: F401 - installs the wrapper, as Rasa's import of the pipeline does

DOMAIN = Domain.from_dict({"actions": ["action_product_info"]})
Webhook = Callable[[web.Request], Awaitable[web.Response]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _run(url: str) -> tuple[CollectingOutputChannel, Any]:
    """The channel and the action's events, or the exception it raised."""
    channel = CollectingOutputChannel()
    action = RemoteAction("action_product_info", EndpointConfig(url))
    tracker = DialogueStateTracker.from_events("c1", [])
    try:
        events = await action.run(channel, TemplatedNaturalLanguageGenerator({}), tracker, DOMAIN)
    except BaseException as error:  # noqa: BLE001 - what the test looks at
        return channel, error
    return channel, events


@contextlib.asynccontextmanager
async def _action_server(webhook: Webhook) -> AsyncIterator[str]:
    """An action server on loopback answering with ``webhook``; its webhook's URL."""
    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        await runner.cleanup()


async def _with_server(status: int, body: dict[str, Any]) -> tuple[CollectingOutputChannel, Any]:
    async def webhook(_request: web.Request) -> web.Response:
        return web.json_response(body, status=status)

    async with _action_server(webhook) as url:
        return await _run(url)


def test_an_unreachable_action_server_is_named_in_the_answer_and_the_turn_ends() -> None:
    channel, events = asyncio.run(_run(f"http://127.0.0.1:{_free_port()}/webhook"))

    # Listening next: without it Rasa tried one action after another until its circuit
    # breaker stopped the turn, and every later turn of the conversation tripped it.
    assert events == [FollowupAction("action_listen")]
    assert [m["custom"] for m in channel.messages] == [
        {"icbot": {"action_failed": "action_product_info", "unreachable": True}}
    ]
    assert channel.messages[0]["recipient_id"] == "c1"


def test_an_action_server_error_is_a_failure_but_not_unreachable() -> None:
    channel, events = asyncio.run(_with_server(500, {"error": "boom"}))

    assert events == [FollowupAction("action_listen")]
    assert [m["custom"] for m in channel.messages] == [
        {"icbot": {"action_failed": "action_product_info", "unreachable": False}}
    ]


def test_a_rejection_is_no_failure() -> None:
    channel, error = asyncio.run(
        _with_server(400, {"action_name": "action_product_info", "error": "no"})
    )

    assert isinstance(error, ActionExecutionRejection)
    assert channel.messages == []


def test_an_answer_adds_nothing() -> None:
    """Its responses become the action's events, as ever; nothing goes to the channel."""
    channel, events = asyncio.run(_with_server(200, {"events": [], "responses": [{"text": "Hi"}]}))

    assert not isinstance(events, BaseException)
    assert channel.messages == []


@pytest.mark.parametrize("times", [1, 2])
def test_installing_twice_wraps_once(times: int) -> None:
    from bot import remote_actions

    for _ in range(times):
        remote_actions.install()

    assert getattr(RemoteAction.run, "_icbot_remote_actions", False)
    assert not getattr(RemoteAction.run.__wrapped__, "_icbot_remote_actions", False)


def test_the_domain_goes_once_to_an_action_server_that_asks_for_it() -> None:
    """rasa-sdk answers 449 to a digest it has no domain for; it keeps the domain sent after."""
    bodies: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        bodies.append(body)
        known = any("domain" in b for b in bodies)
        if not known:
            return web.json_response({"error": "no domain", "action_name": "x"}, status=449)
        return web.json_response({"events": [], "responses": []})

    async def two_calls() -> list[Any]:
        async with _action_server(webhook) as url:
            return [(await _run(url))[1] for _ in range(2)]

    events = asyncio.run(two_calls())

    assert events == [[], []]  # both ran: no failure, no follow-up
    assert [("domain" in b, bool(b["domain_digest"])) for b in bodies] == [
        (False, True),
        (True, True),
        (False, True),
    ]
    assert len({b["domain_digest"] for b in bodies}) == 1


def test_events_go_without_what_no_action_reads_and_rasas_stay_whole() -> None:
    parsed = {
        "intent": {"name": "greet", "confidence": 0.9},
        "entities": [],
        "text": "hi",
        "intent_ranking": [{"name": "greet", "confidence": 0.9}],
        "text_tokens": [[0, 2]],
    }
    tracker = DialogueStateTracker.from_events(
        "c1",
        [
            UserUttered("hi", parse_data=parsed, metadata={"channel": "web", "model_id": "m"}),
            DefinePrevUserUtteredFeaturization(False),
        ],
    )
    action = RemoteAction("action_product_info", EndpointConfig("http://127.0.0.1:1/webhook"))

    body = action._action_call_format(tracker, DOMAIN)

    (user,) = body["tracker"]["events"]
    assert {k: user["parse_data"][k] for k in ("intent", "entities", "text")} == {
        "intent": {"name": "greet", "confidence": 0.9},
        "entities": [],
        "text": "hi",
    }
    assert not {"intent_ranking", "text_tokens"} & set(user["parse_data"])
    assert user["metadata"] == {"channel": "web"}
    assert body["tracker"]["latest_message"]["intent_ranking"] == parsed["intent_ranking"]
    assert "domain" not in body
    # Rasa's own events are untouched.
    assert tracker.latest_message is not None
    assert tracker.latest_message.parse_data["intent_ranking"] == parsed["intent_ranking"]
