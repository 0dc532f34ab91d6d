"""``make chat`` (channels.chat.terminal) against the gateway app: it asks for a conversation
first, talks on it, and starts another when the gateway no longer knows it (fake Rasa)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from channels.chat import terminal as terminal_chat
from tests.channels.conftest import FakeRasa


@pytest.fixture
def through_the_app(chat_gateway: TestClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``make chat``'s HTTP client is the test client; yields what the user types."""
    typed: list[str] = []

    def client(**kwargs: Any) -> TestClient:
        chat_gateway.headers.update(kwargs.get("headers") or {})
        return chat_gateway

    def user_types(_prompt: str) -> str:
        if not typed:
            raise EOFError
        return typed.pop(0)

    monkeypatch.setattr("channels.chat.terminal.httpx.Client", client)
    monkeypatch.setattr("builtins.input", user_types)
    return typed


def test_make_chat_talks_on_a_conversation_the_gateway_issued(
    through_the_app: list[str], fake_rasa: FakeRasa, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_rasa.replies = [{"text": "Hello!"}]
    through_the_app.extend(["hello", "again"])

    code = terminal_chat.main(["--url", "http://testserver"])

    senders = [body["sender"] for body in fake_rasa.sent]
    assert code == 0
    assert capsys.readouterr().out.count("bot> Hello!") == 2
    assert senders == [senders[0], senders[0]]
    assert senders[0].startswith("web-")
    assert "." in senders[0]  # <random>.<tag>: an id the gateway issued
