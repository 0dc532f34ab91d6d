"""The door per number: ``<Connect><ConversationRelay>`` on a relay number, and what follows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from channels.settings import TwilioSettings, parse_relay_numbers
from channels.twilio.relay_twiml import after_session, relay_voice, socket_url, websocket_base
from channels.twilio.simulator import SignedPoster, TwilioPhone, read_voice_twiml
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.twilio.conftest import PIERRE, RELAY_NUMBER
from tests.channels.twilio_fakes import PUBLIC_URL, ScriptedRasa, twiml
from tests.factories import make_product

Uows = Callable[[], SqlAlchemyUnitOfWork]


def test_a_call_to_a_relay_number_connects_to_conversation_relay(
    relay_poster: SignedPoster, scripted_rasa: ScriptedRasa, uow_factory: Uows
) -> None:
    with uow_factory() as uow:
        make_product(uow, sku="ECL-3000", name="Éclipse 3000")
        uow.commit()
    phone = TwilioPhone(relay_poster, caller=PIERRE, to=RELAY_NUMBER)

    phone.dial()

    root = twiml(phone.responses[-1])
    assert [child.tag for child in root] == ["Connect"]
    connect = root[0]
    assert connect.attrib == {"action": f"{PUBLIC_URL}/twilio/relay/ended", "method": "POST"}
    [relay] = list(connect)
    assert relay.tag == "ConversationRelay"
    assert relay.attrib == {
        "url": f"wss://icbot.example.com/twilio/relay?call={phone.call_sid}",
        "language": "en-GB",
        "ttsProvider": "Amazon",
        "voice": "Amy-Neural",
        "interruptible": "any",
        "dtmfDetection": "true",
        "hints": "Éclipse 3000, eclipse 3000",
    }
    assert [(e.tag, e.attrib) for e in relay] == [
        ("Language", {"code": "en-GB", "ttsProvider": "Amazon", "voice": "Amy-Neural"}),
        ("Language", {"code": "fr-FR", "ttsProvider": "Amazon", "voice": "Lea-Neural"}),
    ]
    # No welcomeGreeting: the bot greets over the socket, knowing the caller by number.
    assert scripted_rasa.messages == []


def test_other_numbers_keep_the_gather_door(
    relay_poster: SignedPoster, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [{"text": "Hello."}]
    phone = TwilioPhone(relay_poster, caller=PIERRE, to="+33900000000")

    step = phone.dial()

    assert [child.tag for child in twiml(phone.responses[-1])] == ["Gather"]
    assert step.said == ["Hello."]


@pytest.fixture
def french_relay_number(relay_gateway: TestClient) -> str:
    """A French number of ours, on the streaming door."""
    number = "+33411223344"
    settings = relay_gateway.app.state.settings  # type: ignore[attr-defined]
    twilio = replace(settings.twilio, relay_numbers=("*",))
    relay_gateway.app.state.settings = replace(  # type: ignore[attr-defined]
        settings, twilio=twilio, number_languages={number: "fr"}
    )
    return number


def test_a_call_to_a_french_number_starts_in_french(
    relay_poster: SignedPoster, french_relay_number: str
) -> None:
    phone = TwilioPhone(relay_poster, caller=PIERRE, to=french_relay_number)

    phone.dial()

    relay = twiml(phone.responses[-1]).find("Connect/ConversationRelay")
    assert relay is not None
    assert (relay.get("language"), relay.get("voice")) == ("fr-FR", "Lea-Neural")


def test_the_relay_numbers_setting() -> None:
    assert TwilioSettings.from_env({}).relay_numbers == ()
    assert parse_relay_numbers(" +33 9 00 00 00 42, +33900000042 ,") == (RELAY_NUMBER,)
    assert parse_relay_numbers("+33900000042,*") == ("*",)
    everywhere = TwilioSettings.from_env({"ICBOT_RELAY_NUMBERS": "*"})
    assert everywhere.relays("+33100000000")
    assert everywhere.relays("anonymous")
    some = TwilioSettings.from_env({"ICBOT_RELAY_NUMBERS": RELAY_NUMBER})
    assert some.relays("+33 9 00 00 00 42")
    assert not some.relays("+33900000000")
    with pytest.raises(ValueError, match="ICBOT_RELAY_NUMBERS"):
        parse_relay_numbers("+33900000042,not a number")
    with pytest.raises(ValueError, match="ICBOT_RELAY_SPEECH_RATE"):
        TwilioSettings.from_env({"ICBOT_RELAY_SPEECH_RATE": "0"})


def test_voices_urls_and_schemes() -> None:
    assert relay_voice("Polly.Amy") == ("Amazon", "Amy-Neural")
    assert relay_voice("Polly.Amy-Generative") == ("Amazon", "Amy-Generative")
    assert relay_voice("Google.en-GB-Neural2-A") == ("Google", "en-GB-Neural2-A")
    assert relay_voice("alice") == (None, "alice")
    assert websocket_base("https://icbot.example.com/") == "wss://icbot.example.com"
    assert websocket_base("http://127.0.0.1:8000") == "ws://127.0.0.1:8000"
    assert socket_url("https://a.b", "CA1") == "wss://a.b/twilio/relay?call=CA1"


AGENTS = "+33100000000"


@pytest.mark.parametrize(
    ("reason", "status", "agents", "expected"),
    [
        ("goodbye", "completed", AGENTS, "<Response><Hangup /></Response>"),
        ("handoff", "completed", AGENTS, f"<Response><Dial>{AGENTS}</Dial></Response>"),
        ("handoff", "completed", None, "<Response><Hangup /></Response>"),
        ("failed", "completed", AGENTS, f"<Response><Dial>{AGENTS}</Dial></Response>"),
        ("failed", "completed", None, "<Response><Hangup /></Response>"),
        (None, "ended", AGENTS, "<Response><Hangup /></Response>"),
    ],
)
def test_after_the_session(
    reason: str | None, status: str, agents: str | None, expected: str
) -> None:
    twilio = TwilioSettings(fallback_number=agents)

    response = after_session(
        twilio, public_url=PUBLIC_URL, reason=reason, session_status=status, language="en"
    )

    assert str(response).removeprefix('<?xml version="1.0" encoding="UTF-8"?>') == expected


def test_a_session_that_failed_unheard_gets_the_apology() -> None:
    step = read_voice_twiml(
        str(
            after_session(
                TwilioSettings(),
                public_url=PUBLIC_URL,
                reason=None,
                session_status="failed",
                language="fr",
            )
        )
    )

    assert step.hangup
    assert step.said == [
        "Désolé, je ne peux pas répondre pour le moment à cause d'un problème technique. "
        "Merci de nous rappeler un peu plus tard. Au revoir."
    ]


@pytest.mark.parametrize("relay_fallback", [AGENTS])
def test_the_action_is_a_signed_webhook(
    relay_poster: SignedPoster, relay_gateway: TestClient
) -> None:
    form = {"CallSid": "CA" + "1" * 32, "SessionStatus": "completed"}
    form["HandoffData"] = '{"reason": "handoff"}'

    signed = relay_poster.post("/twilio/relay/ended", form)
    unsigned = relay_gateway.post("/twilio/relay/ended", data=form)

    assert read_voice_twiml(signed.text).dialled == AGENTS
    assert unsigned.status_code == 403
