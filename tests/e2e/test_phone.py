"""The phone and SMS doors on the real stack, called as Twilio calls them.

Requests are signed with Twilio's scheme (the ``twilio`` library's
``RequestValidator``) for the gateway's public URL; the TwiML that comes back
is parsed and followed verb by verb (channels/twilio/simulator.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from channels.twilio.security import SIGNATURE_HEADER
from channels.twilio.simulator import SignedPoster, TwilioPhone, TwilioTexter, new_sid
from crm_backend.models import Interaction, TranscriptEntry

from .conftest import PIERRES_PHONE, TWILIO_AUTH_TOKEN, LiveStack
from .crm_checks import assert_the_crm_after, before, primary_phone

NEW_PHONE = "+33698765432"
# Markdown, emoji and the web's number formats have no place in speech.
NOT_FOR_SPEECH = re.compile(r"[*_`#\[\]]|[\U0001F300-\U0001FAFF]|\d,\d\d €|\d{2}/\d{2}/\d{4}")


@pytest.fixture
def poster(live: LiveStack) -> Iterator[SignedPoster]:
    with httpx.Client(timeout=30) as client:
        yield SignedPoster(client, public_url=live.url, auth_token=TWILIO_AUTH_TOKEN)


def _spoken(phone: TwilioPhone) -> str:
    return " ".join(phone.step.said)


def test_the_reference_example_as_a_phone_call(live: LiveStack, poster: SignedPoster) -> None:
    earlier = before(live)
    phone = TwilioPhone(poster, caller=PIERRES_PHONE)
    heard: list[str] = []

    def hear() -> str:
        words = _spoken(phone)
        heard.append(words)
        assert phone.step.listening or phone.step.hangup, words
        return words

    phone.dial()
    greeting = hear()
    phone.say("69002")  # the postcode: the caller number only picked the account
    checked = hear()
    phone.press("1")  # yes, it is me
    context = hear()
    phone.say("tell me about the eclipse 3000")
    product = hear()
    phone.say("I'd like to order the eclipse 3000 and the laptop bag")
    confirmation = hear()
    phone.press("1")  # yes, place the order
    placed = hear()
    phone.say("my new phone number is +33 6 98 76 54 32")
    read_back = hear()
    phone.press("1")  # yes, that is the number
    updated = hear()
    phone.say("no that's all")
    goodbye = hear()
    survey = phone.step
    phone.press("5")  # how he rates the call
    thanks = hear()
    ended = phone.end(duration=184)

    # The caller number picks the account, the postcode confirms it: no name before it.
    assert "postcode" in greeting.lower()
    assert "Pierre" not in greeting
    assert "Moreau" not in greeting
    assert "Am I speaking with Pierre Moreau?" in checked
    assert "Pierre" in context or "order" in context.lower()
    assert "Éclipse 3000" in product
    assert "euros" in product
    assert "bag" in product.lower()
    assert "battery" in product.lower()
    assert "1,358 euros" in confirmation
    assert "press 1" in confirmation
    assert "S O" in placed  # the order number, spelled to be heard
    # A recogniser mishears digits: the number is read back before it is saved.
    assert "I heard plus 3 3, 6, 9 8, 7 6, 5 4, 3 2. Shall I save it?" in read_back
    assert "anything else" in updated.lower()
    assert "Press a key from 1 to 5" in goodbye
    assert (survey.listening, survey.num_digits) == (True, 1)
    assert "Thank you for your feedback" in thanks
    assert phone.step.hangup
    for words in heard:
        assert not NOT_FOR_SPEECH.search(words), words
    assert ended.status_code in (200, 204)

    conversation_id = f"voice-{phone.call_sid}"
    interaction = assert_the_crm_after(live, earlier, conversation_id=conversation_id)
    assert (interaction.channel, interaction.duration_seconds) == ("voice", 184)
    assert primary_phone(live) == NEW_PHONE


def _traces(live: LiveStack, conversation_id: str) -> tuple[int, int, list[object]]:
    """Interactions and transcript entries in the CRM, and what the customer or bot said in Rasa.

    Rasa's tracker endpoint starts a session for an id it does not know, so the
    CRM is read first, and of the tracker only user and bot events count.
    """
    with live.sessions() as session:
        interactions = session.scalar(
            select(func.count())
            .select_from(Interaction)
            .where(Interaction.conversation_id == conversation_id)
        )
        transcript = session.scalar(
            select(func.count())
            .select_from(TranscriptEntry)
            .where(TranscriptEntry.conversation_id == conversation_id)
        )
    tracker = httpx.get(
        f"{live.stack.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": live.stack.rasa_token},
        timeout=10,
    ).json()
    said = [e for e in tracker.get("events") or [] if e.get("event") in ("user", "bot")]
    return interactions or 0, transcript or 0, said


@pytest.mark.parametrize("attack", ["unsigned", "forged", "re-targeted"])
def test_a_request_not_signed_by_twilio_is_refused_and_leaves_no_trace(
    live: LiveStack, attack: str
) -> None:
    call_sid = new_sid("CA")
    form = {"CallSid": call_sid, "From": PIERRES_PHONE, "To": "+33900000000"}
    form |= {"CallStatus": "ringing", "AccountSid": "AC" + "0" * 32}
    url = f"{live.url}/twilio/voice"
    validator = SignedPoster(httpx.Client(), public_url=live.url, auth_token=TWILIO_AUTH_TOKEN)
    headers = {}
    if attack == "forged":
        other = SignedPoster(httpx.Client(), public_url=live.url, auth_token="not-the-token")
        headers[SIGNATURE_HEADER] = other.validator.compute_signature(url, form)
    elif attack == "re-targeted":
        # A genuine signature, but for another URL of ours.
        headers[SIGNATURE_HEADER] = validator.validator.compute_signature(
            f"{live.url}/twilio/sms", form
        )

    response = httpx.post(url, data=form, headers=headers, timeout=10)

    assert response.status_code == 403
    assert _traces(live, f"voice-{call_sid}") == (0, 0, [])


def test_an_sms_conversation_stop_and_a_retried_webhook(
    live: LiveStack, poster: SignedPoster
) -> None:
    texter = TwilioTexter(poster, sender=PIERRES_PHONE)
    sid = new_sid("SM")

    first = texter.send("Hello", message_sid=sid)
    retried = texter.send("Hello", message_sid=sid)  # Twilio retries a slow webhook

    assert first == retried
    # A known number is asked the postcode; its owner's name is not texted to whoever has it.
    assert "postcode" in " ".join(first).lower()
    assert "Pierre" not in " ".join(first)
    conversation_id = f"sms-{PIERRES_PHONE}"
    with live.sessions() as session:
        said = session.scalars(
            select(TranscriptEntry.text).where(
                TranscriptEntry.conversation_id == conversation_id,
                TranscriptEntry.role == "customer",
            )
        ).all()
    assert said.count("Hello") == 1  # one bot turn for two deliveries

    stopped = texter.send("STOP")
    after_stop = texter.send("Where is my order?")
    restarted = texter.send("START")

    assert len(stopped) == 1
    assert after_stop == []  # an opted-out number gets nothing more by SMS
    assert len(restarted) == 1
