"""Helpers and fixtures of the chat door's tests (fake Rasa, real CRM on SQLite).

- :func:`start`: a conversation the gateway issued; ``c1``: one for the test.
- :func:`messages_url`: where a conversation's messages are posted.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def messages_url(conversation_id: str) -> str:
    """Where the messages of ``conversation_id`` are posted."""
    return f"/api/conversations/{conversation_id}/messages"


def start(client: TestClient) -> str:
    """A new conversation id, as an anonymous client gets it."""
    response = client.post("/api/conversations")
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])


@pytest.fixture
def c1(chat_gateway: TestClient) -> str:
    """A conversation the gateway issued, for an anonymous client."""
    return start(chat_gateway)
