"""Server-issued conversation ids (issue 10 #4): ``POST /api/conversations`` gives an unguessable
id; an anonymous client talks only on ids the server issued, a trusted one may name its own
(fake Rasa, real CRM on SQLite)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.conversations.rasa_client import RasaClient
from channels.limits import LimitSettings
from channels.settings import GatewaySettings
from tests.channels.chat.conftest import start
from tests.channels.conftest import API_TOKEN, FakeRasa, TranscriptRow

ReadTranscript = Callable[[], list[TranscriptRow]]
TRUSTED = {"Authorization": f"Bearer {API_TOKEN}"}
UNKNOWN = {
    "detail": "Unknown conversation: start one with POST /api/conversations "
    "and send its messages under the conversation_id it returns."
}


def test_a_new_conversation_is_201_with_an_unguessable_id(chat_gateway: TestClient) -> None:
    with_json = chat_gateway.post("/api/conversations", json={})
    without_body = chat_gateway.post("/api/conversations")

    ids = [with_json.json()["conversation_id"], without_body.json()["conversation_id"]]
    assert (with_json.status_code, with_json.json()) == (201, {"conversation_id": ids[0]})
    assert without_body.status_code == 201
    assert ids[0] != ids[1]
    for issued in ids:
        assert re.fullmatch(r"[A-Za-z0-9_.:-]{1,100}", issued)
        random_part = issued.split(".")[0]
        assert len(base64.urlsafe_b64decode(random_part + "==")) * 8 >= 128


def test_a_new_conversation_takes_no_fields(chat_gateway: TestClient) -> None:
    response = chat_gateway.post("/api/conversations", json={"conversation_id": "mine"})

    assert response.status_code == 422
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [
        ("extra_forbidden", ["body", "conversation_id"])
    ]


def test_an_issued_id_is_a_web_conversation(
    chat_gateway: TestClient, fake_rasa: FakeRasa, transcript_rows: ReadTranscript
) -> None:
    conversation = start(chat_gateway)

    response = chat_gateway.post(
        f"/api/conversations/{conversation}/messages", json={"text": "hello"}
    )
    feed = chat_gateway.get(f"/api/conversations/{conversation}/events")

    assert (response.status_code, response.json()) == (
        200,
        {"conversation_id": conversation, "messages": [], "handed_off": False},
    )
    assert feed.status_code == 200
    assert fake_rasa.sent == [
        {
            "sender": f"web-{conversation}",
            "message": "hello",
            "metadata": {"language": "en", "channel": "web"},
        }
    ]
    assert transcript_rows() == [(f"web-{conversation}", "web", "customer", "hello", {})]


@pytest.mark.parametrize(
    "conversation",
    [
        pytest.param("c1", id="chosen"),
        pytest.param("00447700900123", id="a-phone-number"),
        pytest.param("AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", id="shaped-like-ours"),
        pytest.param("abc.", id="no-tag"),
    ],
)
def test_an_anonymous_message_on_an_id_never_issued_is_404_and_nothing_is_stored(
    conversation: str,
    chat_gateway: TestClient,
    fake_rasa: FakeRasa,
    transcript_rows: ReadTranscript,
) -> None:
    response = chat_gateway.post(
        f"/api/conversations/{conversation}/messages", json={"text": "hello"}
    )
    feed = chat_gateway.get(f"/api/conversations/{conversation}/events", params={"after": 0})

    assert (response.status_code, response.json()) == (404, UNKNOWN)
    assert (feed.status_code, feed.json()) == (404, UNKNOWN)
    assert fake_rasa.requests == []
    assert transcript_rows() == []


def test_an_issued_id_with_a_changed_tag_is_unknown(
    chat_gateway: TestClient, fake_rasa: FakeRasa
) -> None:
    issued = start(chat_gateway)
    forged = issued[:-1] + ("A" if issued[-1] != "A" else "B")

    response = chat_gateway.post(f"/api/conversations/{forged}/messages", json={"text": "hi"})

    assert (response.status_code, response.json()) == (404, UNKNOWN)
    assert fake_rasa.requests == []


def test_any_gateway_sharing_the_token_knows_the_ids_another_issued(
    gateway_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    rasa_client: RasaClient,
) -> None:
    other_token = replace(gateway_settings, api_token="another-token")
    with (
        TestClient(create_app(gateway_settings, session_factory, rasa=rasa_client)) as first,
        TestClient(create_app(gateway_settings, session_factory, rasa=rasa_client)) as second,
        TestClient(create_app(other_token, session_factory, rasa=rasa_client)) as stranger,
    ):
        issued = start(first)
        url = f"/api/conversations/{issued}/messages"

        assert second.post(url, json={"text": "hi"}).status_code == 200
        assert stranger.post(url, json={"text": "hi"}).status_code == 404


def test_with_the_token_a_client_still_names_its_own_ids(
    chat_gateway: TestClient, fake_rasa: FakeRasa
) -> None:
    response = chat_gateway.post(
        "/api/conversations/load-7/messages", json={"text": "hi"}, headers=TRUSTED
    )
    feed = chat_gateway.get("/api/conversations/load-7/events", headers=TRUSTED)

    assert (response.status_code, feed.status_code) == (200, 200)
    assert [body["sender"] for body in fake_rasa.sent] == ["api-load-7"]


@pytest.fixture
def two_a_client(
    gateway_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    rasa_client: RasaClient,
) -> Callable[[], TestClient]:
    """Opens the gateway with two new conversations an hour per client."""
    settings = replace(gateway_settings, limits=LimitSettings(conversations="2/hour"))
    return lambda: TestClient(create_app(settings, session_factory, rasa=rasa_client))


def test_new_conversations_are_rate_limited_per_client(
    two_a_client: Callable[[], TestClient],
) -> None:
    with two_a_client() as client:
        allowed = [client.post("/api/conversations").status_code for _ in range(2)]
        refused = client.post("/api/conversations")
        trusted = client.post("/api/conversations", headers=TRUSTED)

    assert allowed == [201, 201]
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert refused.json()["detail"].startswith("Too many new conversations from this client")
    assert trusted.status_code == 201
