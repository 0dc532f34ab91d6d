"""Customer satisfaction (CSAT) on the real stack: asked after the goodbye on every door.

The web chat through the chat API, SMS and the phone as Twilio calls them
(signed requests, TwiML followed verb by verb); the answer is read in the CRM.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from channels.twilio.simulator import SignedPoster, TwilioPhone, TwilioTexter
from crm_backend.models import Interaction

from .conftest import TWILIO_AUTH_TOKEN, Chat, LiveStack
from .test_handoff_desk import desk_client, staff  # noqa: F401 - staff is a fixture

# Numbers no seeded account holds, so no identification question comes first.
TEXTER = "+33655501234"
CALLER = "+33655505678"


@pytest.fixture
def poster(live: LiveStack) -> Iterator[SignedPoster]:
    with httpx.Client(timeout=30) as client:
        yield SignedPoster(client, public_url=live.url, auth_token=TWILIO_AUTH_TOKEN)


def satisfaction_of(live: LiveStack, conversation_id: str) -> list[tuple[object, ...]]:
    """(asked, score, comment, channel) of the conversation's interactions."""
    with live.sessions() as session:
        found = session.scalars(
            select(Interaction).where(Interaction.conversation_id == conversation_id)
        ).all()
        return [
            (
                i.satisfaction_asked_at is not None,
                i.satisfaction_score,
                i.satisfaction_comment,
                i.channel,
            )
            for i in found
        ]


def test_the_web_chat_asks_once_after_goodbye_and_keeps_score_and_comment(
    live: LiveStack,
) -> None:
    with Chat(live.url) as chat:
        chat.say("what can you do?")
        bye = chat.say("goodbye")
        answered = chat.say("4, quick answers")
        again = chat.say("bye")

    assert "Goodbye" in bye
    assert "from 1 (very poor) to 5 (excellent)" in bye
    assert "Thank you for your feedback" in answered
    assert "from 1" not in again  # asked once per conversation
    assert satisfaction_of(live, f"web-{chat.conversation_id}") == [
        (True, 4, "quick answers", "web")
    ]


def test_a_new_request_instead_of_a_score_is_served_not_asked_again(live: LiveStack) -> None:
    with Chat(live.url) as chat:
        chat.say("what can you do?")
        bye = chat.say("bye")
        taken_up = chat.say("oh wait actually where is my order?")
        chat.say("My email is pierre.moreau@example.fr")
        chat.say("69002")
        orders = chat.say("Yes")

    assert "from 1 (very poor) to 5 (excellent)" in bye
    assert "score" not in taken_up
    assert "find your account" in taken_up
    assert re.search(r"SO-\d{6}", orders), orders
    with live.sessions() as session:
        found = session.scalars(
            select(Interaction)
            .where(Interaction.conversation_id == f"web-{chat.conversation_id}")
            .order_by(Interaction.id)
        ).all()
        # The survey was asked and got no score; the request was served in a contact of its own.
        first = found[0]
        assert (first.satisfaction_asked_at is not None, first.satisfaction_score) == (True, None)
        assert found[-1].account_id is not None


def test_an_sms_answer_is_read_and_kept(live: LiveStack, poster: SignedPoster) -> None:
    texter = TwilioTexter(poster, sender=TEXTER)

    texter.send("what can you do?")
    bye = " ".join(texter.send("bye"))
    answered = " ".join(texter.send("meh"))  # no clear score: asked once more
    kept = " ".join(texter.send("five"))

    assert "Text the number" in bye
    assert "Which number from 1 (very poor) to 5 (excellent) is closest?" in answered
    assert "Thank you for your feedback" in kept
    assert satisfaction_of(live, f"sms-{TEXTER}") == [(True, 5, None, "sms")]


def test_the_phone_asks_for_one_key_and_hangs_up_after_it(
    live: LiveStack, poster: SignedPoster
) -> None:
    phone = TwilioPhone(poster, caller=CALLER)
    phone.dial()

    asked = phone.say("goodbye")

    assert asked.listening
    assert asked.num_digits == 1
    assert "Press a key from 1 to 5" in " ".join(asked.said)
    ended = phone.press("2")

    assert ended.hangup  # the call ends after the key
    phone.end(duration=40)
    assert satisfaction_of(live, f"voice-{phone.call_sid}") == [(True, 2, None, "voice")]


def test_the_phone_hangs_up_when_no_key_comes(live: LiveStack, poster: SignedPoster) -> None:
    phone = TwilioPhone(poster, caller=CALLER)
    phone.dial()
    phone.say("goodbye")

    silent = phone.stay_silent()

    assert silent.hangup
    assert silent.said == ["Thank you for calling. Goodbye."]
    phone.end(duration=30)
    assert satisfaction_of(live, f"voice-{phone.call_sid}") == [(True, None, None, "voice")]


def test_after_an_agent_closes_a_chat_the_bot_asks_and_keeps_the_answer(
    live: LiveStack,
    staff: dict[str, str],  # noqa: F811 - the fixture imported above
) -> None:
    anna = desk_client(live, "e2e-anna")
    with Chat(live.url) as chat:
        chat.say("I'd like to speak with someone")
        page = anna.get("/desk").text
        [handoff_id] = re.findall(r'data-id="(\d+)" data-status="waiting"', page)[-1:]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        anna.post(f"/desk/handoffs/{handoff_id}/take", data={"csrf_token": token.group(1)})
        events = f"/api/conversations/{chat.conversation_id}/events"
        cursor = chat.client.get(events).json()["cursor"]
        closed = anna.post(
            f"/desk/handoffs/{handoff_id}/finish",
            data={"csrf_token": token.group(1), "action": "close", "wrap_up_code": "resolved"},
        )
        feed = chat.client.get(events, params={"after": cursor}).json()
        answered = chat.say("5 thanks Anna")
    anna.close()

    assert closed.headers["location"] == "/desk?notice=closed"
    pushed = [e["text"] for e in feed["events"]]
    assert any("from 1 (very poor) to 5 (excellent)" in text for text in pushed), pushed
    assert "Thank you for your feedback" in answered
    assert satisfaction_of(live, f"web-{chat.conversation_id}") == [(True, 5, "thanks Anna", "web")]
