"""``POST /api/conversations/{id}/messages``: the reply as the contract says, what reaches
Rasa (and what is trusted), and a polite answer when Rasa or the database is down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.chat.routes import BOT_UNAVAILABLE, rasa_metadata
from channels.conversations.apology import CHAT as FALLBACK_TEXT
from channels.conversations.rasa_client import RasaClient
from channels.settings import GatewaySettings
from tests.channels.chat.conftest import messages_url, start
from tests.channels.conftest import API_TOKEN, FakeRasa, TranscriptRow

ReadTranscript = Callable[[], list[TranscriptRow]]


TRUSTED = {"Authorization": f"Bearer {API_TOKEN}"}


PIERRE = "+33612345678"


def test_the_reply_lists_the_bots_messages_with_buttons_only_where_offered(
    chat_gateway: TestClient, fake_rasa: FakeRasa, transcript_rows: ReadTranscript, c1: str
) -> None:
    fake_rasa.replies = [
        {"recipient_id": f"web-{c1}", "text": "Hello, I'm the virtual assistant."},
        {
            "recipient_id": f"web-{c1}",
            "text": "What can I do for you?",
            "buttons": [
                {"title": "Buy a product", "payload": "/buy"},
                {"title": "Talk to a person", "payload": "/request_human"},
            ],
        },
    ]

    response = chat_gateway.post(messages_url(c1), json={"text": "hello"})

    assert (response.status_code, response.json()) == (
        200,
        {
            "conversation_id": c1,
            "messages": [
                {"text": "Hello, I'm the virtual assistant."},
                {
                    "text": "What can I do for you?",
                    "buttons": [
                        {"title": "Buy a product", "payload": "/buy"},
                        {"title": "Talk to a person", "payload": "/request_human"},
                    ],
                },
            ],
            "handed_off": False,
        },
    )
    assert fake_rasa.sent == [
        {
            "sender": f"web-{c1}",
            "message": "hello",
            "metadata": {"language": "en", "channel": "web"},
        }
    ]
    assert transcript_rows() == [
        (f"web-{c1}", "web", "customer", "hello", {}),
        (f"web-{c1}", "web", "bot", "Hello, I'm the virtual assistant.", {}),
        (
            f"web-{c1}",
            "web",
            "bot",
            "What can I do for you?",
            {
                "buttons": [
                    {"title": "Buy a product", "payload": "/buy"},
                    {"title": "Talk to a person", "payload": "/request_human"},
                ]
            },
        ),
    ]


def test_a_silent_bot_is_an_empty_message_list(chat_gateway: TestClient, c1: str) -> None:
    response = chat_gateway.post(messages_url(c1), json={"text": "ok"})

    assert (response.status_code, response.json()) == (
        200,
        {"conversation_id": c1, "messages": [], "handed_off": False},
    )


def test_an_anonymous_client_is_a_web_conversation_and_its_phone_is_not_trusted(
    chat_gateway: TestClient, fake_rasa: FakeRasa, transcript_rows: ReadTranscript, c1: str
) -> None:
    metadata = {"phone": PIERRE, "caller_phone": PIERRE, "channel": "sms", "account_id": 1}

    response = chat_gateway.post(messages_url(c1), json={"text": "hi", "metadata": metadata})

    assert response.status_code == 200
    assert response.json()["conversation_id"] == c1
    assert fake_rasa.sent == [
        {"sender": f"web-{c1}", "message": "hi", "metadata": {"language": "en", "channel": "web"}}
    ]
    assert transcript_rows() == [(f"web-{c1}", "web", "customer", "hi", {})]


def test_the_integration_token_makes_an_api_conversation_with_the_callers_phone(
    chat_gateway: TestClient, fake_rasa: FakeRasa, transcript_rows: ReadTranscript
) -> None:
    metadata = {"phone": f" {PIERRE} ", "channel": "voice", "account_id": 1}

    response = chat_gateway.post(
        messages_url("c1"), json={"text": "hi", "metadata": metadata}, headers=TRUSTED
    )

    assert (response.status_code, response.json()) == (
        200,
        {"conversation_id": "c1", "messages": [], "handed_off": False},
    )
    assert fake_rasa.sent == [
        {
            "sender": "api-c1",
            "message": "hi",
            "metadata": {"language": "en", "channel": "voice", "caller_phone": PIERRE},
        }
    ]
    assert transcript_rows() == [("api-c1", "voice", "customer", "hi", {})]


@pytest.mark.parametrize(
    ("metadata", "sent"),
    [
        pytest.param({}, {"channel": "web"}, id="no-metadata"),
        pytest.param(
            {"caller_phone": PIERRE}, {"channel": "web", "caller_phone": PIERRE}, id="caller_phone"
        ),
        pytest.param(
            {"phone": PIERRE, "caller_phone": "+33700000000"},
            {"channel": "web", "caller_phone": PIERRE},
            id="phone-first",
        ),
        pytest.param({"phone": "   "}, {"channel": "web"}, id="blank-phone"),
        pytest.param({"phone": 33612345678}, {"channel": "web"}, id="number-not-text"),
    ],
)
def test_a_trusted_caller_number_is_passed_only_when_it_is_text(
    metadata: dict[str, Any],
    sent: dict[str, Any],
    chat_gateway: TestClient,
    fake_rasa: FakeRasa,
) -> None:
    response = chat_gateway.post(
        messages_url("c1"), json={"text": "hi", "metadata": metadata}, headers=TRUSTED
    )

    assert response.status_code == 200
    assert fake_rasa.sent == [
        {"sender": "api-c1", "message": "hi", "metadata": {**sent, "language": "en"}}
    ]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Authorization": "Bearer not-the-token"}, id="wrong-token"),
        pytest.param({"Authorization": f"Bearer {API_TOKEN}x"}, id="token-prefix"),
        pytest.param({"Authorization": f"Basic {API_TOKEN}"}, id="basic-scheme"),
        pytest.param({"Authorization": API_TOKEN}, id="no-scheme"),
        pytest.param({"Authorization": "Bearer "}, id="empty-bearer"),
    ],
)
def test_a_wrong_token_is_untrusted_not_an_error(
    headers: dict[str, str], chat_gateway: TestClient, fake_rasa: FakeRasa, c1: str
) -> None:
    metadata = {"phone": PIERRE}

    response = chat_gateway.post(
        messages_url(c1), json={"text": "hi", "metadata": metadata}, headers=headers
    )

    assert (response.status_code, response.json()) == (
        200,
        {"conversation_id": c1, "messages": [], "handed_off": False},
    )
    assert fake_rasa.sent == [
        {"sender": f"web-{c1}", "message": "hi", "metadata": {"language": "en", "channel": "web"}}
    ]


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        pytest.param("web", "web", id="web"),
        pytest.param("sms", "sms", id="sms"),
        pytest.param("voice", "voice", id="voice"),
        pytest.param("telegram", "web", id="unknown"),
        pytest.param("SMS", "web", id="other-case"),
        pytest.param(None, "web", id="null"),
    ],
)
def test_a_trusted_channel_is_one_of_ours_or_web(
    channel: object, expected: str, chat_gateway: TestClient, fake_rasa: FakeRasa
) -> None:
    response = chat_gateway.post(
        messages_url("c1"), json={"text": "hi", "metadata": {"channel": channel}}, headers=TRUSTED
    )

    assert response.status_code == 200
    assert fake_rasa.sent == [
        {"sender": "api-c1", "message": "hi", "metadata": {"language": "en", "channel": expected}}
    ]


@pytest.mark.parametrize(
    "conversation_id",
    [
        pytest.param("a" * 100, id="100-chars"),
        pytest.param("3f2a9c1e-7b4d-4e0a-9d2f-1c8e5b6a7d90", id="uuid"),
        pytest.param("Crm_42.retry:2", id="every-allowed-character"),
    ],
)
def test_a_trusted_client_may_name_any_id_of_the_pattern(
    conversation_id: str, chat_gateway: TestClient, fake_rasa: FakeRasa
) -> None:
    response = chat_gateway.post(
        messages_url(conversation_id), json={"text": "hi"}, headers=TRUSTED
    )

    assert (response.status_code, response.json()["conversation_id"]) == (200, conversation_id)
    assert [body["sender"] for body in fake_rasa.sent] == [f"api-{conversation_id}"]


def _refuse(_request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("All connection attempts failed")


def _time_out(_request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out")


def _fail(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(500, text='Traceback (most recent call last):\n  File "rasa/x.py"')


def _answer_an_object(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"status": "failure", "reason": "ValueError"})


def _fallback_reply(conversation_id: str) -> dict[str, Any]:
    return {
        "conversation_id": conversation_id,
        "messages": [
            {
                "text": FALLBACK_TEXT,
                "buttons": [
                    {"title": "Yes, call me back", "payload": "/request_human"},
                    {"title": "I'll try again later", "payload": "/goodbye"},
                ],
            }
        ],
        "handed_off": False,
        "detail": BOT_UNAVAILABLE,
    }


@pytest.mark.parametrize(
    "respond",
    [
        pytest.param(_refuse, id="rasa-down"),
        pytest.param(_time_out, id="rasa-timeout"),
        pytest.param(_fail, id="rasa-500"),
        pytest.param(_answer_an_object, id="rasa-answers-no-list"),
    ],
)
def test_rasa_failing_is_a_polite_503_with_the_reason_and_the_message_is_kept(
    respond: Callable[[httpx.Request], httpx.Response],
    chat_gateway: TestClient,
    fake_rasa: FakeRasa,
    transcript_rows: ReadTranscript,
    c1: str,
) -> None:
    fake_rasa.respond = respond

    response = chat_gateway.post(messages_url(c1), json={"text": "my order?"})

    # The whole answer: no stack trace, no error of Rasa's, only the fallback and why.
    assert (response.status_code, response.json()) == (503, _fallback_reply(c1))
    assert response.headers["retry-after"] == "5"
    assert transcript_rows() == [
        (f"web-{c1}", "web", "customer", "my order?", {}),
        (f"web-{c1}", "web", "system", FALLBACK_TEXT, {}),
    ]


def test_the_database_down_does_not_stop_the_conversation(
    gateway_settings: GatewaySettings,
    down_database: sessionmaker[Session],
    rasa_client: RasaClient,
    fake_rasa: FakeRasa,
) -> None:
    app = create_app(gateway_settings, down_database, rasa=rasa_client)

    with TestClient(app) as client:
        c1 = start(client)
        fake_rasa.replies = [{"recipient_id": f"web-{c1}", "text": "Hello!"}]
        response = client.post(messages_url(c1), json={"text": "hello"})

    assert (response.status_code, response.json()) == (
        200,
        {"conversation_id": c1, "messages": [{"text": "Hello!"}], "handed_off": False},
    )
    assert fake_rasa.sent == [
        {
            "sender": f"web-{c1}",
            "message": "hello",
            "metadata": {"language": "en", "channel": "web"},
        }
    ]


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("fr", {"language": "fr"}),
        ("fr-FR", {"language": "fr"}),
        ("EN-gb", {"language": "en"}),
        ("de", {}),
        ("fr; drop table", {}),
        (["fr"], {}),
        ({"code": "fr"}, {}),
        (42, {}),
        (None, {}),
        ("x" * 3000, {}),
    ],
)
@pytest.mark.parametrize("trusted", [False, True])
def test_the_pages_language_is_a_hint_only_when_icbot_speaks_it(language, hint, trusted):
    metadata = {"language": language, "company_number": "+33412345678"}

    assert rasa_metadata(metadata, trusted=trusted) == {"channel": "web", **hint}


def test_a_clients_language_never_reaches_rasa_as_it_sent_it(
    chat_gateway: TestClient, fake_rasa: FakeRasa
) -> None:
    c1 = start(chat_gateway)

    for language in ("fr", "<script>", "de"):
        response = chat_gateway.post(
            messages_url(c1), json={"text": "hello", "metadata": {"language": language}}
        )
        assert response.status_code == 200

    # Only English has a Rasa here: the gateway's choice, whatever the page said.
    assert [body["metadata"] for body in fake_rasa.sent] == [
        {"channel": "web", "language": "en"}
    ] * 3
