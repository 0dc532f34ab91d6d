"""Limits before work on the chat API (issue 10 #5): bodies, metadata, messages per client and
per conversation, open long polls, handoffs per client; nothing stored when refused
(fake Rasa, real CRM on SQLite)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.conversations.handoff import FEED_PAGE, conversation_events
from channels.conversations.rasa_client import RasaClient
from channels.conversations.transcripts import write
from channels.limits import LimitSettings
from channels.settings import GatewaySettings
from crm_backend.models import TranscriptEntry
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.chat.conftest import start
from tests.channels.conftest import API_TOKEN, RASA_URL, FakeRasa, TranscriptRow
from tests.channels.handoff_fakes import HandoffRasa

ReadTranscript = Callable[[], list[TranscriptRow]]
TRUSTED = {"Authorization": f"Bearer {API_TOKEN}"}
TOO_LARGE = {"detail": "The request body is larger than 65536 bytes."}


def say(client: TestClient, conversation: str, text: str = "hi", **kwargs: Any) -> httpx.Response:
    response: httpx.Response = client.post(
        f"/api/conversations/{conversation}/messages", json={"text": text, **kwargs}
    )
    return response


@pytest.fixture
def limited(
    gateway_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    rasa_client: RasaClient,
) -> Callable[..., TestClient]:
    """Opens the gateway (its Rasa: ``fake_rasa``) with some limits of the test's choice."""

    def open_with(**limits: Any) -> TestClient:
        settings = replace(gateway_settings, limits=LimitSettings(**limits))
        return TestClient(create_app(settings, session_factory, rasa=rasa_client))

    return open_with


# --- the body -----------------------------------------------------------------------------


def test_five_megabytes_of_metadata_are_refused_before_they_are_read(
    chat_gateway: TestClient, fake_rasa: FakeRasa, transcript_rows: ReadTranscript
) -> None:
    conversation = start(chat_gateway)

    response = say(chat_gateway, conversation, metadata={"junk": "x" * 5_000_000})

    assert (response.status_code, response.json()) == (413, TOO_LARGE)
    assert fake_rasa.requests == []
    assert transcript_rows() == []


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        pytest.param("POST", "/api/conversations", "application/json", id="new-conversation"),
        pytest.param("POST", "/twilio/sms", "application/x-www-form-urlencoded", id="twilio-sms"),
        pytest.param(
            "POST", "/twilio/voice", "application/x-www-form-urlencoded", id="twilio-voice"
        ),
        pytest.param("POST", "/desk/login", "application/x-www-form-urlencoded", id="desk-login"),
        pytest.param("GET", "/api/products", "application/json", id="crm-api"),
        pytest.param("POST", "/no/such/route", "text/plain", id="no-route"),
    ],
)
def test_every_route_refuses_a_body_over_the_limit(
    method: str, path: str, content_type: str, chat_gateway: TestClient
) -> None:
    response = chat_gateway.request(
        method, path, content=b"a=" + b"x" * 65_535, headers={"Content-Type": content_type}
    )

    assert (response.status_code, response.json()) == (413, TOO_LARGE)


def test_a_body_at_the_limit_passes(chat_gateway: TestClient) -> None:
    conversation = start(chat_gateway)
    text = json.dumps({"text": "hi"})
    padded = text[:-1] + " " * (65_536 - len(text)) + "}"

    response = chat_gateway.post(
        f"/api/conversations/{conversation}/messages",
        content=padded.encode(),
        headers={"Content-Type": "application/json"},
    )

    assert len(padded.encode()) == 65_536
    assert response.status_code == 200


def test_the_limit_is_a_setting(
    gateway_settings: GatewaySettings, session_factory: sessionmaker[Session]
) -> None:
    settings = replace(gateway_settings, max_body_bytes=10)

    with TestClient(create_app(settings, session_factory)) as client:
        response = client.post("/api/conversations", content=b"{" + b" " * 10 + b"}")

    assert (response.status_code, response.json()) == (
        413,
        {"detail": "The request body is larger than 10 bytes."},
    )
    assert GatewaySettings.from_env({"ICBOT_MAX_BODY_BYTES": "1024"}).max_body_bytes == 1024
    assert GatewaySettings.from_env({}).max_body_bytes == 65_536


