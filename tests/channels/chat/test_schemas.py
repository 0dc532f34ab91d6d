"""What the chat API reads: a text of up to 2,000 characters passes whole; bad input is 422
with its reason, and nothing is stored or sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.channels.chat.conftest import messages_url
from tests.channels.conftest import FakeRasa, TranscriptRow

ReadTranscript = Callable[[], list[TranscriptRow]]


def test_a_text_of_2000_characters_passes_whole(
    chat_gateway: TestClient, fake_rasa: FakeRasa, transcript_rows: ReadTranscript, c1: str
) -> None:
    text = "é" * 1999 + "!"

    response = chat_gateway.post(messages_url(c1), json={"text": text})

    assert response.status_code == 200
    assert fake_rasa.sent == [
        {"sender": f"web-{c1}", "message": text, "metadata": {"language": "en", "channel": "web"}}
    ]
    assert transcript_rows() == [(f"web-{c1}", "web", "customer", text, {})]


TEXT = ["body", "text"]


ID_PATTERN = "String should match pattern '^[A-Za-z0-9_.:-]{1,100}$'"


@pytest.mark.parametrize(
    ("conversation_id", "request_kwargs", "reasons"),
    [
        pytest.param(
            "c1", {"json": {"metadata": {}}}, [("missing", TEXT, "Field required")], id="no-text"
        ),
        pytest.param(
            "c1",
            {"json": {"text": ""}},
            [("string_too_short", TEXT, "String should have at least 1 character")],
            id="empty-text",
        ),
        pytest.param(
            "c1",
            {"json": {"text": " \t\n "}},
            [("value_error", TEXT, "Value error, text must not be blank")],
            id="blank-text",
        ),
        pytest.param(
            "c1",
            {"json": {"text": "a" * 2001}},
            [("string_too_long", TEXT, "String should have at most 2000 characters")],
            id="2001-characters",
        ),
        pytest.param(
            "c1",
            {"json": {"text": 42}},
            [("string_type", TEXT, "Input should be a valid string")],
            id="text-not-a-string",
        ),
        pytest.param(
            "c1",
            {"json": {"text": "hi", "metadata": "+33612345678"}},
            [("dict_type", ["body", "metadata"], "Input should be a valid dictionary")],
            id="metadata-not-an-object",
        ),
        pytest.param(
            "c1",
            {"json": {"text": "hi", "sender": "api-c1"}},
            [("extra_forbidden", ["body", "sender"], "Extra inputs are not permitted")],
            id="unknown-field",
        ),
        pytest.param(
            "c1",
            {"content": b'{"text": "hi"', "headers": {"Content-Type": "application/json"}},
            [("json_invalid", ["body", 13], "JSON decode error")],
            id="malformed-json",
        ),
        pytest.param(
            "c1",
            {"json": ["hi"]},
            [
                (
                    "model_attributes_type",
                    ["body"],
                    "Input should be a valid dictionary or object to extract fields from",
                )
            ],
            id="json-not-an-object",
        ),
        pytest.param("c1", {}, [("missing", ["body"], "Field required")], id="no-body"),
        pytest.param(
            "bad id!",
            {"json": {"text": "hi"}},
            [("string_pattern_mismatch", ["path", "conversation_id"], ID_PATTERN)],
            id="id-with-space-and-bang",
        ),
        pytest.param(
            "h%C3%A9llo",
            {"json": {"text": "hi"}},
            [("string_pattern_mismatch", ["path", "conversation_id"], ID_PATTERN)],
            id="id-not-ascii",
        ),
        pytest.param(
            "a" * 101,
            {"json": {"text": "hi"}},
            [("string_pattern_mismatch", ["path", "conversation_id"], ID_PATTERN)],
            id="id-of-101-chars",
        ),
        pytest.param(
            "bad id!",
            {"json": {"text": ""}},
            [
                ("string_pattern_mismatch", ["path", "conversation_id"], ID_PATTERN),
                ("string_too_short", TEXT, "String should have at least 1 character"),
            ],
            id="every-reason-at-once",
        ),
    ],
)
def test_bad_input_is_422_with_its_reason_and_nothing_is_stored_or_sent(
    conversation_id: str,
    request_kwargs: dict[str, Any],
    reasons: list[tuple[str, list[str | int], str]],
    chat_gateway: TestClient,
    fake_rasa: FakeRasa,
    transcript_rows: ReadTranscript,
) -> None:
    response = chat_gateway.post(messages_url(conversation_id), **request_kwargs)

    assert response.status_code == 422
    assert [(e["type"], e["loc"], e["msg"]) for e in response.json()["detail"]] == reasons
    assert fake_rasa.requests == []
    assert transcript_rows() == []
