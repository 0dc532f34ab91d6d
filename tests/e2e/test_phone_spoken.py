"""The reference example by phone, the caller's words as a speech recogniser writes them.

Twilio's recogniser writes "C 100001", "six nine zero zero two", "pierre dot
moreau at example dot fr" and "the eclipse three thousand"; the phone door
reads them in spoken forms (languages/spoken) before the bot does. The caller
rings from a number the CRM does not know, so the account is found by what
they say.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from channels.twilio.simulator import SignedPoster, TwilioPhone

from .conftest import TWILIO_AUTH_TOKEN, LiveStack
from .crm_checks import assert_the_crm_after, before, primary_phone

UNKNOWN_CALLER = "+33698765400"
NEW_PHONE = "+33698765432"


@pytest.fixture
def poster(live: LiveStack) -> Iterator[SignedPoster]:
    with httpx.Client(timeout=30) as client:
        yield SignedPoster(client, public_url=live.url, auth_token=TWILIO_AUTH_TOKEN)


@pytest.mark.parametrize(
    "who",
    [
        "yeah hi my customer number is C 100001",
        "sure it's pierre dot moreau at example dot fr",
    ],
)
def test_the_reference_example_in_a_recognisers_words(
    live: LiveStack, poster: SignedPoster, who: str
) -> None:
    earlier = before(live)
    phone = TwilioPhone(poster, caller=UNKNOWN_CALLER)
    heard: list[str] = []

    def say(words: str) -> str:
        step = phone.say(words)
        heard.append(" ".join(step.said))
        return heard[-1]

    phone.dial()
    asked_postcode = say(who)
    asked_who = say("six nine zero zero two")
    say("yes that's me")
    product = say("what about the eclipse three thousand how much is it")
    confirmation = say("okay I'll take one with the bag")
    say("yes please")
    read_back = say("my new phone number is oh six nine eight seven six five four three two")
    updated = say("yes that's right")
    survey = say("no that's all thanks bye")
    phone.press("5")

    assert "postcode" in asked_postcode
    assert "Pierre Moreau" in asked_who
    assert "Éclipse 3000" in product
    assert "Éclipse 3000" in confirmation
    assert "Laptop Bag" in confirmation
    assert "6, 9 8, 7 6, 5 4, 3 2" in read_back, read_back
    assert "anything else" in updated.lower(), updated
    assert "Goodbye" in survey
    assert "1 to 5" in survey
    assert phone.step.hangup  # after the farewell and the one key of the survey
    assert_the_crm_after(live, earlier, conversation_id=f"voice-{phone.call_sid}")
    assert primary_phone(live) == NEW_PHONE


def test_a_goodbye_inside_a_form_ends_the_call(live: LiveStack, poster: SignedPoster) -> None:
    phone = TwilioPhone(poster, caller=UNKNOWN_CALLER)
    phone.dial()
    phone.say("my customer number is C 100001")
    phone.say("six nine zero zero two")
    phone.say("yes")
    asked = " ".join(phone.say("I want to place an order").said)

    farewell = phone.say("no that's all thanks bye")

    assert "order" in asked.lower()
    assert "Goodbye" in " ".join(farewell.said)
    assert "order" not in " ".join(farewell.said).split("Goodbye")[-1].lower()
    assert farewell.num_digits == 1  # the survey's one key, then the call ends
    assert phone.press("4").hangup