# --- the metadata ---------------------------------------------------------------------------

METADATA = ["body", "metadata"]


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        pytest.param(
            {f"k{n}": n for n in range(21)},
            "Value error, metadata may have at most 20 keys",
            id="21-keys",
        ),
        pytest.param(
            {"nested": {"channel": "sms"}},
            "Value error, metadata values must be text, numbers, true/false or null",
            id="nested-object",
        ),
        pytest.param(
            {"list": ["sms"]},
            "Value error, metadata values must be text, numbers, true/false or null",
            id="list",
        ),
        pytest.param(
            {"note": "é" * 1100},
            "Value error, metadata may take at most 2048 bytes as JSON",
            id="over-2-KB",
        ),
    ],
)
def test_metadata_is_small_and_flat(
    metadata: dict[str, Any],
    reason: str,
    chat_gateway: TestClient,
    fake_rasa: FakeRasa,
    transcript_rows: ReadTranscript,
) -> None:
    conversation = start(chat_gateway)

    response = say(chat_gateway, conversation, metadata=metadata)

    assert response.status_code == 422
    assert [(e["type"], e["loc"], e["msg"]) for e in response.json()["detail"]] == [
        ("value_error", METADATA, reason)
    ]
    assert fake_rasa.requests == []
    assert transcript_rows() == []


def test_twenty_flat_keys_pass(chat_gateway: TestClient) -> None:
    conversation = start(chat_gateway)
    metadata = {f"k{n}": [None, True, 1, 1.5, "text"][n % 5] for n in range(20)}

    assert say(chat_gateway, conversation, metadata=metadata).status_code == 200


# --- messages -------------------------------------------------------------------------------


def test_messages_are_counted_per_client(
    limited: Callable[..., TestClient], fake_rasa: FakeRasa, transcript_rows: ReadTranscript
) -> None:
    with limited(messages="3/hour") as client:
        conversations = [start(client) for _ in range(4)]
        allowed = [say(client, c, f"message {n}").status_code for n, c in enumerate(conversations)]
        refused = say(client, conversations[0], "one too many")
        trusted = client.post(
            "/api/conversations/load-1/messages", json={"text": "hi"}, headers=TRUSTED
        )

    assert allowed == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert refused.json()["detail"].startswith("Too many messages from this client")
    assert trusted.status_code == 200
    assert [body["message"] for body in fake_rasa.sent] == [
        "message 0",
        "message 1",
        "message 2",
        "hi",
    ]
    assert [text for _c, _ch, _r, text, _p in transcript_rows()] == [
        "message 0",
        "message 1",
        "message 2",
        "hi",
    ]


