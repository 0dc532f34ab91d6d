"""The phone door in French: voice, recogniser, the door's own lines and the choices."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from channels.settings import GatewaySettings, TwilioSettings
from channels.twilio import phone_words, voice
from channels.twilio.phone_words import EN, FR, WORDS
from channels.twilio.simulator import SignedPoster, TwilioPhone
from tests.channels.twilio_fakes import ScriptedRasa, texts, twiml

OUI_NON = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
LEA = {"voice": "Polly.Lea", "language": "fr-FR"}


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every conversation speaks French, as the gateway's records would say."""

    async def french_language(source: object, conversation_id: str) -> str:
        return "fr"

    monkeypatch.setattr(voice, "conversation_language", french_language)


def test_every_language_has_every_line() -> None:
    assert set(WORDS) == {"en", "fr"}
    for table in WORDS.values():
        assert all(vars(table).values())
        assert set(table.question_hints) == set(EN.question_hints)
        assert table.choice.format(title="T", digit=1) != table.choice


def test_the_voices_come_from_the_settings() -> None:
    defaults = TwilioSettings.from_env({})
    chosen = TwilioSettings.from_env(
        {"ICBOT_VOICE_FR": "Polly.Celine", "ICBOT_VOICE_LANGUAGE_FR": "fr-CA"}
    )

    assert phone_words.voice(defaults, "fr") == ("Polly.Lea", "fr-FR")
    assert phone_words.voice(defaults, "en") == ("Polly.Amy", "en-GB")
    assert phone_words.voice(chosen, "fr") == ("Polly.Celine", "fr-CA")
    assert phone_words.voice(defaults, "xx") == ("Polly.Amy", "en-GB")


