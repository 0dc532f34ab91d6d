"""What the desk does for an agent, on the customer's channel (fake Rasa, real CRM, real TwiML).

A handoff over SMS: the customer texts, an agent answers from the desk through the outbound
client (recorded by the fake Twilio API), the customer's texts reach the desk, and the agent
hands back. The door decides the channel (issue 10 #1): an agent's SMS goes only to a number
a trusted door recorded, never to one an anonymous chat names.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from actions.messages import channel_of
from channels.twilio.simulator import SignedPoster, TwilioTexter
from crm_backend.services import agents, handoff
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import ALWAYS_OPEN, API_TOKEN, COMPANY_NUMBER
from tests.channels.handoff_fakes import ANYTHING_ELSE, QUEUED, DeskBrowser, HandoffRasa
from tests.channels.twilio_fakes import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, RecordingHttpClient

Uows = Callable[[], SqlAlchemyUnitOfWork]
PIERRE = "+33612345678"
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


@pytest.fixture
def texter(desk_gateway: TestClient) -> TwilioTexter:
    poster = SignedPoster(
        desk_gateway, public_url=PUBLIC_URL, auth_token=AUTH_TOKEN, gateway_url="https://testserver"
    )
    return TwilioTexter(poster, sender=PIERRE, to=COMPANY_NUMBER)


@pytest.fixture
def anna(desk_gateway: TestClient, uow_factory: Uows) -> DeskBrowser:
    with uow_factory() as uow:
        agents.create_agent(uow, username="anna", password="a long password", display_name="Anna")
        uow.commit()
    browser = DeskBrowser(TestClient(desk_gateway.app, base_url="https://testserver"))
    assert browser.log_in("anna", "a long password").status_code == 303
    return browser


def sent_sms(twilio_api: RecordingHttpClient) -> list[tuple[str, str]]:
    return [
        (r.data["To"], r.data["Body"])
        for r in twilio_api.requests
        if r.method == "POST" and r.url == MESSAGES_URL
    ]


def test_an_sms_conversation_with_an_agent_and_back_to_the_bot(
    texter: TwilioTexter,
    anna: DeskBrowser,
    handoff_rasa: HandoffRasa,
    twilio_api: RecordingHttpClient,
) -> None:
    first = texter.send("I want a person")
    [row] = anna.client.get("/desk/api/queue").json()
    anna.post(f"/desk/handoffs/{row['id']}/take")
    anna.post(f"/desk/handoffs/{row['id']}/reply", text="Hello Pierre, Anna here. How can I help?")
    answer = texter.send("My bag arrived torn")
    page = anna.client.get(f"/desk/handoffs/{row['id']}").text
    anna.post(
        f"/desk/handoffs/{row['id']}/finish",
        action="hand_back",
        wrap_up_code="resolved",
        summary="New bag sent",
    )
    after = texter.send("No thanks")

    assert first == [QUEUED]
    assert (row["channel"], row["status"]) == ("sms", "waiting")
    # The customer's text went to the desk, not to the bot, and got no SMS answer.
    assert answer == []
    assert "My bag arrived torn" in page
    assert handoff_rasa.messages == ["I want a person", "No thanks"]
    assert handoff_rasa.spoke_while_paused == []
    assert sent_sms(twilio_api) == [
        (PIERRE, "Anna from our team has joined the conversation."),
        (PIERRE, "Hello Pierre, Anna here. How can I help?"),
        (PIERRE, ANYTHING_ELSE),
    ]
    assert after == ["The bot answers: No thanks"]


def test_the_desk_shows_each_agent_answer_once(
    texter: TwilioTexter, anna: DeskBrowser, twilio_api: RecordingHttpClient
) -> None:
    texter.send("I want a person")
    [row] = anna.client.get("/desk/api/queue").json()
    anna.post(f"/desk/handoffs/{row['id']}/take")
    anna.post(f"/desk/handoffs/{row['id']}/reply", text="Anna here")

    lines = anna.client.get(f"/desk/api/handoffs/{row['id']}/transcript").json()["lines"]

    assert [(line["role"], line["text"]) for line in lines] == [
        ("customer", "I want a person"),
        ("bot", QUEUED),
        ("system", "Anna from our team has joined the conversation."),
        ("agent", "Anna here"),
    ]


def test_an_sms_that_cannot_go_out_is_said_to_the_agent(
    texter: TwilioTexter, anna: DeskBrowser, twilio_api: RecordingHttpClient
) -> None:
    texter.send("I want a person")
    [row] = anna.client.get("/desk/api/queue").json()
    anna.post(f"/desk/handoffs/{row['id']}/take")
    twilio_api.error = (400, 21211, "The 'To' number is not a valid phone number.")

    response = anna.post(f"/desk/handoffs/{row['id']}/reply", text="Anna here")

    assert response.headers["location"] == f"/desk/handoffs/{row['id']}?notice=sms_failed"


@pytest.fixture
def queue_as_the_action(handoff_rasa: HandoffRasa, uow_factory: Uows) -> HandoffRasa:
    """The fake Rasa queues as ``action_handoff`` does: channel and number from the metadata."""

    def queue(sender: str, text: str) -> None:
        metadata = handoff_rasa.received[-1].get("metadata") or {}
        with uow_factory() as uow:
            handoff.request_handoff(
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
    assert queue_as_the_action.received[0]["metadata"] == {"channel": "web", "language": "en"}


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
    assert took.headers["location"] == f"/desk/handoffs/{row['id']}?notice=sms_failed"
    assert replied.headers["location"] == f"/desk/handoffs/{row['id']}?notice=sms_failed"
    assert twilio_api.requests == []