def test_messages_are_counted_per_conversation(limited: Callable[..., TestClient]) -> None:
    with limited(conversation_messages="2/minute") as client:
        busy, other = start(client), start(client)
        allowed = [say(client, busy).status_code for _ in range(2)]
        refused = say(client, busy)
        elsewhere = say(client, other)

    assert allowed == [200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many messages in this conversation")
    assert elsewhere.status_code == 200


# --- long polls -----------------------------------------------------------------------------


@pytest.fixture
def one_poll_app(
    gateway_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    rasa_client: RasaClient,
) -> FastAPI:
    settings = replace(gateway_settings, limits=LimitSettings(open_polls=1))
    return create_app(settings, session_factory, rasa=rasa_client)


async def test_a_client_holds_a_capped_number_of_long_polls(one_poll_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=one_poll_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        started = await client.post("/api/conversations")
        feed = f"/api/conversations/{started.json()['conversation_id']}/events"
        first = asyncio.create_task(client.get(feed, params={"after": 0, "wait": 1}))
        await asyncio.sleep(0.3)  # the first poll is waiting
        second = await client.get(feed, params={"after": 0, "wait": 1})
        quick = await client.get(feed, params={"after": 0})
        trusted = await client.get(
            "/api/conversations/load-1/events", params={"after": 0, "wait": 0.2}, headers=TRUSTED
        )
        done = await first
        third = await client.get(feed, params={"after": 0, "wait": 0.1})

    assert (second.status_code, second.headers["Retry-After"]) == (429, "5")
    assert second.json()["detail"].startswith("Too many open polls from this client")
    assert [r.status_code for r in (quick, trusted, done, third)] == [200, 200, 200, 200]


# --- handoffs -------------------------------------------------------------------------------


@pytest.fixture
def one_handoff_an_hour(
    gateway_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    handoff_rasa: HandoffRasa,
) -> Iterator[TestClient]:
    """The gateway with one handoff an hour per client; its Rasa hands off on request."""
    settings = replace(gateway_settings, limits=LimitSettings(handoffs="1/hour"))
    rasa = RasaClient(RASA_URL, transport=httpx.MockTransport(handoff_rasa))
    with TestClient(create_app(settings, session_factory, rasa=rasa)) as client:
        yield client


def test_past_its_handoffs_a_client_is_not_let_into_the_queue(
    one_handoff_an_hour: TestClient, handoff_rasa: HandoffRasa
) -> None:
    client = one_handoff_an_hour
    first, second, third = start(client), start(client), start(client)

    say(client, first, "hello")
    handed = say(client, first, "I want a person")
    say(client, second, "hello")
    say(client, third, "I want a person", metadata={"handoff_allowed": True})

    assert handed.json()["handed_off"] is True
    assert [(body["sender"], body["metadata"]) for body in handoff_rasa.received] == [
        (f"web-{first}", {"channel": "web", "language": "en"}),
        (f"web-{first}", {"channel": "web", "language": "en"}),
        (f"web-{second}", {"channel": "web", "handoff_allowed": False, "language": "en"}),
        (f"web-{third}", {"channel": "web", "handoff_allowed": False, "language": "en"}),
    ]


# --- the event feed -------------------------------------------------------------------------


def test_the_feed_reads_from_its_cursor_not_the_whole_transcript(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
) -> None:
    many: list[tuple[str, dict[str, Any]]] = [(f"message {n}", {}) for n in range(FEED_PAGE + 50)]
    write(uow_factory, conversation_id="web-c1", channel="web", role="customer", texts=many)
    _events, before_the_answer, _state = conversation_events(uow_factory, "web-c1", after=None)
    write(
        uow_factory,
        conversation_id="web-c1",
        channel="web",
        role="agent",
        texts=[("Anna here", {"pushed": True, "agent": "Anna"})],
    )
    loaded: list[object] = []

    def count(entry: object, _context: object) -> None:
        loaded.append(entry)

    event.listen(TranscriptEntry, "load", count)
    try:
        news, cursor, _state = conversation_events(uow_factory, "web-c1", after=before_the_answer)
        read_for_the_news = len(loaded)
        page, page_cursor, _state = conversation_events(uow_factory, "web-c1", after=0)
        rest, last_cursor, _state = conversation_events(uow_factory, "web-c1", after=page_cursor)
    finally:
        event.remove(TranscriptEntry, "load", count)

    assert ([e.text for e in news], cursor, read_for_the_news) == (
        ["Anna here"],
        before_the_answer + 1,
        1,
    )
    assert (page, page_cursor) == ([], FEED_PAGE)
    assert ([e.text for e in rest], last_cursor) == (["Anna here"], before_the_answer + 1)


def test_a_cursor_past_what_the_database_counts_is_422_not_a_server_error(
    chat_gateway: TestClient,
) -> None:
    conversation = start(chat_gateway)

    response = chat_gateway.get(
        f"/api/conversations/{conversation}/events", params={"after": 2**63}
    )

    assert response.status_code == 422
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [
        ("less_than_equal", ["query", "after"])
    ]
