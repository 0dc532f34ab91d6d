"""A handoff over SMS: the customer texts, an agent answers from the desk through the outbound
client (recorded by the fake Twilio API), the customer's texts reach the desk, and the agent
hands back (fake Rasa, real CRM, real TwiML)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from channels.twilio.simulator import SignedPoster, TwilioTexter
from crm_backend.services import agents
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import COMPANY_NUMBER
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

    assert response.headers["location"] == f"/desk/handoffs/{row['id']}?notice=sms_failed#composer"
