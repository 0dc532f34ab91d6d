"""The Rasa client: the REST webhook's answer parsed, /status and the tracker with the token,
and every transport failure translated into ``RasaUnavailable``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from channels.conversations.rasa_client import (
    SECRET_HEADER,
    BotMessage,
    Button,
    RasaClient,
    RasaUnavailable,
)
from tests.channels.conftest import RASA_URL, FakeRasa

Handler = Callable[[httpx.Request], httpx.Response]


@asynccontextmanager
async def rasa_answering(
    handler: Handler, *, token: str | None = None, seen: list[httpx.Request] | None = None
) -> AsyncIterator[RasaClient]:
    """A client of a fake Rasa that answers with ``handler`` and records into ``seen``."""

    def record(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return handler(request)

    client = RasaClient(RASA_URL, token=token, transport=httpx.MockTransport(record))
    try:
        yield client
    finally:
        await client.aclose()


def _answer(status: int, **kwargs: object) -> Handler:
    return lambda _request: httpx.Response(status, **kwargs)  # type: ignore[arg-type]


def _raise(exc: Exception) -> Handler:
    def handler(_request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


# --- send ---------------------------------------------------------------------------


async def test_send_posts_to_the_rest_webhook_and_reads_text_buttons_and_custom(
    rasa_client: RasaClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = [
        {"recipient_id": "web-c1", "text": "Hello!"},
        {
            "recipient_id": "web-c1",
            "text": "Which laptop?",
            "buttons": [
                {"title": "Éclipse 3000", "payload": '/choose{"sku": "ECL-3000"}'},
                {"title": "Talk to a person", "payload": "/request_human"},
            ],
        },
        {"recipient_id": "web-c1", "custom": {"handoff": True, "queue": "sales"}},
        "not a message",
    ]

    messages = await rasa_client.send("web-c1", "a laptop", metadata={"channel": "web"})

    assert messages == [
        BotMessage(text="Hello!"),
        BotMessage(
            text="Which laptop?",
            buttons=(
                Button(title="Éclipse 3000", payload='/choose{"sku": "ECL-3000"}'),
                Button(title="Talk to a person", payload="/request_human"),
            ),
        ),
        BotMessage(text="", custom={"handoff": True, "queue": "sales"}),
    ]
    assert [(r.method, str(r.url)) for r in fake_rasa.requests] == [
        ("POST", f"{RASA_URL}/webhooks/gateway/webhook")
    ]
    assert fake_rasa.sent == [
        {
            "sender": "web-c1",
            "message": "a laptop",
            "metadata": {"language": "en", "channel": "web"},
        }
    ]


def test_a_button_is_json_as_rasa_sends_it_and_back() -> None:
    button = Button(title="Yes", payload="/affirm")

    assert button.to_dict() == {"title": "Yes", "payload": "/affirm"}
    assert Button.from_dict(button.to_dict()) == button
    assert Button.from_dict({"title": 1}) == Button(title="1", payload="")


async def test_send_shows_the_channel_secret_to_rasas_gateway_channel_only() -> None:
    """A turn goes straight to Rasa; the action server's /health (asked only once a turn
    found it down) never sees the secret."""
    seen: list[httpx.Request] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "actions.test":
            return httpx.Response(200, json={"status": "ok"})
        return httpx.Response(200, json=[{"text": "Hello!"}])

    client = RasaClient(
        RASA_URL,
        channel_secret="channel-s3cret",
        actions_url="http://actions.test/webhook",
        transport=httpx.MockTransport(rasa),
        actions_recheck=0.0,
    )
    try:
        await client.send("web-c1", "hi")
        client.actions.mark_down()
        await client.send("web-c1", "hi again")
    finally:
        await client.aclose()

    assert [(r.method, str(r.url), r.headers.get(SECRET_HEADER)) for r in seen] == [
        ("POST", f"{RASA_URL}/webhooks/gateway/webhook", "channel-s3cret"),
        ("GET", "http://actions.test/health", None),
        ("POST", f"{RASA_URL}/webhooks/gateway/webhook", "channel-s3cret"),
    ]


async def test_send_without_metadata_sends_an_empty_object(
    rasa_client: RasaClient, fake_rasa: FakeRasa
) -> None:
    assert await rasa_client.send("web-c1", "hi") == []

    assert fake_rasa.sent == [{"sender": "web-c1", "message": "hi", "metadata": {"language": "en"}}]


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        pytest.param(_raise(httpx.ConnectError("refused")), "Rasa failed: refused", id="down"),
        pytest.param(_raise(httpx.ReadTimeout("slow")), "Rasa timed out", id="timeout"),
        pytest.param(_raise(httpx.ConnectTimeout("slow")), "Rasa timed out", id="connect-timeout"),
        pytest.param(
            _answer(500, text="boom"), "Rasa failed: Server error '500 ", id="server-error"
        ),
        pytest.param(
            _answer(404, json={"reason": "NotFound"}),
            "Rasa failed: Client error '404 ",
            id="no-rest-channel",
        ),
        pytest.param(
            _answer(200, json={"error": "no"}), "Rasa answered no message list", id="not-a-list"
        ),
        pytest.param(_answer(200, text="<html>"), "Rasa failed: ", id="not-json"),
    ],
)
async def test_send_translates_every_failure_into_rasa_unavailable(
    handler: Handler, reason: str
) -> None:
    async with rasa_answering(handler) as client:
        with pytest.raises(RasaUnavailable) as raised:
            await client.send("web-c1", "hi")

    assert str(raised.value).startswith(reason)
    assert raised.value.conversation_id == "web-c1"


async def test_send_keeps_the_transport_error_as_the_cause() -> None:
    refused = httpx.ConnectError("refused")

    async with rasa_answering(_raise(refused)) as client:
        with pytest.raises(RasaUnavailable) as raised:
            await client.send("web-c1", "hi")

    assert raised.value.__cause__ is refused


# --- is_ready -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("handler", "ready"),
    [
        pytest.param(
            _answer(200, json={"model_file": "models/icbot.tar.gz", "model_id": "abc"}),
            True,
            id="model-loaded",
        ),
        pytest.param(_answer(200, json={"model_file": None}), False, id="model-null"),
        pytest.param(_answer(200, json={"model_file": ""}), False, id="model-empty"),
        pytest.param(_answer(200, json={"num_active_training_jobs": 0}), False, id="no-model"),
        pytest.param(_answer(200, json=["model_file"]), False, id="not-an-object"),
        pytest.param(_answer(200, text="<html>ok</html>"), False, id="not-json"),
        pytest.param(_answer(401, json={"model_file": "m.tar.gz"}), False, id="unauthorized"),
        pytest.param(_answer(500), False, id="server-error"),
        pytest.param(_raise(httpx.ConnectError("refused")), False, id="down"),
        pytest.param(_raise(httpx.ReadTimeout("slow")), False, id="timeout"),
    ],
)
async def test_is_ready_only_with_a_model_file_in_status(handler: Handler, ready: bool) -> None:
    async with rasa_answering(handler) as client:
        assert await client.is_ready() is ready


@pytest.mark.parametrize(
    ("token", "url"),
    [
        pytest.param("s3cret&x", f"{RASA_URL}/status?token=s3cret%26x", id="token"),
        pytest.param(None, f"{RASA_URL}/status", id="no-token"),
    ],
)
async def test_is_ready_passes_the_token_as_query_parameter(token: str | None, url: str) -> None:
    seen: list[httpx.Request] = []
    status = _answer(200, json={"model_file": "m.tar.gz"})

    async with rasa_answering(status, token=token, seen=seen) as client:
        await client.is_ready()

    assert [(r.method, str(r.url)) for r in seen] == [("GET", url)]


# --- tracker ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "url"),
    [
        pytest.param("s3cret", f"{RASA_URL}/conversations/api-c1/tracker?token=s3cret", id="token"),
        pytest.param(None, f"{RASA_URL}/conversations/api-c1/tracker", id="no-token"),
    ],
)
async def test_tracker_returns_rasas_tracker(token: str | None, url: str) -> None:
    tracker = {
        "sender_id": "api-c1",
        "slots": {"channel": "web", "caller_phone": "+33612345678"},
        "events": [{"event": "action", "name": "action_session_start"}],
    }
    seen: list[httpx.Request] = []

    async with rasa_answering(_answer(200, json=tracker), token=token, seen=seen) as client:
        assert await client.tracker("api-c1") == tracker

    assert [(r.method, str(r.url)) for r in seen] == [("GET", url)]


@pytest.mark.parametrize(
    "handler",
    [
        pytest.param(_answer(401, json={"reason": "NotAuthenticated"}), id="unauthorized"),
        pytest.param(_answer(500), id="server-error"),
        pytest.param(_answer(200, text="<html>"), id="not-json"),
        pytest.param(_raise(httpx.ConnectError("refused")), id="down"),
        pytest.param(_raise(httpx.ReadTimeout("slow")), id="timeout"),
    ],
)
async def test_tracker_failures_are_rasa_unavailable(handler: Handler) -> None:
    async with rasa_answering(handler) as client:
        with pytest.raises(RasaUnavailable, match=r"^Rasa failed: ") as raised:
            await client.tracker("api-c1")

    assert raised.value.conversation_id == "api-c1"


# --- the HTTP API of a handoff: pause, resume, say, parse ---------------------------------------


async def test_pause_and_resume_append_events_with_the_token() -> None:
    seen: list[httpx.Request] = []

    async with rasa_answering(_answer(200, json={}), token="t0k", seen=seen) as client:
        await client.pause("web-c1")
        await client.resume("web-c1")

    events_url = f"{RASA_URL}/conversations/web-c1/tracker/events?include_events=NONE&token=t0k"
    assert [(r.method, str(r.url), json.loads(r.content)) for r in seen] == [
        ("POST", events_url, [{"event": "pause"}]),
        ("POST", events_url, [{"event": "resume"}]),
    ]


async def test_say_executes_the_action_then_listens_and_returns_its_messages() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/execute"):
            messages = [{"recipient_id": "web-c1", "text": "Anything else?"}, {"custom": {"x": 1}}]
            return httpx.Response(200, json={"tracker": {}, "messages": messages})
        return httpx.Response(200, json={})

    async with rasa_answering(handler, seen=seen) as client:
        said = await client.say("web-c1", "utter_anything_else")

    assert said == [BotMessage(text="Anything else?"), BotMessage(text="", custom={"x": 1})]
    assert [(r.url.path, json.loads(r.content)) for r in seen] == [
        ("/conversations/web-c1/execute", {"name": "utter_anything_else"}),
        ("/conversations/web-c1/tracker/events", [{"event": "action", "name": "action_listen"}]),
    ]


async def test_parse_reads_the_intent_without_touching_a_tracker() -> None:
    seen: list[httpx.Request] = []
    parsed = {"text": "never mind", "intent": {"name": "cancel", "confidence": 0.93}}

    async with rasa_answering(_answer(200, json=parsed), seen=seen) as client:
        assert await client.parse("never mind") == ("cancel", 0.93)

    assert [(r.url.path, json.loads(r.content)) for r in seen] == [
        ("/model/parse", {"text": "never mind"})
    ]


@pytest.mark.parametrize(
    "handler",
    [
        pytest.param(_answer(409, json={"reason": "Conflict"}), id="refused"),
        pytest.param(_answer(200, text="<html>"), id="not-json"),
        pytest.param(_raise(httpx.ConnectError("refused")), id="down"),
    ],
)
async def test_api_failures_are_rasa_unavailable(handler: Handler) -> None:
    async with rasa_answering(handler) as client:
        with pytest.raises(RasaUnavailable):
            await client.pause("web-c1")
        with pytest.raises(RasaUnavailable):
            await client.say("web-c1", "utter_anything_else")
        with pytest.raises(RasaUnavailable):
            await client.parse("hello")
