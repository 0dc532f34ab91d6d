"""The SMS door: keywords before the bot, numbered choices, an apology when the bot cannot."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from channels.conversations.apology import CHAT as FALLBACK_TEXT
from channels.conversations.apology import SMS as APOLOGY
from channels.twilio.simulator import SignedPoster, TwilioTexter
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import TranscriptRow
from tests.channels.twilio_fakes import (
    ScriptedRasa,
)
from tests.factories import make_account

PIERRE = "+33612345678"


CONVERSATION = f"sms-{PIERRE}"


YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


Uows = Callable[[], SqlAlchemyUnitOfWork]


STOPPED = "You're unsubscribed from Lumen texts and won't get any more. Reply START to undo."


STARTED = "You're subscribed to Lumen texts again. Reply HELP for help, STOP to unsubscribe."


def sms_consent(uow_factory: Uows) -> dict[str, list[tuple[str, str]]]:
    """The SMS consents on the number and on its accounts."""
    with uow_factory() as uow:
        number = [(c.number, c.status) for c in uow.number_consents.list_by(channel="sms")]
        accounts = [
            (a.customer_number, c.status)
            for a in uow.accounts.find_by_phone(PIERRE)
            for c in a.consents
            if c.channel == ContactChannel.SMS
        ]
    return {"number": number, "accounts": accounts}


@pytest.fixture
def pierre(uow_factory: Uows) -> str:
    """Pierre Moreau's account, who agreed to marketing texts; its customer number."""
    with uow_factory() as uow:
        account = make_account(
            uow, customer_number="C-100001", consents={ContactChannel.SMS: ConsentStatus.OPT_IN}
        )
        uow.commit()
        return account.customer_number


def test_a_text_goes_to_the_bot_and_its_answer_comes_back_as_one_message(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["hello"] = [
        {"text": "Hello, welcome to Lumen."},
        {"text": "Are you *Pierre Moreau*?", "buttons": YES_NO},
    ]

    replies = texter.send("hello")

    assert scripted_rasa.received == [
        {
            "sender": CONVERSATION,
            "message": "hello",
            "metadata": {"language": "en", "channel": "sms", "caller_phone": PIERRE},
        }
    ]
    assert replies == [
        "Hello, welcome to Lumen.\nAre you Pierre Moreau?\n1. Yes\n2. No\nReply with a number."
    ]


def test_choices_the_bot_numbered_itself_are_not_numbered_twice(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["hello"] = [{"text": "Is that you? 1 Yes, 2 No", "buttons": YES_NO}]

    assert texter.send("hello") == ["Is that you? 1 Yes, 2 No"]


def test_a_digit_answers_the_numbered_choice_and_zero_asks_for_a_person(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.default = [{"text": "Shall I place the order?", "buttons": YES_NO}]
    texter.send("hello")

    texter.send("2")
    texter.send(" 1 ")
    texter.send("0")
    texter.send("69002")

    assert scripted_rasa.messages == ["hello", "/deny", "/affirm", "/request_human", "69002"]


@pytest.mark.parametrize("word", ["STOP", "stop", "Stop.", "unsubscribe", "STOPALL", "quit"])
def test_stop_opts_the_number_and_its_account_out_without_the_bot(
    texter: TwilioTexter,
    scripted_rasa: ScriptedRasa,
    uow_factory: Uows,
    transcript_rows: Callable[[], list[TranscriptRow]],
    pierre: str,
    word: str,
) -> None:
    assert texter.send(word) == [STOPPED]

    assert scripted_rasa.received == []
    assert sms_consent(uow_factory) == {
        "number": [(PIERRE, "opt_out")],
        "accounts": [(pierre, "opt_out")],
    }
    assert transcript_rows() == [
        (CONVERSATION, "sms", "customer", word, {}),
        (CONVERSATION, "sms", "system", STOPPED, {}),
    ]


def test_after_stop_the_number_gets_nothing_until_start(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa, uow_factory: Uows, pierre: str
) -> None:
    scripted_rasa.default = [{"text": "Hello!"}]
    texter.send("STOP")

    assert texter.send("hello?") == []
    assert texter.send("yes") == [STARTED]  # Twilio opts a number back in on YES too
    assert texter.send("hello?") == ["Hello!"]
    assert scripted_rasa.messages == ["hello?"]
    assert sms_consent(uow_factory) == {
        "number": [(PIERRE, "opt_in")],
        "accounts": [(pierre, "opt_in")],
    }


@pytest.mark.parametrize("word", ["START", "unstop"])
def test_start_undoes_stop(texter: TwilioTexter, uow_factory: Uows, pierre: str, word: str) -> None:
    texter.send("STOP")

    assert texter.send(word) == [STARTED]
    assert sms_consent(uow_factory)["number"] == [(PIERRE, "opt_in")]


def test_yes_from_a_number_that_did_not_opt_out_is_an_answer_to_the_bot(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa, uow_factory: Uows
) -> None:
    texter.send("yes")

    assert scripted_rasa.messages == ["yes"]
    assert sms_consent(uow_factory) == {"number": [], "accounts": []}


@pytest.mark.parametrize("word", ["HELP", "info"])
def test_help_says_who_we_are_and_how_to_stop(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa, word: str
) -> None:
    assert texter.send(word) == [
        "Lumen: our assistant answers about products, quotes and orders by text. "
        "Reply STOP to unsubscribe, START to subscribe again. Msg & data rates may apply."
    ]
    assert scripted_rasa.received == []


def test_a_sentence_with_a_keyword_in_it_is_for_the_bot(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa, uow_factory: Uows
) -> None:
    texter.send("please stop the order")

    assert scripted_rasa.messages == ["please stop the order"]
    assert sms_consent(uow_factory) == {"number": [], "accounts": []}


@pytest.mark.parametrize("failure", ["rasa error", "action server down", "rasa too slow"])
def test_when_the_bot_cannot_answer_the_text_is_an_apology(
    texter: TwilioTexter,
    scripted_rasa: ScriptedRasa,
    transcript_rows: Callable[[], list[TranscriptRow]],
    failure: str,
) -> None:
    if failure == "rasa error":
        scripted_rasa.status = 500
    elif failure == "action server down":
        scripted_rasa.actions_up = False
    else:
        scripted_rasa.delay = 30.0  # the budget is 3 s

    started = time.monotonic()
    replies = texter.send("hello", message_sid="SM" + "4" * 32)

    # Not a speed test: the answer came without waiting out a bot that takes 30 s.
    assert time.monotonic() - started < 10
    assert replies == [APOLOGY]
    why = "(no answer in time)" if failure == "rasa too slow" else FALLBACK_TEXT
    assert transcript_rows() == [
        (CONVERSATION, "sms", "customer", "hello", {}),
        (CONVERSATION, "sms", "system", why, {}),
    ]
    # Twilio's retry gets the same apology without asking the bot again.
    scripted_rasa.status, scripted_rasa.delay, scripted_rasa.actions_up = 200, 0.0, True
    asked = len(scripted_rasa.received)
    assert texter.send("hello", message_sid="SM" + "4" * 32) == [APOLOGY]
    assert len(scripted_rasa.received) == asked


def test_a_text_without_its_ids_is_refused(signed_poster: SignedPoster) -> None:
    response = signed_poster.post("/twilio/sms", {"From": PIERRE, "Body": "hello"})

    assert response.status_code == 400
