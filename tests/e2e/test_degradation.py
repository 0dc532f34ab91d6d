"""A part of the stack stops: the customer gets an apology and an offer of a person."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from crm_backend.models import TranscriptEntry

from .conftest import Chat, LiveStack


@pytest.fixture
def actions_stopped(live_stack: LiveStack) -> Iterator[LiveStack]:
    live_stack.stack.stop_process("actions")
    try:
        yield live_stack
    finally:
        live_stack.stack.start_process("actions")


def test_health_names_the_action_server_when_it_is_down(actions_stopped: LiveStack) -> None:
    response = httpx.get(f"{actions_stopped.url}/healthz", timeout=10)

    assert (response.status_code, response.json()) == (
        503,
        {"rasa": "ok", "actions": "down", "database": "ok"},
    )


def test_the_customer_gets_an_apology_a_person_and_loses_nothing(
    actions_stopped: LiveStack,
) -> None:
    conversation_id = f"e2e-{uuid.uuid4().hex[:12]}"

    with Chat(actions_stopped.url, conversation_id) as chat:
        answer = chat.say("Tell me about the Éclipse 3000")

    assert "technical problem" in answer
    (message,) = chat.replies[0]["messages"]
    assert "/request_human" in [b["payload"] for b in message["buttons"]]
    with actions_stopped.sessions() as session:
        stored = session.scalars(
            select(TranscriptEntry)
            .where(TranscriptEntry.conversation_id == f"web-{conversation_id}")
            .order_by(TranscriptEntry.id)
        ).all()
        assert [(e.role, e.text) for e in stored] == [
            ("customer", "Tell me about the Éclipse 3000"),
            ("system", message["text"]),
        ]
