"""The ConversationRelay socket: the bot's turns over it, said sentence by sentence.

The gateway runs alone on a :class:`ScriptedRasa`; Twilio's side of the
call is :class:`~channels.twilio.relay_simulator.TwilioRelayCall`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from channels.twilio import relay_keys, relay_session
from channels.twilio.phone_words import EN
from channels.twilio.relay_simulator import TwilioRelayCall
from tests.channels.conftest import TranscriptRow
from tests.channels.twilio.conftest import PIERRE
from tests.channels.twilio_fakes import ScriptedRasa

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
AGENTS = "+33100000000"
GOODBYE = "Thank you for calling. Goodbye!"
QUESTION = "Before you go, how would you rate this call? Press a key from 1 to 5."


def test_the_bot_greets_the_caller_known_by_number_sentence_by_sentence(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [
        {"text": "Hello, welcome to **Lumen**! Am I speaking with Pierre Moreau?"},
        {"text": "Please confirm.", "buttons": YES_NO},
    ]

    tokens = relay_call.connect()

    assert scripted_rasa.received == [
        {
            "sender": f"voice-{relay_call.call_sid}",
            "message": "/greet",
            "metadata": {"language": "en", "channel": "voice", "caller_phone": PIERRE},
        }
    ]
    assert tokens == [
        "Hello, welcome to Lumen! ",
        "Am I speaking with Pierre Moreau? ",
        "Please confirm. ",
        "Say Yes or press 1, say No or press 2.",
    ]
    texts = [m for m in relay_call.received if m["type"] == "text"]
    assert [(m["last"], m["interruptible"]) for m in texts] == [
        (False, True),
        (False, True),
        (False, True),
        (True, True),
    ]


def test_a_final_prompt_is_one_turn_and_partial_ones_are_not(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["Tell me about the Éclipse 3000."] = [
        {"text": "The Éclipse 3000 is a laptop. It costs 1,299.00 euros."}
    ]
    relay_call.connect()

    relay_call._send({"type": "prompt", "voicePrompt": "Tell me", "lang": "en-GB", "last": False})
    tokens = relay_call.say("Tell me about the Éclipse 3000.")

    assert tokens == ["The Éclipse 3000 is a laptop. ", "It costs 1,299.00 euros."]
    assert scripted_rasa.messages == ["/greet", "Tell me about the Éclipse 3000."]
    assert scripted_rasa.received[-1]["metadata"] == {
        "language": "en",
        "channel": "voice",
        "caller_phone": PIERRE,
    }


@pytest.mark.parametrize("relay_speech_rate", [35.0])
def test_an_interruption_drops_the_rest_of_the_reply_and_the_transcript_says_what_was_heard(
    relay_call: TwilioRelayCall,
    scripted_rasa: ScriptedRasa,
    transcript_rows: Callable[[], list[TranscriptRow]],
) -> None:
    scripted_rasa.answers["/greet"] = [{"text": "Hi."}]
    long = (
        "The Éclipse 3000 is our lightest laptop, with a fourteen inch screen. "
        "It has sixteen gigabytes of memory and a one terabyte drive. "
        "Its battery lasts about eighteen hours."
    )
    scripted_rasa.answers["tell me about the eclipse"] = [{"text": long}]
    scripted_rasa.answers["how much is it"] = [{"text": "It costs 1,299 euros."}]
    relay_call.connect()

    relay_call.prompt("tell me about the eclipse")
    heard = relay_call.interrupt_after(1)
    # Unheard, the second sentence would come 1 s after the first (2 s to say, 1 s ahead).
    late = relay_call.quiet(1.5)
    after = relay_call.say("how much is it")

    assert heard == ["The Éclipse 3000 is our lightest laptop, with a fourteen inch screen. "]
    assert late == []
    assert after == ["It costs 1,299 euros."]
    rows: list[TranscriptRow] = transcript_rows()
    conversation = f"voice-{relay_call.call_sid}"
    assert [(r[2], r[3]) for r in rows if r[0] == conversation] == [
        ("customer", "/greet"),
        ("bot", "Hi."),
        ("customer", "tell me about the eclipse"),
        ("bot", long),
        (
            "system",
            "The caller cut in after hearing: "
            "“The Éclipse 3000 is our lightest laptop, with a fourteen inch screen.”",
        ),
        ("customer", "how much is it"),
        ("bot", "It costs 1,299 euros."),
    ]


@pytest.mark.parametrize("relay_speech_rate", [35.0])
def test_a_new_prompt_during_a_reply_drops_the_rest_of_it(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [
        {
            "text": "Hello and welcome to Lumen, the shop for laptops, monitors, printers and "
            "phones. How can I help you today?"
        }
    ]
    scripted_rasa.answers["my order"] = [{"text": "Which order?"}]
    relay_call.dial()
    relay_call.open()
    first = relay_call._next(5)  # the first sentence; the second waits until it is heard

    after = relay_call.say("my order")
    late = relay_call.quiet(1.5)

    assert first is not None
    assert first["token"] == (
        "Hello and welcome to Lumen, the shop for laptops, monitors, printers and phones. "
    )
    assert after == ["Which order?"]
    assert late == []


def test_one_key_answers_a_choice_and_zero_asks_for_a_person(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.default = [{"text": "Shall I place the order?", "buttons": YES_NO}]
    relay_call.connect()

    relay_call.press("2")
    relay_call.press("1")
    relay_call.press("0")

    assert scripted_rasa.messages == ["/greet", "/deny", "/affirm", "/request_human"]


def test_keys_without_choices_add_up_until_hash_or_a_pause(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relay_keys, "PAUSE", 0.2)
    scripted_rasa.default = [{"text": "What is your postcode?"}]
    relay_call.connect()

    relay_call.press("69002#")
    relay_call.press("12*4")  # * starts again
    relay_call.press("100001")  # no #: the pause ends it

    assert scripted_rasa.messages == ["/greet", "69002", "4", "100001"]


def test_six_keys_when_the_bot_asked_who_is_calling_are_the_customer_number(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.requested_slot = "identity_key"
    scripted_rasa.default = [{"text": "What is your customer number?"}]
    relay_call.connect()

    relay_call.press("100001#")
    relay_call.say("six nine zero zero two")

    assert scripted_rasa.messages == ["/greet", "C-100001", "69002"]


def test_a_goodbye_ends_the_session_and_the_action_hangs_up(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["no that's all"] = [{"text": GOODBYE}]
    scripted_rasa.closing = {"no that's all"}
    relay_call.connect()

    tokens = relay_call.say("no that's all")

    assert tokens == ["Thank you for calling. ", "Goodbye!"]
    relay_call.hear()  # the end follows what was said
    assert relay_call.received[-1] == {"type": "end", "handoffData": '{"reason": "goodbye"}'}
    assert relay_call.handoff_data == {"reason": "goodbye"}
    assert relay_call.after is not None
    assert relay_call.after.hangup
    assert relay_call.after.dialled is None


def test_the_satisfaction_question_takes_one_key_then_the_call_ends(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["bye"] = [{"text": GOODBYE}, {"text": QUESTION}]
    scripted_rasa.answers["4"] = [{"text": "Thank you for your feedback. Goodbye!"}]
    scripted_rasa.closing = {"bye", "4"}
    scripted_rasa.requested_slot = "satisfaction_answer"
    relay_call.connect()

    asked = relay_call.say("bye")
    assert not relay_call.ended
    scripted_rasa.requested_slot = None
    thanks = relay_call.press("4")
    relay_call.hear()

    assert "".join(asked).endswith("Press a key from 1 to 5.")
    assert thanks == ["Thank you for your feedback. ", "Goodbye!"]
    assert scripted_rasa.messages == ["/greet", "bye", "4"]
    assert relay_call.handoff_data == {"reason": "goodbye"}


def test_silence_after_the_satisfaction_question_ends_the_call(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relay_session, "SURVEY_WAIT", 0.1)
    scripted_rasa.answers["bye"] = [{"text": GOODBYE}, {"text": QUESTION}]
    scripted_rasa.closing = {"bye"}
    scripted_rasa.requested_slot = "satisfaction_answer"
    relay_call.connect()
    relay_call.say("bye")

    timeout = relay_call.hear()
    relay_call.hear()

    assert timeout == ["Thank you for calling. ", "Goodbye."]
    assert relay_call.handoff_data == {"reason": "goodbye"}
    assert scripted_rasa.messages == ["/greet", "bye"]


HANDED_OFF = [
    {"text": "I'm passing you to an adviser."},
    {"custom": {"handoff": {"reason": "requested"}}},
]


@pytest.mark.parametrize("relay_fallback", [AGENTS])
def test_a_handoff_says_the_bots_lines_then_the_action_dials_the_agents(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/request_human"] = HANDED_OFF
    relay_call.connect()

    tokens = relay_call.press("0#")  # no choices offered: keys end with #
    relay_call.hear()

    assert tokens == ["I'm passing you to an adviser."]
    assert relay_call.handoff_data == {"reason": "handoff"}
    assert relay_call.after is not None
    assert relay_call.after.dialled == AGENTS


def test_a_handoff_without_an_agents_line_says_an_adviser_will_call_back(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["a person please"] = HANDED_OFF
    relay_call.connect()

    tokens = relay_call.say("a person please")
    relay_call.hear()

    assert "".join(tokens) == f"I'm passing you to an adviser. {EN.no_agent_line}"
    assert relay_call.after is not None
    assert relay_call.after.hangup


@pytest.mark.parametrize(
    ("relay_fallback", "words"), [(AGENTS, EN.put_through), (None, EN.call_again)]
)
def test_when_rasa_is_down_the_caller_hears_the_apology_then_the_session_ends(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa, relay_fallback: str | None, words: str
) -> None:
    scripted_rasa.status = 503

    tokens = relay_call.connect()
    relay_call.hear()

    assert "".join(tokens) == words
    assert relay_call.handoff_data == {"reason": "failed"}
    assert relay_call.after is not None
    assert relay_call.after.dialled == relay_fallback
    assert relay_call.after.hangup is (relay_fallback is None)


OUI_NON = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]


@pytest.mark.parametrize(
    "relay_rasa_servers", [{"en": ("http://rasa.test",), "fr": ("http://rasa-fr.test",)}]
)
def test_when_the_caller_asks_for_french_twilio_is_told_before_the_french_answer(
    relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["In French please."] = [
        {"text": "Bien sûr. Le total est de 1 358,00 €.", "buttons": OUI_NON}
    ]
    relay_call.connect()

    tokens = relay_call.say("In French please.")

    switch = relay_call.received[-len(tokens) - 1]
    assert switch == {"type": "language", "ttsLanguage": "fr-FR", "transcriptionLanguage": "fr-FR"}
    assert tokens == [
        "Bien sûr. ",
        "Le total est de 1358 euros. ",
        "Appuyez sur 1 pour Oui, appuyez sur 2 pour Non.",
    ]
