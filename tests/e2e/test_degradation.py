"""The action server stops: every door apologises, and offers a person where it can."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from channels.twilio.simulator import SignedPoster, TwilioPhone, TwilioTexter
from crm_backend.models import TranscriptEntry

from .conftest import PIERRES_PHONE, TWILIO_AUTH_TOKEN, Chat, LiveStack


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
        {
            "rasa": "ok",
            "rasa_languages": {"en": "ok", "fr": "ok"},
            "rasa-fr": "ok",
            "actions": "down",
            "database": "ok",
        },
    )


def test_the_customer_gets_an_apology_a_person_and_loses_nothing(
    actions_stopped: LiveStack,
) -> None:
    with Chat(actions_stopped.url) as chat:
        conversation_id = chat.conversation_id
        response = chat.client.post(
            f"/api/conversations/{conversation_id}/messages",
            json={"text": "Tell me about the Éclipse 3000"},
        )

    # 503 with the apology and why: a client knows the bot did not answer.
    assert response.status_code == 503
    assert "technical problem" in response.json()["detail"]
    (message,) = response.json()["messages"]
    assert "technical problem" in message["text"]
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


def test_a_call_still_gets_valid_twiml_with_an_apology_in_time(actions_stopped: LiveStack) -> None:
    with httpx.Client(timeout=30) as client:
        poster = SignedPoster(client, public_url=actions_stopped.url, auth_token=TWILIO_AUTH_TOKEN)
        phone = TwilioPhone(poster, caller=PIERRES_PHONE)
        started = time.monotonic()
        step = phone.dial()
        elapsed = time.monotonic() - started

    # Twilio gives up after 15 s; the door answers within its reply budget (5 s).
    assert elapsed < 6
    assert "technical problem" in " ".join(step.said)
    assert step.hangup or step.dialled


def test_a_text_still_gets_an_apology(actions_stopped: LiveStack) -> None:
    with httpx.Client(timeout=30) as client:
        poster = SignedPoster(client, public_url=actions_stopped.url, auth_token=TWILIO_AUTH_TOKEN)
        replies = TwilioTexter(poster, sender="+33611111111").send("Where is my order?")

    assert len(replies) == 1
    assert "technical problem" in replies[0]
