"""The satisfaction question on the phone: one key after the goodbye, then the call ends."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from channels.twilio.simulator import TwilioPhone
from tests.channels.twilio_fakes import PUBLIC_URL, ScriptedRasa, texts, twiml

GOODBYE = "Thank you for contacting us. Goodbye!"
QUESTION = "Before you go, how would you rate this call? Press a key from 1 to 5."


def document(phone: TwilioPhone) -> ET.Element:
    """The TwiML of the phone's latest request."""
    return twiml(phone.responses[-1])


@pytest.fixture
def asked(phone: TwilioPhone, scripted_rasa: ScriptedRasa) -> TwilioPhone:
    """A call whose caller said goodbye, and the bot asked the satisfaction question."""
    scripted_rasa.answers["bye"] = [{"text": GOODBYE}, {"text": QUESTION}]
    scripted_rasa.answers["4"] = [{"text": "Thank you for your feedback. Goodbye!"}]
    scripted_rasa.closing = {"bye", "4"}
    scripted_rasa.requested_slot = "satisfaction_answer"
    phone.dial()
    phone.say("bye")
    return phone


@pytest.mark.parametrize("rasa_tells", [True, False], ids=["from-the-answer", "from-the-tracker"])
def test_after_the_goodbye_the_call_listens_for_one_key_then_hangs_up_on_silence(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa, rasa_tells: bool
) -> None:
    scripted_rasa.tells_dialogue_state = rasa_tells
    scripted_rasa.answers["bye"] = [{"text": GOODBYE}, {"text": QUESTION}]
    scripted_rasa.closing = {"bye"}
    scripted_rasa.requested_slot = "satisfaction_answer"
    phone.dial()

    step = phone.say("bye")

    root = document(phone)
    assert [child.tag for child in root] == ["Gather", "Say", "Hangup"]
    gather = root[0]
    assert (gather.get("input"), gather.get("numDigits"), gather.get("action")) == (
        "dtmf speech",
        "1",
        f"{PUBLIC_URL}/twilio/voice/gather?turn=2&silence=0",
    )
    assert gather.get("actionOnEmptyResult") is None  # silence reads on: goodbye, hang up
    assert texts(gather, "Say") == [GOODBYE, QUESTION]
    assert step.listening
    assert not step.hangup
    assert phone.stay_silent().hangup
    assert texts(root, "Say")[-1] == "Thank you for calling. Goodbye."
    assert scripted_rasa.messages == ["/greet", "bye"]  # the silence asked the bot nothing


def test_a_key_answers_and_the_call_ends(asked: TwilioPhone, scripted_rasa: ScriptedRasa) -> None:
    scripted_rasa.requested_slot = None  # the form got its answer

    step = asked.press("4")

    assert scripted_rasa.messages == ["/greet", "bye", "4"]
    root = document(asked)
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert texts(root, "Say") == ["Thank you for your feedback. Goodbye!"]
    assert step.hangup


def test_an_answer_not_understood_is_asked_again_for_one_key(
    asked: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["meh"] = [{"text": "Sorry, please press a key from 1 to 5."}]

    step = asked.say("meh")

    root = document(asked)
    assert [child.tag for child in root] == ["Gather", "Say", "Hangup"]
    assert root[0].get("numDigits") == "1"
    assert step.listening
