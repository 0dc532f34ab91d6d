"""Clean input (issue 10 #12) and the body limit as ASGI middleware: lone surrogates and bodies
that are not UTF-8 are 422 without an echo, control and bidi characters never stored; a body
streamed without a length is cut at the limit before the app reads it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from channels.guards import BodySizeLimit, clean_text, is_valid_unicode
from tests.channels.conftest import FakeRasa, TranscriptRow

ReadTranscript = Callable[[], list[TranscriptRow]]
JSON = {"Content-Type": "application/json"}


def start(client: TestClient) -> str:
    response = client.post("/api/conversations")
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])


# --- the chat API ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reasons"),
    [
        pytest.param(
            b'{"text": "\\ud800 secret"}',
            [
                (
                    "string_unicode",
                    ["body", "text"],
                    "Input should be a valid string, unable to parse raw data as a unicode string",
                )
            ],
            id="lone-surrogate",
        ),
        pytest.param(
            b'{"text": "hi", "metadata": {"secret": "\\udfff"}}',
            [
                (
                    "value_error",
                    ["body", "metadata"],
                    "Value error, metadata must be valid Unicode (it holds a lone surrogate)",
                )
            ],
            id="surrogate-in-metadata",
        ),
        pytest.param(
            b'{"text": "secret \xff\xfe"}',
            [("utf8_invalid", ["body"], "The body is not UTF-8")],
            id="not-utf-8",
        ),
        pytest.param(
            b'{"text": "' + b"secret " * 300 + b'"}',
            [("string_too_long", ["body", "text"], "String should have at most 2000 characters")],
            id="too-long",
        ),
        pytest.param(
            b'{"text": "\\u0000\\u202e\\u0007"}',
            [("value_error", ["body", "text"], "Value error, text must not be blank")],
            id="only-controls",
        ),
    ],
)
def test_bad_text_is_422_with_a_reason_and_no_echo(
    body: bytes,
    reasons: list[tuple[str, list[str], str]],
    chat_gateway: TestClient,
    fake_rasa: FakeRasa,
    transcript_rows: ReadTranscript,
) -> None:
    conversation = start(chat_gateway)

    response = chat_gateway.post(
        f"/api/conversations/{conversation}/messages", content=body, headers=JSON
    )

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(e["type"], e["loc"], e["msg"]) for e in detail] == reasons
    assert all("input" not in e for e in detail)
    assert "secret" not in response.text
    assert fake_rasa.requests == []
    assert transcript_rows() == []


def test_control_and_bidi_characters_are_stripped_before_anything_sees_the_text(
    chat_gateway: TestClient, fake_rasa: FakeRasa, transcript_rows: ReadTranscript
) -> None:
    conversation = start(chat_gateway)
    sent = "my\u0000 order\u0007\u202e 42\u2066\u200f\u061c\r\nis\tlate\u0085\u009b"

    response = chat_gateway.post(f"/api/conversations/{conversation}/messages", json={"text": sent})

    assert response.status_code == 200
    assert [body["message"] for body in fake_rasa.sent] == ["my order 42\nis\tlate"]
    assert [text for _c, _ch, _r, text, _p in transcript_rows()] == ["my order 42\nis\tlate"]


# --- the functions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        pytest.param("Éclipse 3000 ✓ 😀", "Éclipse 3000 ✓ 😀", id="letters-and-emoji-stay"),
        pytest.param("a\tb\nc", "a\tb\nc", id="tab-and-newline-stay"),
        pytest.param("a\r\nb\rc", "a\nb\nc", id="line-ends"),
        pytest.param("".join(map(chr, range(0x20))), "\t\n\n", id="c0-and-cr"),
        pytest.param("".join(map(chr, range(0x7F, 0xA0))), "", id="del-and-c1"),
        pytest.param(
            "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
            "",
            id="bidi",
        ),
        pytest.param("zero\u200bwidth", "zero\u200bwidth", id="zero-width-space-stays"),
    ],
)
def test_clean_text(text: str, cleaned: str) -> None:
    assert clean_text(text) == cleaned


def test_is_valid_unicode() -> None:
    assert [is_valid_unicode(t) for t in ("ok", "😀", "\ud83d", "a\udc00b")] == [
        True,
        True,
        False,
        False,
    ]


# --- the body limit, at the ASGI level ------------------------------------------------------


class Recorder:
    """An ASGI app that reads the whole body, and what it read and sent."""

    def __init__(self) -> None:
        self.body = b""
        self.called = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called = True
        while True:
            message = await receive()
            self.body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def run(
    app: BodySizeLimit, chunks: list[bytes], headers: list[tuple[bytes, bytes]]
) -> list[Message]:
    incoming: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": n < len(chunks) - 1}
        for n, chunk in enumerate(chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    await app(scope, receive, send)
    return sent


async def test_a_streamed_body_is_cut_at_the_limit_before_the_app_runs() -> None:
    inner = Recorder()
    app = BodySizeLimit(inner, max_bytes=10)

    sent = await run(app, [b"12345", b"67890", b"1"], headers=[])

    assert inner.called is False
    assert (sent[0]["status"], sent[1]["body"]) == (
        413,
        b'{"detail": "The request body is larger than 10 bytes."}',
    )


async def test_a_streamed_body_within_the_limit_reaches_the_app_whole() -> None:
    inner = Recorder()
    app = BodySizeLimit(inner, max_bytes=10)

    sent = await run(app, [b"12345", b"67890"], headers=[])

    assert (inner.body, sent[0]["status"]) == (b"1234567890", 200)


@pytest.mark.parametrize(
    ("length", "status"),
    [(b"11", 413), (b"ten", 400), (b"-1", 400)],
)
async def test_the_declared_length_is_checked_first(length: bytes, status: int) -> None:
    inner = Recorder()
    app = BodySizeLimit(inner, max_bytes=10)

    sent = await run(app, [b"1"], headers=[(b"content-length", length)])

    assert (inner.called, sent[0]["status"]) == (False, status)
