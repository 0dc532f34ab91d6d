"""The phone door reads what the recogniser wrote in spoken forms, for the question asked."""

from __future__ import annotations

import pytest

from channels.twilio.simulator import SignedPoster, TwilioPhone
from tests.channels.twilio_fakes import ScriptedRasa, twiml


def _gather(phone: TwilioPhone) -> dict[str, str]:
    gather = twiml(phone.responses[-1]).find("Gather")
    assert gather is not None
    return dict(gather.attrib)


def test_the_gather_names_the_question_and_asks_for_the_phone_model(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.requested_slot = "lookup_postcode"
    scripted_rasa.default = [{"text": "What is your postcode?"}]
    phone.dial()

    gather = _gather(phone)

    assert gather["action"].endswith("&asked=lookup_postcode")
    assert (gather["speechModel"], gather["enhanced"]) == ("phone_call", "true")
    assert gather.get("finishOnKey", "#") == "#"  # Twilio's default: typed digits end with #


def test_spelled_digits_reach_the_bot_as_the_postcode_asked_for(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.requested_slot = "lookup_postcode"
    scripted_rasa.default = [{"text": "What is your postcode?"}]
    phone.dial()

    phone.say("six nine zero zero two")
    phone.say("what's the price of the eclipse 3,000")

    assert scripted_rasa.messages[1:] == ["69002", "what's the price of the eclipse 3000"]


@pytest.mark.parametrize("keys", ["100001", "100001#"])
def test_six_keys_for_the_identity_are_the_customer_number(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa, keys: str
) -> None:
    scripted_rasa.requested_slot = "identity_key"
    scripted_rasa.default = [{"text": "What is your customer number?"}]
    phone.dial()

    phone.press(keys)  # "#" ends the keys, as the prompt says; Twilio leaves it out

    assert scripted_rasa.messages[-1] == "C-100001"


def test_words_that_are_no_spoken_form_go_as_said(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    phone.dial()

    phone.say("I need to talk to someone for my order")

    assert scripted_rasa.messages[-1] == "I need to talk to someone for my order"


def test_a_question_name_that_is_no_slot_name_is_refused(
    phone: TwilioPhone, signed_poster: SignedPoster
) -> None:
    phone.dial()
    url = _gather(phone)["action"] + "&asked=Lookup1"

    response = signed_poster.post(url, {"CallSid": phone.call_sid, "SpeechResult": "hello"})

    assert response.status_code == 422
