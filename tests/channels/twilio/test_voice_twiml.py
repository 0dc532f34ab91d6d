"""A handoff on the phone: the caller hears the bot's words and is put through to the agents'
line with <Dial>; the desk shows the call's transcript so far (fake Rasa, real CRM)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.conversations.rasa_client import RasaClient
from channels.settings import GatewaySettings
from channels.twilio.simulator import SignedPoster, TwilioPhone
from crm_backend.services import agents
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import ALWAYS_OPEN, RASA_URL
from tests.channels.handoff_fakes import QUEUED, DeskBrowser, HandoffRasa
from tests.channels.twilio_fakes import AUTH_TOKEN, PUBLIC_URL

Uows = Callable[[], SqlAlchemyUnitOfWork]
AGENTS_LINE = "+33400000000"


def phone_on(
    settings: GatewaySettings, sessions: sessionmaker[Session], rasa: HandoffRasa
) -> tuple[TestClient, TwilioPhone]:
    client = RasaClient(RASA_URL, transport=httpx.MockTransport(rasa))
    gateway = TestClient(create_app(settings, sessions, rasa=client), base_url="https://testserver")
    poster = SignedPoster(
        gateway, public_url=PUBLIC_URL, auth_token=AUTH_TOKEN, gateway_url="https://testserver"
    )
    return gateway, TwilioPhone(poster, caller="+33612345678")


@pytest.mark.parametrize("line", [AGENTS_LINE, None])
def test_a_caller_who_presses_0_is_put_through_to_the_agents(
    twilio_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    handoff_rasa: HandoffRasa,
    uow_factory: Uows,
    line: str | None,
) -> None:
    settings = replace(
        twilio_settings,
        crm=replace(twilio_settings.crm, handoff=ALWAYS_OPEN),
        twilio=replace(twilio_settings.twilio, fallback_number=line),
    )
    handoff_rasa.handing_off = {"/request_human"}
    handoff_rasa.answers["/greet"] = [{"text": "Hello, and thank you for calling."}]
    with uow_factory() as uow:
        agents.create_agent(uow, username="anna", password="a long password", display_name="Anna")
        uow.commit()
    gateway, phone = phone_on(settings, session_factory, handoff_rasa)
    with gateway:
        phone.dial()
        step = phone.press("0")
        anna = DeskBrowser(gateway)
        anna.log_in("anna", "a long password")
        [row] = gateway.get("/desk/api/queue").json()
        lines = gateway.get(f"/desk/api/handoffs/{row['id']}/transcript").json()["lines"]

    assert step.said[0] == QUEUED
    if line:
        assert (step.dialled, step.hangup) == (AGENTS_LINE, False)
    else:
        assert step.said[1:] == [
            "An adviser will call you back on this number as soon as possible. Goodbye."
        ]
        assert (step.dialled, step.hangup) == (None, True)
    assert (row["channel"], row["status"]) == ("voice", "waiting")
    assert [(x["role"], x["text"]) for x in lines] == [
        ("customer", "/greet"),
        ("bot", "Hello, and thank you for calling."),
        ("customer", "/request_human"),
        ("bot", QUEUED),
    ]
    assert handoff_rasa.events_sent(row["conversation_id"]) == ["pause"]
