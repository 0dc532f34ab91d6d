"""The SMS door in French: the keywords of every language, answers in the conversation's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from channels.conversations.rasa_client import BotMessage, Button
from channels.twilio import sms, sms_words
from channels.twilio.phone_text import sms_body
from channels.twilio.simulator import TwilioTexter
from channels.twilio.sms_words import EN, FR, WORDS, Keyword, keyword
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.twilio_fakes import ScriptedRasa

from .test_sms import PIERRE, STARTED, STOPPED, sms_consent

Uows = Callable[[], SqlAlchemyUnitOfWork]

# GSM 03.38: the basic set and its extension table (each extension character takes two).
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    "^{}\\[~]|€"
)
YES_NO = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every conversation speaks French, as the gateway's records would say."""

    async def french_language(source: object, conversation_id: str) -> str:
        return "fr"

    monkeypatch.setattr(sms, "conversation_language", french_language)


def test_every_language_has_its_words_and_gsm7_only() -> None:
    assert set(WORDS) == {"en", "fr"}
    for table in WORDS.values():
        for text in (
            table.opted_out_text("Lumen"),
            table.opted_in_text("Lumen"),
            table.help_text("Lumen"),
            table.apology,
            table.reply_with_number,
        ):
            assert set(text) - GSM7 == set(), text


@pytest.mark.parametrize(
    ("body", "asked"),
    [
        ("ARRÊT", Keyword.OPT_OUT),
        ("arrêt", Keyword.OPT_OUT),
        ("Arret", Keyword.OPT_OUT),
        ("Arrêt !", Keyword.OPT_OUT),  # French puts a space before "!"
        ("ARRE\u0302T", Keyword.OPT_OUT),  # the accent as a combining mark
        ("\uff21\uff32\uff32\uff25\uff34", Keyword.OPT_OUT),  # full-width letters
        ("arret\u00a0.", Keyword.OPT_OUT),
        ("AIDE", Keyword.HELP),
        ("aide.", Keyword.HELP),
        ("STOP", Keyword.OPT_OUT),
        ("start", Keyword.OPT_IN),
        ("help", Keyword.HELP),
    ],
)
def test_a_keyword_of_any_language_is_read(body: str, asked: Keyword) -> None:
    assert keyword(body) is asked


@pytest.mark.parametrize(
    "body",
    [
        "arrêtez la commande",
        "ARRÊTEZ",
        "aide moi",
        "A\u200bRRET",  # a zero-width space inside: not the word
        "ARRET" * 1000,
        "arrêt" + "!" * 5000 + "x",
        "\u0000ARRET\u0000",
        "",
        " . ! ",
        "é" * 20,
    ],
)
def test_what_is_not_only_a_keyword_is_not_one(body: str) -> None:
    assert keyword(body) is None


@pytest.mark.parametrize("word", ["ARRÊT", "arret", "Arrêt !"])
def test_a_french_stop_opts_out_and_answers_in_the_conversations_language(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa, uow_factory: Uows, word: str
) -> None:
    # The seam says English (the default) until the gateway knows the conversation's language.
    assert texter.send(word) == [STOPPED]

    assert scripted_rasa.received == []
    assert sms_consent(uow_factory)["number"] == [(PIERRE, "opt_out")]


@pytest.mark.usefixtures("french")
def test_in_a_french_conversation_stop_and_start_answer_in_french(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa, uow_factory: Uows
) -> None:
    assert texter.send("STOP") == [FR.opted_out_text("Lumen")]
    assert texter.send("bonjour ?") == []
    assert texter.send("START") == [FR.opted_in_text("Lumen")]
    assert scripted_rasa.received == []
    assert sms_consent(uow_factory)["number"] == [(PIERRE, "opt_in")]


@pytest.mark.usefixtures("french")
@pytest.mark.parametrize("word", ["AIDE", "aide", "HELP"])
def test_french_help_says_who_we_are_and_how_to_stop(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa, word: str
) -> None:
    (answer,) = texter.send(word)

    assert answer.startswith("Lumen : ")
    assert "Répondez ARRET pour ne plus recevoir de SMS" in answer
    assert answer == FR.help_text("Lumen")
    assert scripted_rasa.received == []


@pytest.mark.usefixtures("french")
def test_a_french_conversation_numbers_choices_in_french(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["bonjour"] = [{"text": "Êtes-vous Pierre Moreau ?", "buttons": YES_NO}]

    assert texter.send("bonjour") == [
        "Êtes-vous Pierre Moreau ?\n1. Oui\n2. Non\nRépondez par un numéro."
    ]


@pytest.mark.usefixtures("french")
def test_a_french_conversation_gets_the_french_apology(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.status = 500

    assert texter.send("bonjour") == [FR.apology]


@pytest.mark.usefixtures("french")
def test_the_customers_accents_reach_the_bot_as_written(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa
) -> None:
    texter.send("Je voudrais l'Éclipse 3000, ça coûte combien ?")

    assert scripted_rasa.messages == ["Je voudrais l'Éclipse 3000, ça coûte combien ?"]


def test_an_unknown_language_gets_the_default_words() -> None:
    assert sms_words.words("xx") is EN
    buttons = (Button(title="Yes", payload="/affirm"),)

    assert sms_body([BotMessage(text="Sure?", buttons=buttons)], language="xx").endswith(
        EN.reply_with_number
    )


def test_english_keeps_its_words() -> None:
    assert EN.opted_out_text("Lumen") == STOPPED
    assert EN.opted_in_text("Lumen") == STARTED
