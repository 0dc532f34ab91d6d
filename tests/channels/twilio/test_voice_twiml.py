"""What the phone door says: plain speech, the apology in time, a handoff put through to the
agents' line (fake Rasa, real CRM)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from channels.app import create_app
from channels.conversations.apology import CHAT as FALLBACK_TEXT
from channels.conversations.rasa_client import RasaClient
from channels.settings import GatewaySettings
from channels.twilio.simulator import SignedPoster, TwilioPhone
from crm_backend.services import agents
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import ALWAYS_OPEN, RASA_URL, TranscriptRow
from tests.channels.handoff_fakes import QUEUED, DeskBrowser, HandoffRasa
from tests.channels.twilio_fakes import (
    ACTIONS_URL,
    AUTH_TOKEN,
    PUBLIC_URL,
    ScriptedRasa,
    texts,
    twiml,
)

Uows = Callable[[], SqlAlchemyUnitOfWork]


AGENTS_LINE = "+33400000000"


def test_markdown_and_emoji_are_not_read_aloud(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [
        {"text": "**Welcome** to Lumen 👋\n- laptops\n- [bags](https://x.test)"}
    ]

    phone.dial()

    assert texts(twiml(phone.responses[-1]), "Say") == ["Welcome to Lumen. laptops. bags."]


def _gateway(settings: GatewaySettings, sessions: sessionmaker[Session], rasa: ScriptedRasa):
    client = RasaClient(RASA_URL, actions_url=ACTIONS_URL, transport=httpx.MockTransport(rasa))
    return TestClient(create_app(settings, sessions, rasa=client))


@pytest.mark.parametrize("failure", ["rasa error", "action server down", "rasa too slow"])
@pytest.mark.parametrize("fallback", [None, "+33400000000"])
def test_when_the_bot_cannot_answer_the_caller_hears_an_apology_in_time(
    twilio_settings: GatewaySettings,
    session_factory: sessionmaker[Session],
    scripted_rasa: ScriptedRasa,
    transcript_rows: Callable[[], list[TranscriptRow]],
    failure: str,
    fallback: str | None,
) -> None:
    settings = replace(
        twilio_settings, twilio=replace(twilio_settings.twilio, fallback_number=fallback)
    )
    if failure == "rasa error":
        scripted_rasa.status = 500
    elif failure == "action server down":
        scripted_rasa.actions_up = False
    else:
        scripted_rasa.delay = 30.0  # the budget is 3 s
    with _gateway(settings, session_factory, scripted_rasa) as client:
        phone = TwilioPhone(
            SignedPoster(
                client,
                public_url=PUBLIC_URL,
                auth_token=AUTH_TOKEN,
                gateway_url="http://testserver",
            )
        )
        started = time.monotonic()
        step = phone.dial()
        elapsed = time.monotonic() - started

    # Not a speed test: the answer came without waiting out a bot that takes 30 s
    # (the margin is wide so a busy machine cannot make it fail).
    assert elapsed < settings.twilio.reply_budget + 10
    root = twiml(phone.responses[-1])
    apology = "Sorry, I can't answer right now because of a technical problem."
    if fallback:
        assert [child.tag for child in root] == ["Say", "Dial"]
        assert texts(root, "Say") == [f"{apology} I'm putting you through to an adviser."]
        assert step.dialled == fallback
    else:
        assert [child.tag for child in root] == ["Say", "Hangup"]
        assert texts(root, "Say") == [f"{apology} Please call us again a little later. Goodbye."]
    # The customer's side of the turn is kept, and why it got no answer.
    why = "(no answer in time)" if failure == "rasa too slow" else FALLBACK_TEXT
    assert transcript_rows() == [
        (f"voice-{phone.call_sid}", "voice", "customer", "/greet", {}),
        (f"voice-{phone.call_sid}", "voice", "system", why, {}),
    ]


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
        ("customer", "Hello"),
        ("bot", "Hello, and thank you for calling."),
        ("customer", "Talk to a person"),
        ("bot", QUEUED),
    ]
    assert handoff_rasa.events_sent(row["conversation_id"]) == ["pause"]
