"""The streaming phone door on the real stack: Twilio ConversationRelay, played as Twilio plays it.

The stack answers ``RELAY_NUMBER`` (and only it) with ``<Connect><ConversationRelay>``
(tests/e2e/conftest.py). :class:`~channels.twilio.relay_simulator.TwilioRelayCall`
posts the incoming call, opens the WebSocket signed as Twilio signs it, sends
the caller's words as the recogniser writes them (numbers in words, a
capital and a full stop), keys as ``dtmf``, and follows the session's end to
the ``<Connect action>``.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select
from websockets.exceptions import InvalidStatus

from channels.twilio.relay_simulator import TwilioRelayCall, open_websocket
from channels.twilio.relay_twiml import websocket_base
from channels.twilio.simulator import SignedPoster, new_sid
from crm_backend.models import TranscriptEntry

from .conftest import PIERRES_PHONE, RELAY_NUMBER, TWILIO_AUTH_TOKEN, LiveStack
from .crm_checks import assert_the_crm_after, before, primary_phone
from .test_phone import NEW_PHONE, NOT_FOR_SPEECH


@pytest.fixture
def poster(live: LiveStack) -> Iterator[SignedPoster]:
    with httpx.Client(timeout=30) as client:
        yield SignedPoster(client, public_url=live.url, auth_token=TWILIO_AUTH_TOKEN)


@pytest.fixture
def call(poster: SignedPoster) -> Iterator[TwilioRelayCall]:
    """Pierre Moreau calling the relay number; hung up after the test whatever happened."""
    placed = TwilioRelayCall(poster, caller=PIERRES_PHONE, to=RELAY_NUMBER, timeout=30)
    yield placed
    if placed.socket is not None:
        placed.socket.close()


def _identified(call: TwilioRelayCall) -> None:
    call.connect()
    call.say("Six nine zero zero two.")
    call.press("1")  # yes, it is me


def test_the_reference_example_over_conversation_relay(
    live: LiveStack, call: TwilioRelayCall
) -> None:
    earlier = before(live)
    heard: list[str] = []

    def hear(tokens: list[str]) -> str:
        words = "".join(tokens)
        heard.append(words)
        return words

    greeting = hear(call.connect())
    checked = hear(call.say("Six nine zero zero two."))
    context = hear(call.press("1"))  # yes, it is me
    product = hear(call.say("Tell me about the Eclipse three thousand."))
    confirmation = hear(
        call.say("I'd like to order the Eclipse three thousand and the laptop bag.")
    )
    placed = hear(call.press("1"))  # yes, place the order
    read_back = hear(
        call.say(
            "My new phone number is plus three three six nine eight seven six five four three two."
        )
    )
    updated = hear(call.say("Yes."))
    goodbye = hear(call.say("No, that's all."))
    thanks = hear(call.press("5"))  # how he rates the call
    call.hear()  # what follows the last words: the end of the session
    ended = call.hang_up(duration=184)

    assert "postcode" in greeting.lower()
    assert "Pierre" not in greeting
    assert "Am I speaking with Pierre Moreau?" in checked
    assert "Pierre" in context or "order" in context.lower()
    assert "Éclipse 3000" in product
    assert "euros" in product
    assert "1,358 euros" in confirmation
    assert "press 1" in confirmation
    assert "S O" in placed
    assert "Shall I save it?" in read_back
    assert "anything else" in updated.lower()
    assert "Press a key from 1 to 5" in goodbye
    assert "Thank you for your feedback" in thanks
    for words in heard:
        assert not NOT_FOR_SPEECH.search(words), words
    assert call.handoff_data == {"reason": "goodbye"}
    assert call.after is not None
    assert call.after.hangup
    assert call.after.dialled is None
    assert ended.status_code in (200, 204)
    interaction = assert_the_crm_after(live, earlier, conversation_id=f"voice-{call.call_sid}")
    assert (interaction.channel, interaction.duration_seconds) == ("voice", 184)
    assert primary_phone(live) == NEW_PHONE


@pytest.mark.parametrize(
    "who",
    ["yeah hi my customer number is C 100001", "sure it's pierre dot moreau at example dot fr"],
)
def test_the_reference_example_in_a_recognisers_words_over_the_socket(
    live: LiveStack, poster: SignedPoster, who: str
) -> None:
    # As tests/e2e/test_phone_spoken.py on the <Gather> door: a number the CRM does not know.
    earlier = before(live)
    call = TwilioRelayCall(poster, caller="+33698765400", to=RELAY_NUMBER, timeout=30)
    try:
        call.connect()
        asked_postcode = "".join(call.say(who))
        asked_who = "".join(call.say("six nine zero zero two"))
        call.say("yes that's me")
        product = "".join(call.say("what about the eclipse three thousand how much is it"))
        confirmation = "".join(call.say("okay I'll take one with the bag"))
        call.say("yes please")
        call.say("my new phone number is oh six nine eight seven six five four three two")
        call.say("yes that's right")
        survey = "".join(call.say("no that's all thanks bye"))
        call.press("5")
        call.hear()
    finally:
        if call.socket is not None:
            call.socket.close()

    assert "postcode" in asked_postcode
    assert "Pierre Moreau" in asked_who
    assert "Éclipse 3000" in product
    assert "Éclipse 3000" in confirmation
    assert "Laptop Bag" in confirmation
    assert "1 to 5" in survey
    assert call.after is not None
    assert call.after.hangup
    assert_the_crm_after(live, earlier, conversation_id=f"voice-{call.call_sid}")
    assert primary_phone(live) == NEW_PHONE


def test_an_interruption_during_the_product_description_stops_the_rest_of_it(
    live: LiveStack, call: TwilioRelayCall
) -> None:
    _identified(call)

    call.prompt("Tell me about the Eclipse three thousand.")
    first = call.interrupt_after(1)
    # At 40 characters a second, a second sentence would come about a second after the first.
    late = call.quiet(3.0)
    after = call.say("Is it in stock?")
    call.hang_up()

    assert "Éclipse 3000" in first[0]
    assert late == []
    assert after  # the next answer came, and nothing of the one cut short before it
    with live.sessions() as session:
        said = session.scalars(
            select(TranscriptEntry.text)
            .where(TranscriptEntry.conversation_id == f"voice-{call.call_sid}")
            .order_by(TranscriptEntry.id)
        ).all()
    cut = said.index(f"The caller cut in after hearing: “{first[0].strip()}”")
    assert "Éclipse 3000" in said[cut - 1]  # the whole reply, as the bot gave it
    assert said[cut + 1] == "Is it in stock?"


def test_an_upgrade_without_twilios_signature_is_refused(live: LiveStack) -> None:
    url = f"{websocket_base(live.url)}/twilio/relay?call={new_sid('CA')}"

    with pytest.raises(InvalidStatus) as refused:
        open_websocket(url, {})

    assert refused.value.response.status_code == 403
