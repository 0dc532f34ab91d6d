"""The customer's apology when the bot cannot answer: one sentence, each door's way on."""

from __future__ import annotations

from channels.conversations import apology
from channels.conversations.rasa_client import Button


def test_every_door_says_the_same_sorry_then_its_own_way_on() -> None:
    sorry = "Sorry, I can't answer right now because of a technical problem."

    assert sorry == apology.SORRY
    assert (
        f"{sorry} Your message is saved. Would you like a person to call you back?",
        f"{sorry} Please text us again a little later.",
        f"{sorry} Please call us again a little later. Goodbye.",
        f"{sorry} I'm putting you through to an adviser.",
    ) == (apology.CHAT, apology.SMS, apology.CALL_AGAIN, apology.PUT_THROUGH)


def test_the_chat_offers_a_call_back_or_to_try_again() -> None:
    assert (
        Button(title="Yes, call me back", payload="/request_human"),
        Button(title="I'll try again later", payload="/goodbye"),
    ) == apology.CHAT_BUTTONS
