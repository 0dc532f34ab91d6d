"""Rasa's only input channel takes the gateway's messages, and nobody else's.

A Sanic server on loopback holds the channels that ``credentials.yml``
configures, mounted as Rasa mounts them; the tests post to it as a client on
the machine would.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage, register
from rasa.core.run import create_http_input_channels
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.gateway_channel import DIALOGUE_HEADER, SECRET_HEADER, GatewayInput

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-of-this-stack"
# What an intruder on the machine would post: somebody else's number as the caller's.
INTRUSION = {
    "sender": "anyone",
    "message": "/greet",
    "metadata": {"channel": "voice", "caller_phone": "+33612345678"},
}


class Trackers:
    """Rasa's tracker store, as the channel reads it: conversations by sender."""

    def __init__(self) -> None:
        self.trackers: dict[str, DialogueStateTracker] = {}

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return self.trackers.get(sender_id)


class Agent:
    """Rasa's agent as the channels see it: it takes messages and answers each."""

    def __init__(self) -> None:
        self.handled: list[UserMessage] = []
        self.tracker_store = Trackers()

    async def handle_message(self, message: UserMessage) -> None:
        self.handled.append(message)
        if "[fail]" in (message.text or ""):
            # What Rasa raises when its Redis lock store is down (scaled mode).
            try:
                raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
            except ConnectionError as exc:
                raise RuntimeError("Error while acquiring lock. Error:\nsee the cause") from exc
        assert isinstance(message.output_channel, CollectingOutputChannel)
        await message.output_channel.send_text_message(message.sender_id, "Hello!")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def rasa_server() -> Iterator[tuple[str, Agent]]:
    """Rasa's HTTP server with the channels of credentials.yml, on a free loopback port.

    One per module, in a thread of its own: Sanic 21.12 serves one app per process.
    """
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ICBOT_CHANNEL_SECRET", SECRET)
        channels = create_http_input_channels(None, str(REPO_ROOT / "credentials.yml"))
    agent = Agent()
    app = Sanic("rasa-under-test")
    app.ctx.agent = agent
    register(channels, app, route="/webhooks/")

    @app.get("/status")
    async def status(_request: Request) -> HTTPResponse:  # another of Rasa's routes
        return response.json({"model_file": "icbot.tar.gz"})

    port = free_port()
    loop = asyncio.new_event_loop()

    async def start() -> Any:
        server = await app.create_server(
            host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
        )
        assert server is not None
        await server.startup()
        await server.start_serving()
        return server

    server = loop.run_until_complete(start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", agent
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        server.close()
        loop.close()


@pytest.fixture
def rasa(rasa_server: tuple[str, Agent]) -> tuple[str, Agent]:
    """The server, its agent's messages cleared for the test."""
    url, agent = rasa_server
    agent.handled.clear()
    agent.tracker_store.trackers.clear()
    return url, agent


def post(
    rasa: tuple[str, Agent], path: str, body: dict[str, Any], headers: dict[str, str]
) -> tuple[int, Any]:
    answer = requests.post(rasa[0] + path, json=body, headers=headers, timeout=10)
    return answer.status_code, answer.json() if answer.content else None


@pytest.fixture(autouse=True)
def channel_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The secret the launcher exports; credentials.yml reads it."""
    monkeypatch.setenv("ICBOT_CHANNEL_SECRET", SECRET)


def test_credentials_configure_the_gateway_channel_alone() -> None:
    channels = create_http_input_channels(None, str(REPO_ROOT / "credentials.yml"))

    assert [(type(c), c.name()) for c in channels] == [(GatewayInput, "gateway")]


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/webhooks/gateway/webhook"])
@pytest.mark.parametrize("secret", [None, "", "not-the-secret", SECRET + "x"])
def test_a_message_without_the_secret_is_refused_and_reaches_no_conversation(
    rasa: tuple[str, Agent], path: str, secret: str | None
) -> None:
    headers = {} if secret is None else {SECRET_HEADER: secret}

    status, _ = post(rasa, path, INTRUSION, headers)
    agent = rasa[1]

    assert status in (403, 404)  # the gateway's channel refuses; the REST channel is gone
    assert (status == 403) == (path == "/webhooks/gateway/webhook")
    assert agent.handled == []


def test_the_gateway_with_the_secret_talks_as_with_the_rest_channel(
    rasa: tuple[str, Agent],
) -> None:
    body = {**INTRUSION, "input_channel": "somebody_else"}

    status, data = post(rasa, "/webhooks/gateway/webhook", body, {SECRET_HEADER: SECRET})
    agent = rasa[1]

    assert (status, data) == (200, [{"recipient_id": "anyone", "text": "Hello!"}])
    assert [(m.sender_id, m.text, m.metadata, m.input_channel) for m in agent.handled] == [
        ("anyone", "/greet", INTRUSION["metadata"], "gateway")
    ]


def test_the_secret_guards_the_channel_only(rasa: tuple[str, Agent]) -> None:
    answer = requests.get(rasa[0] + "/status", timeout=10)

    assert (answer.status_code, answer.json()) == (200, {"model_file": "icbot.tar.gz"})


@pytest.mark.parametrize("credentials", [None, {}, {"secret": ""}, {"secret": "  "}])
def test_the_channel_does_not_start_without_a_secret(credentials: dict[str, Any] | None) -> None:
    with pytest.raises(RasaException, match="needs its secret"):
        GatewayInput.from_credentials(credentials)


def test_credentials_without_the_secret_in_the_environment_stop_rasa(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ICBOT_CHANNEL_SECRET")

    with pytest.raises(RasaException, match="ICBOT_CHANNEL_SECRET"):
        create_http_input_channels(None, str(REPO_ROOT / "credentials.yml"))


def _tracker(sender: str, *events: object) -> DialogueStateTracker:
    slots = [TextSlot("requested_slot", mappings=[]), TextSlot("account_id", mappings=[])]
    return DialogueStateTracker.from_events(sender, list(events), slots=slots)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("events", "state"),
    [
        pytest.param(
            [UserUttered("bye"), ActionExecuted("action_close_interaction")],
            {"ended": True, "question": None, "account_id": None},
            id="closed-in-this-turn",
        ),
        pytest.param(
            [UserUttered("4"), ActionExecuted("action_record_satisfaction")],
            {"ended": True, "question": None, "account_id": None},
            id="the-satisfaction-answer-ends-it",
        ),
        pytest.param(
            [
                UserUttered("bye"),
                ActionExecuted("action_close_interaction"),
                ActionExecuted("satisfaction_form"),
                SlotSet("requested_slot", "satisfaction_answer"),
            ],
            {"ended": True, "question": "satisfaction_answer", "account_id": None},
            id="closed-and-the-satisfaction-question-asked",
        ),
        pytest.param(
            [ActionExecuted("action_close_interaction"), UserUttered("hello again")],
            {"ended": False, "question": None, "account_id": None},
            id="closed-before-the-message",
        ),
        pytest.param(
            [
                UserUttered("a quote"),
                ActionExecuted("quote_form"),
                SlotSet("requested_slot", "quote_lines"),
            ],
            {"ended": False, "question": "quote_lines", "account_id": None},
            id="a-form-asks",
        ),
        pytest.param(
            [UserUttered("69002"), SlotSet("account_id", "1")],
            {"ended": False, "question": None, "account_id": "1"},
            id="an-identified-account",
        ),
        pytest.param([], {"ended": False, "question": None, "account_id": None}, id="no-tracker"),
    ],
)
def test_asked_for_it_the_answer_says_whether_the_bot_closed_and_what_it_asks(
    rasa: tuple[str, Agent], events: list[object], state: dict[str, object]
) -> None:
    agent = rasa[1]
    if events:
        agent.tracker_store.trackers["anyone"] = _tracker("anyone", *events)
    headers = {SECRET_HEADER: SECRET, DIALOGUE_HEADER: "1"}

    status, data = post(rasa, "/webhooks/gateway/webhook", INTRUSION, headers)

    assert (status, data) == (
        200,
        [
            {"recipient_id": "anyone", "text": "Hello!"},
            {"recipient_id": "anyone", "custom": {"icbot": {"dialogue": state}}},
        ],
    )


def test_not_asked_the_answer_is_the_rest_channels(rasa: tuple[str, Agent]) -> None:
    rasa[1].tracker_store.trackers["anyone"] = _tracker(
        "anyone", UserUttered("bye"), ActionExecuted("action_close_interaction")
    )

    status, data = post(rasa, "/webhooks/gateway/webhook", INTRUSION, {SECRET_HEADER: SECRET})

    assert (status, data) == (200, [{"recipient_id": "anyone", "text": "Hello!"}])


def test_a_failed_turn_answers_500_and_logs_why_without_the_customers_words(
    rasa: tuple[str, Agent], caplog: pytest.LogCaptureFixture
) -> None:
    words = "my card is 4970 1234 [fail]"
    body = {"sender": "anyone", "message": words, "metadata": {}}

    status, data = post(rasa, "/webhooks/gateway/webhook", body, {SECRET_HEADER: SECRET})

    # Not the REST channel's 200 with nothing said: the gateway apologises on a 5xx.
    assert status == 500
    assert data["reason"] == (
        "RuntimeError: Error while acquiring lock. Error: <- "
        "ConnectionError: Error 111 connecting to 127.0.0.1:6379. Connection refused."
    )
    assert data["reason"] in caplog.text
    assert "4970" not in caplog.text
