"""The reference example of PROCESSES.md in French: by web chat, SMS and phone, on the real stack.

The gateway serves each conversation in its language (languages/, docs/languages.md): the
web page says the browser's, the company's French number says French, and otherwise the
first message does. Each run must end as the English one does in the CRM (one order of
ECL-3000 + BAG-ECL, the new phone on Pierre's account, a survey activity) with every word
of the bot in French.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import httpx
import pytest

from channels.twilio.simulator import SignedPoster, TwilioPhone, TwilioTexter
from languages.identify import identify

from .conftest import FRENCH_NUMBER, PIERRES_PHONE, TWILIO_AUTH_TOKEN, Chat, LiveStack
from .crm_checks import assert_the_crm_after, before, primary_phone

NEW_PHONE = "+33698765432"
# Words no French sentence of the bot has; product names and codes aside.
ENGLISH_WORDS = re.compile(
    r"\b(the|your|you|please|thanks?|would|what|which|press|anything|order|yes|no|and|of)\b",
    re.IGNORECASE,
)
# What stays the same in both languages: product names, codes, amounts.
NAMES = re.compile(r"Éclipse[\w ]*|Lumio[\w ]*|SO-\d+|C-\d+|\S+@\S+|[+\d][\d .,€]*")


def assert_french(messages: Iterable[str]) -> None:
    """Every message reads as French: no English word, and the identifier says French."""
    for message in messages:
        words = NAMES.sub(" ", message)
        assert not ENGLISH_WORDS.search(words), message
        if len(words.split()) >= 3:
            assert identify(words) == "fr", message


@pytest.fixture
def poster(live: LiveStack) -> Iterator[SignedPoster]:
    with httpx.Client(timeout=30) as client:
        yield SignedPoster(client, public_url=live.url, auth_token=TWILIO_AUTH_TOKEN)


def test_the_reference_example_in_french_by_web_chat(live: LiveStack) -> None:
    earlier = before(live)
    with Chat(live.url) as chat:
        conversation_id = chat.conversation_id
        chat.say("Bonjour", language="fr")
        verification = chat.say("mon adresse mail c'est pierre.moreau@example.fr")
        confirm = chat.say("69002")
        chat.say("oui")
        product = chat.say("je voudrais des infos sur l'Éclipse 3000")
        order = chat.say("je prends l'éclipse 3000 avec la sacoche")
        placed = chat.say("oui")
        phone = chat.say("mon nouveau numéro c'est le 06 98 76 54 32")
        chat.say("non c'est tout merci au revoir")
        chat.say("5")

    assert "code postal" in verification.lower()
    assert "Pierre Moreau" in confirm
    assert "Éclipse 3000" in product
    assert "Éclipse Laptop Bag" in order
    assert "1 358,00 €" in order
    assert "SO-" in placed
    assert "98765432" in phone.replace(" ", "")
    assert_french(m["text"] for reply in chat.replies for m in reply["messages"])
    assert primary_phone(live) == NEW_PHONE
    assert_the_crm_after(live, earlier, conversation_id=f"web-{conversation_id}")


def test_the_reference_example_in_french_by_sms(live: LiveStack, poster: SignedPoster) -> None:
    earlier = before(live)
    # Another phone than Pierre's: he identifies himself by e-mail, as a stranger would.
    texter = TwilioTexter(poster, sender="+33611223344", to=FRENCH_NUMBER)
    said: list[str] = []

    def text(words: str) -> str:
        answer = texter.send(words)
        said.extend(answer)
        return " ".join(answer)

    text("Bonjour")
    verification = text("c'est pierre.moreau@example.fr")
    text("69002")
    text("oui")
    text("l'éclipse 3000 c'est combien")
    order = text("je prends l'eclipse 3000 et la sacoche")
    text("oui")
    text("mon nouveau num c'est le 0698765432")
    text("non c'est tout merci, au revoir")
    text("4")

    assert "code postal" in verification.lower()
    assert "Éclipse Laptop Bag" in order
    assert_french(said)
    assert primary_phone(live) == NEW_PHONE
    assert_the_crm_after(live, earlier, conversation_id="sms-+33611223344")


def test_the_reference_example_in_french_by_phone(live: LiveStack, poster: SignedPoster) -> None:
    earlier = before(live)
    phone = TwilioPhone(poster, caller=PIERRES_PHONE, to=FRENCH_NUMBER)
    heard: list[str] = []

    def hear() -> str:
        words = " ".join(phone.step.said)
        heard.append(words)
        assert phone.step.listening or phone.step.hangup, words
        return words

    phone.dial()
    greeting = hear()
    phone.say("69002")
    checked = hear()
    phone.press("1")
    hear()
    phone.say("je voudrais des informations sur l'éclipse 3000")
    product = hear()
    phone.say("je vais prendre l'éclipse 3000 et la sacoche")
    confirmation = hear()
    phone.press("1")
    hear()
    phone.say("mon nouveau numéro est le 06 98 76 54 32")
    read_back = hear()
    phone.say("oui c'est bien ça")
    hear()
    phone.say("non merci c'est tout")
    hear()
    phone.press("5")
    hear()
    phone.end(duration=190)

    assert "code postal" in greeting.lower()
    assert "Pierre Moreau" in checked
    assert "euros" in product
    assert "euros" in confirmation
    assert "Dois-je l'enregistrer ?" in read_back
    assert phone.step.hangup
    assert_french(heard)
    assert primary_phone(live) == NEW_PHONE
    assert_the_crm_after(live, earlier, conversation_id=f"voice-{phone.call_sid}")