@pytest.mark.usefixtures("french")
def test_a_french_call_is_said_and_heard_in_french(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [
        {"text": "Bonjour, ici Lumen."},
        {"text": "Suis-je bien avec Pierre Moreau ?", "buttons": OUI_NON},
    ]

    phone.dial()

    root = twiml(phone.responses[-1])
    gather = root[0]
    assert (gather.tag, gather.get("language")) == ("Gather", "fr-FR")
    assert [(say.attrib, say.text) for say in gather] == [
        (LEA, "Bonjour, ici Lumen."),
        (LEA, "Suis-je bien avec Pierre Moreau ?"),
        (LEA, "Appuyez sur 1 pour Oui, appuyez sur 2 pour Non."),
    ]


FRENCH_NUMBER = "+33900000077"


class TestACallToOurFrenchNumber:
    """No conversation yet: the greeting's choices are said in the number's language."""

    @pytest.fixture
    def twilio_settings(self, twilio_settings: GatewaySettings) -> GatewaySettings:
        return replace(twilio_settings, number_languages={FRENCH_NUMBER: "fr"})

    def test_the_greeting_and_its_choices_are_french(
        self, signed_poster: SignedPoster, scripted_rasa: ScriptedRasa
    ) -> None:
        scripted_rasa.answers["/greet"] = [{"text": "Bonjour.", "buttons": OUI_NON}]
        phone = TwilioPhone(signed_poster, to=FRENCH_NUMBER)

        phone.dial()

        gather = twiml(phone.responses[-1])[0]
        assert gather.get("language") == "fr-FR"
        assert texts(gather, "Say") == [
            "Bonjour.",
            "Appuyez sur 1 pour Oui, appuyez sur 2 pour Non.",
        ]

    def test_our_other_numbers_still_greet_in_english(
        self, phone: TwilioPhone, scripted_rasa: ScriptedRasa
    ) -> None:
        scripted_rasa.answers["/greet"] = [{"text": "Hello.", "buttons": OUI_NON}]

        phone.dial()

        gather = twiml(phone.responses[-1])[0]
        assert gather.get("language") == "en-GB"
        assert texts(gather, "Say")[-1] == "Say Oui or press 1, say Non or press 2."


@pytest.mark.usefixtures("french")
def test_silence_is_answered_in_french_then_the_call_ends_in_french(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [{"text": "Oui ou non ?", "buttons": OUI_NON}]
    phone.dial()

    phone.stay_silent()

    assert texts(twiml(phone.responses[-1]), "Say") == [
        FR.not_heard,
        "Oui ou non ?",
        "Appuyez sur 1 pour Oui, appuyez sur 2 pour Non.",
        FR.person_hint,
    ]
    phone.stay_silent()
    assert texts(twiml(phone.responses[-1]), "Say") == [FR.goodbye_on_silence]


@pytest.mark.usefixtures("french")
def test_when_the_bot_is_down_a_french_caller_hears_the_french_apology(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.status = 500

    phone.dial()

    root = twiml(phone.responses[-1])
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert [(say.attrib, say.text) for say in root.iter("Say")] == [(LEA, FR.call_again)]


@pytest.mark.usefixtures("french")
def test_french_amounts_are_read_in_euros(phone: TwilioPhone, scripted_rasa: ScriptedRasa) -> None:
    scripted_rasa.answers["/greet"] = [
        {"text": "Le total est de 12\u202f990,00 € ; la sacoche coûte 49,90 €."}
    ]

    phone.dial()

    assert texts(twiml(phone.responses[-1]), "Say") == [
        "Le total est de 12990 euros ; la sacoche coûte 49 euros 90."
    ]


@pytest.mark.usefixtures("french")
def test_the_callers_french_words_reach_the_bot_as_said(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    phone.dial()

    phone.say("Je voudrais l'Éclipse 3000, ça coûte combien ?")

    assert scripted_rasa.messages[-1] == "Je voudrais l'Éclipse 3000, ça coûte combien ?"


def test_the_caller_cannot_choose_the_language(
    signed_poster: SignedPoster, scripted_rasa: ScriptedRasa
) -> None:
    """Only the conversation's language counts: a field or a query naming one is ignored."""
    fields = {
        "CallSid": "CA" + "7" * 32,
        "From": "+33612345678",
        "To": "+33900000000",
        "Direction": "inbound",
        "Language": "fr-FR",
        "language": "fr",
    }
    scripted_rasa.answers["/greet"] = [{"text": "Hello."}]

    response = signed_poster.post("/twilio/voice?language=fr", fields)

    assert response.status_code == 200
    root = twiml(response)
    assert root[0].get("language") == "en-GB"
    assert {say.get("voice") for say in root.iter("Say")} == {"Polly.Amy"}


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("1 299 €", "1299 euros"),
        ("1 €", "1 euro"),
        ("0,50 €", "0 euro 50"),
        ("12\u00a0990,5 €", "12990 euros 50"),
        ("1.299,00€", "1299 euros"),
        ("Il y a 12\u202f000 clients", "Il y a 12000 clients"),
        ("commande SO-2041, code 69002", "commande SO-2041, code 69002"),
        ("€€€ 12,,3 €", "€€€ 12,,3 euros"),
    ],
)
def test_french_speech_reads_amounts_and_big_numbers(text: str, spoken: str) -> None:
    assert phone_words.speakable(text, "fr") == spoken


def test_english_speech_is_left_as_it_is() -> None:
    assert phone_words.speakable("1 299 €", "en") == "1 299 €"


@pytest.mark.parametrize(
    "text",
    [
        ("1 " * 50_000) + "€" + "9" * 50_000,
        "9" * 100_000 + " x",
        "1\u202f000" * 20_000,
        "1 000" * 20_000 + "€",
    ],
)
def test_a_huge_french_text_is_read_at_once(text: str) -> None:
    started = time.monotonic()

    phone_words.speakable(text, "fr")

    # Not a speed test: a quadratic pattern takes minutes here, a linear one milliseconds.
    assert time.monotonic() - started < 2
