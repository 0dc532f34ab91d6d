"""The door decides the channel (issue 10 #1): an anonymous chat is a web conversation whatever
its metadata says, and an agent's SMS goes only to a number a trusted door recorded
(fake Rasa that queues as ``action_handoff`` does, real CRM, recorded Twilio API)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from actions.messages import channel_of
from crm_backend.services import agents, handoffs
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import ALWAYS_OPEN, API_TOKEN
from tests.channels.handoff_fakes import DeskBrowser, HandoffRasa
from tests.channels.twilio_fakes import RecordingHttpClient

Uows = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def queue_as_the_action(handoff_rasa: HandoffRasa, uow_factory: Uows) -> HandoffRasa:
    """The fake Rasa queues as ``action_handoff`` does: channel and number from the metadata."""

    def queue(sender: str, text: str) -> None:
        metadata = handoff_rasa.received[-1].get("metadata") or {}
        with uow_factory() as uow:
            handoffs.request_handoff(
                uow,
                conversation_id=sender,
                channel=channel_of(metadata),
                reason="requested",
                settings=ALWAYS_OPEN,
                detail=text,
                reply_to=metadata.get("caller_phone"),
            )
            uow.commit()

    handoff_rasa.on_handoff = queue
    return handoff_rasa


@pytest.fixture
def anna(desk_gateway: TestClient, uow_factory: Uows) -> DeskBrowser:
    with uow_factory() as uow:
        agents.create_agent(uow, username="anna", password="a long password", display_name="Anna")
        uow.commit()
    browser = DeskBrowser(TestClient(desk_gateway.app, base_url="https://testserver"))
    assert browser.log_in("anna", "a long password").status_code == 303
    return browser


def test_an_anonymous_chat_cannot_make_the_desk_text_a_number(
    desk_gateway: TestClient,
    queue_as_the_action: HandoffRasa,
    anna: DeskBrowser,
    twilio_api: RecordingHttpClient,
) -> None:
    attack = {"text": "I want a person", "metadata": {"channel": "sms"}}
    # The id the finding used is none the server issued; an issued one is no better.
    on_a_number = desk_gateway.post("/api/conversations/00447700900123/messages", json=attack)
    issued = desk_gateway.post("/api/conversations").json()["conversation_id"]
    asked = desk_gateway.post(f"/api/conversations/{issued}/messages", json=attack)
    [row] = anna.client.get("/desk/api/queue").json()
    anna.post(f"/desk/handoffs/{row['id']}/take")
    anna.post(f"/desk/handoffs/{row['id']}/reply", text="Hello, Anna here.")

    assert (on_a_number.status_code, asked.status_code) == (404, 200)
    assert [(r.method, r.data) for r in twilio_api.requests] == []
    assert (row["channel"], row["status"]) == ("web", "waiting")
    assert queue_as_the_action.received[0]["metadata"] == {"channel": "web"}


def test_an_sms_handoff_without_a_recorded_number_texts_nobody(
    desk_gateway: TestClient,
    queue_as_the_action: HandoffRasa,
    anna: DeskBrowser,
    twilio_api: RecordingHttpClient,
) -> None:
    # A trusted integration names the channel but no number: the id is no number either.
    desk_gateway.post(
        "/api/conversations/00447700900123/messages",
        json={"text": "I want a person", "metadata": {"channel": "sms"}},
        headers={"Authorization": f"Bearer {API_TOKEN}"},
    )
    [row] = anna.client.get("/desk/api/queue").json()

    took = anna.post(f"/desk/handoffs/{row['id']}/take")
    replied = anna.post(f"/desk/handoffs/{row['id']}/reply", text="Hello, Anna here.")

    assert (row["channel"], row["status"]) == ("sms", "waiting")
    assert took.headers["location"] == f"/desk/handoffs/{row['id']}?notice=sms_failed#composer"
    assert replied.headers["location"] == f"/desk/handoffs/{row['id']}?notice=sms_failed#composer"
    assert twilio_api.requests == []
