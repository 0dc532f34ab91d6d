"""The phone door: signed Twilio voice webhooks in, TwiML out; the gateway alone on a fake Rasa."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from channels.twilio.simulator import SignedPoster, TwilioPhone
from crm_backend.services import conversation
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.channels.conftest import TranscriptRow
from tests.channels.twilio_fakes import (
    PUBLIC_URL,
    ScriptedRasa,
    texts,
    twiml,
)
from tests.factories import make_product

PIERRE = "+33612345678"


YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


GATHER_URL = f"{PUBLIC_URL}/twilio/voice/gather"


Uows = Callable[[], SqlAlchemyUnitOfWork]


def document(phone: TwilioPhone) -> ET.Element:
    """The TwiML of the phone's latest request."""
    return twiml(phone.responses[-1])


def test_a_call_greets_the_caller_known_by_number_and_listens(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [
        {"text": "Hello, welcome to Lumen."},
        {"text": "Am I speaking with Pierre Moreau?", "buttons": YES_NO},
    ]

    phone.dial()

    assert scripted_rasa.received == [
        {
            "sender": f"voice-{phone.call_sid}",
            "message": "/greet",
            "metadata": {"language": "en", "channel": "voice", "caller_phone": PIERRE},
        }
    ]
    root = document(phone)
    assert root.tag == "Response"
    assert [child.tag for child in root] == ["Gather"]
    gather = root[0]
    assert {k: v for k, v in gather.attrib.items() if k != "hints"} == {
        "input": "speech dtmf",
        "action": f"{GATHER_URL}?turn=1&silence=0",
        "method": "POST",
        "speechTimeout": "auto",
        "language": "en-GB",
        "speechModel": "phone_call",
        "enhanced": "true",
        "numDigits": "1",
        "actionOnEmptyResult": "true",
    }
    assert [(say.tag, say.attrib, say.text) for say in gather] == [
        ("Say", {"voice": "Polly.Amy", "language": "en-GB"}, "Hello, welcome to Lumen."),
        ("Say", {"voice": "Polly.Amy", "language": "en-GB"}, "Am I speaking with Pierre Moreau?"),
        (
            "Say",
            {"voice": "Polly.Amy", "language": "en-GB"},
            "Say Yes or press 1, say No or press 2.",
        ),
    ]
    assert not list(root.iter("Pause"))


def test_speech_hints_hold_the_choices_the_question_and_the_catalog(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa, uow_factory: Uows
) -> None:
    with uow_factory() as uow:
        make_product(uow, sku="ECL-3000", name="Éclipse 3000")
        uow.commit()
    scripted_rasa.requested_slot = "order_confirmed"
    scripted_rasa.answers["/greet"] = [{"text": "Shall I place the order?", "buttons": YES_NO}]

    phone.dial()

    hints = document(phone).find("Gather").get("hints").split(", ")  # type: ignore[union-attr]
    assert hints == [
        "Yes",
        "No",
        "yes",
        "no",
        "place the order",
        "cancel",
        "Éclipse 3000",
        "eclipse 3000",
    ]


def test_a_keypad_digit_answers_the_choice_it_was_given_and_zero_asks_for_a_person(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.default = [{"text": "Shall I place the order?", "buttons": YES_NO}]
    phone.dial()

    phone.press("2")
    phone.press("1")
    phone.press("0")
    phone.press("69002")

    assert scripted_rasa.messages == ["/greet", "/deny", "/affirm", "/request_human", "69002"]


def test_digits_without_choices_are_the_digits(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.default = [{"text": "What is your postcode?"}]
    phone.dial()

    phone.press("1")

    assert scripted_rasa.messages == ["/greet", "1"]
    gather = document(phone).find("Gather")
    assert gather is not None
    assert "numDigits" not in gather.attrib


def test_speech_goes_to_the_bot_as_said_with_the_trusted_caller_number(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    phone.dial()

    phone.say("Tell me about the Éclipse 3000")

    assert scripted_rasa.received[-1] == {
        "sender": f"voice-{phone.call_sid}",
        "message": "Tell me about the Éclipse 3000",
        "metadata": {"language": "en", "channel": "voice", "caller_phone": PIERRE},
    }


def test_a_withheld_number_is_not_sent_as_the_caller(
    signed_poster: SignedPoster, scripted_rasa: ScriptedRasa
) -> None:
    TwilioPhone(signed_poster, caller="anonymous").dial()

    assert scripted_rasa.received[0]["metadata"] == {"channel": "voice", "language": "en"}


def test_silence_repeats_the_question_once_then_the_call_ends_politely(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [
        {"text": "Am I speaking with Pierre Moreau?", "buttons": YES_NO}
    ]
    phone.dial()

    phone.stay_silent()

    root = document(phone)
    assert root[0].tag == "Gather"
    assert root[0].get("action") == f"{GATHER_URL}?turn=1&silence=1"
    assert root[0].get("numDigits") == "1"
    assert texts(root, "Say") == [
        "Sorry, I didn't hear anything.",
        "Am I speaking with Pierre Moreau?",
        "Say Yes or press 1, say No or press 2.",
        "You can also press 0 to talk to a person.",
    ]

    phone.stay_silent()

    root = document(phone)
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert texts(root, "Say") == ["I still can't hear you, so I'll end this call. Goodbye."]
    assert scripted_rasa.messages == ["/greet"]


def test_an_answer_after_a_silence_starts_the_count_again(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    phone.dial()
    phone.stay_silent()

    phone.say("yes")

    assert document(phone)[0].get("action") == f"{GATHER_URL}?turn=2&silence=0"


@pytest.mark.parametrize("rasa_tells", [True, False], ids=["from-the-answer", "from-the-tracker"])
def test_the_goodbye_ends_the_call_with_hangup(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa, rasa_tells: bool
) -> None:
    """Rasa's answer says the bot closed the conversation; a Rasa that does not say so
    (without bot/gateway_channel.py's dialogue state) is asked for its tracker."""
    scripted_rasa.tells_dialogue_state = rasa_tells
    scripted_rasa.answers["bye"] = [{"text": "Thank you for calling. Goodbye!"}]
    scripted_rasa.closing = {"bye"}
    phone.dial()

    step = phone.say("bye")

    root = document(phone)
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert texts(root, "Say") == ["Thank you for calling. Goodbye!"]
    assert step.hangup
    assert scripted_rasa.tracker_requests == (0 if rasa_tells else 2)


def test_the_status_callback_gives_the_closed_interaction_its_duration(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa, uow_factory: Uows
) -> None:
    phone.dial()
    with uow_factory() as uow:  # what the action server does at session start and goodbye
        opened = conversation.start_interaction(
            uow, channel="voice", conversation_id=f"voice-{phone.call_sid}"
        )
        conversation.end_interaction(uow, interaction_id=opened.id, outcome="order_placed")
        uow.commit()

    response = phone.end("completed", duration=187)

    assert [child.tag for child in twiml(response)] == []
    with uow_factory() as uow:
        found = uow.interactions.list_by(conversation_id=f"voice-{phone.call_sid}")
        assert [(i.channel, i.outcome, i.duration_seconds) for i in found] == [
            ("voice", "order_placed", 187)
        ]


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("completed", "call_ended"), ("no-answer", "no_answer"), ("busy", "busy")],
)
def test_a_call_the_bot_never_closed_is_closed_by_its_status(
    phone: TwilioPhone, uow_factory: Uows, status: str, outcome: str
) -> None:
    phone.end(status, duration=0 if status != "completed" else 12)

    with uow_factory() as uow:
        found = uow.interactions.list_by(conversation_id=f"voice-{phone.call_sid}")
        assert [(i.channel, i.direction, i.outcome, i.ended_at is not None) for i in found] == [
            ("voice", "inbound", outcome, True)
        ]


def test_progress_statuses_record_nothing(phone: TwilioPhone, uow_factory: Uows) -> None:
    phone.end("in-progress", duration=3)

    with uow_factory() as uow:
        assert uow.interactions.count() == 0


def test_a_request_without_a_call_id_is_refused(signed_poster: SignedPoster) -> None:
    response = signed_poster.post("/twilio/voice", {"From": PIERRE, "To": "+33900000000"})

    assert response.status_code == 400


def test_the_reference_example_as_a_phone_call(
    phone: TwilioPhone,
    scripted_rasa: ScriptedRasa,
    uow_factory: Uows,
    transcript_rows: Callable[[], list[TranscriptRow]],
) -> None:
    """PROCESSES.md's call, on the gateway's side: what the bot hears and what the caller hears.

    The bot's words are scripted here; tests/e2e runs the same call on the real Rasa.
    """
    scripted_rasa.answers = {
        "/greet": [
            {"text": "Hello, welcome to Lumen."},
            {"text": "Am I speaking with Pierre Moreau?", "buttons": YES_NO},
        ],
        "/affirm": [{"text": "Thank you, Pierre. What can I do for you?"}],
        "Tell me about the Éclipse 3000": [
            {"text": "The Éclipse 3000 has an Intel Core i7 and 16 gigabytes of memory."},
            {"text": "It goes well with the Éclipse Laptop Bag and a spare battery."},
        ],
        "I'd like to order the Éclipse 3000 and the laptop bag": [
            {
                "text": "One Éclipse 3000 and one bag, 1,358 euros. Shall I place the order?",
                "buttons": YES_NO,
            }
        ],
        "My new phone number is +33698765432": [
            {"text": "Your phone number is now +33 6 98 76 54 32. Anything else?"}
        ],
        "No, that's all": [{"text": "Thank you for your order, Pierre. Goodbye!"}],
    }
    scripted_rasa.closing = {"No, that's all"}

    phone.dial()
    phone.press("1")  # "Am I speaking with Pierre Moreau?"
    phone.say("Tell me about the Éclipse 3000")
    phone.say("I'd like to order the Éclipse 3000 and the laptop bag")
    phone.press("1")  # "Shall I place the order?"
    phone.say("My new phone number is +33698765432")
    last = phone.say("No, that's all")
    phone.end("completed", duration=214)

    assert scripted_rasa.messages == [
        "/greet",
        "/affirm",
        "Tell me about the Éclipse 3000",
        "I'd like to order the Éclipse 3000 and the laptop bag",
        "/affirm",
        "My new phone number is +33698765432",
        "No, that's all",
    ]
    assert {body["metadata"]["caller_phone"] for body in scripted_rasa.received} == {PIERRE}
    assert last.said == ["Thank you for your order, Pierre. Goodbye!"]
    assert last.hangup
    assert [(row[2], row[3]) for row in transcript_rows() if row[2] == "customer"] == [
        ("customer", text) for text in scripted_rasa.messages
    ]
    with uow_factory() as uow:
        call = uow.interactions.list_by(conversation_id=f"voice-{phone.call_sid}")
        assert [(i.channel, i.duration_seconds, i.ended_at is not None) for i in call] == [
            ("voice", 214, True)
        ]


@pytest.mark.parametrize(
    ("verstat", "sent"),
    [
        ("TN-Validation-Passed-A", {"stir_verstat": "TN-Validation-Passed-A"}),
        ("No-TN-Validation", {"stir_verstat": "No-TN-Validation"}),
        ("", {}),
        ("x" * 65, {}),  # no carrier's verdict is that long
        ("<script>", {}),
    ],
)
def test_the_carriers_stir_verstat_goes_to_the_bot_with_the_caller(
    signed_poster: SignedPoster, scripted_rasa: ScriptedRasa, verstat: str, sent: dict[str, str]
) -> None:
    call = {
        "AccountSid": "AC" + "0" * 32,
        "CallSid": "CA" + "7" * 32,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "From": PIERRE,
        "To": "+33900000000",
        "StirVerstat": verstat,
    }

    twiml(signed_poster.post("/twilio/voice", call))

    assert [body["metadata"] for body in scripted_rasa.received] == [
        {"channel": "voice", "caller_phone": PIERRE, "language": "en", **sent}
    ]


@pytest.mark.parametrize("sid", ["\x08", "CA\x00", "CA/../../status", "", "C" * 65])
def test_a_call_id_that_is_no_twilio_id_is_refused_before_the_bot(
    signed_poster: SignedPoster, scripted_rasa: ScriptedRasa, sid: str
) -> None:
    # Found by make fuzz: a signed CallSid with a control character reached Rasa's URL (500).
    form = {"CallSid": sid, "From": "+33612345678", "To": "+33400000000", "Direction": "inbound"}

    answer = signed_poster.post("/twilio/voice/gather?turn=1", form)

    assert answer.status_code == 400
    assert answer.json() == {"detail": "CallSid is missing or not a Twilio call id"}
    assert (scripted_rasa.received, scripted_rasa.tracker_requests) == ([], 0)
