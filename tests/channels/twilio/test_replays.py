"""Twilio webhooks answered once: a retry or a replay gets the stored answer and the bot
runs once, on the phone and by SMS; a claim stuck on the database stays within the budget."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from channels.conversations.apology import SMS as APOLOGY
from channels.twilio.replays import Replies
from channels.twilio.simulator import SignedPoster, TwilioPhone, TwilioTexter, read_messages
from crm_backend.services import inbound_messages
from tests.channels.conftest import TranscriptRow
from tests.channels.twilio_fakes import (
    AUTH_TOKEN,
    PUBLIC_URL,
    ScriptedRasa,
    sign,
    twiml,
)

PIERRE = "+33612345678"


YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


GATHER_URL = f"{PUBLIC_URL}/twilio/voice/gather"


def replay(gateway: TestClient, original: httpx.Response) -> httpx.Response:
    """Post a signed request again, byte for byte, as an attacker who captured it would."""
    request = original.request
    return gateway.post(str(request.url), content=request.content, headers=dict(request.headers))


def test_a_replayed_call_or_answer_runs_the_bot_once_and_gets_the_same_twiml(
    twilio_gateway: TestClient, phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    scripted_rasa.answers["/greet"] = [{"text": "Am I speaking with Pierre Moreau?"}]
    scripted_rasa.answers["yes"] = [{"text": "What can I do for you?"}]
    phone.dial()
    phone.say("yes")
    called, answered = phone.responses
    scripted_rasa.answers = {"/greet": [{"text": "Hello again"}], "yes": [{"text": "Again"}]}

    replays = [replay(twilio_gateway, called), replay(twilio_gateway, answered)]

    assert [(r.status_code, r.text) for r in replays] == [
        (200, called.text),
        (200, answered.text),
    ]
    assert scripted_rasa.messages == ["/greet", "yes"]


def test_the_same_words_at_the_next_question_are_a_new_turn(
    phone: TwilioPhone, scripted_rasa: ScriptedRasa
) -> None:
    phone.dial()
    phone.say("yes")
    phone.stay_silent()

    phone.say("yes")

    assert scripted_rasa.messages == ["/greet", "yes", "yes"]


def test_on_a_gather_url_without_a_turn_twilios_retry_token_answers_once(
    twilio_gateway: TestClient, scripted_rasa: ScriptedRasa
) -> None:
    # A call that began before turns were counted: its gather URL has none.
    url = f"{GATHER_URL}?silence=0"
    answer = {
        "AccountSid": "AC" + "0" * 32,
        "CallSid": "CA" + "8" * 32,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "From": PIERRE,
        "To": "+33900000000",
        "SpeechResult": "yes",
    }
    poster = SignedPoster(twilio_gateway, public_url=PUBLIC_URL, auth_token=AUTH_TOKEN)

    def post(token: str) -> httpx.Response:
        twilio_gateway.headers["I-Twilio-Idempotency-Token"] = token
        try:
            return poster.post(url, answer)
        finally:
            del twilio_gateway.headers["I-Twilio-Idempotency-Token"]

    first, retried, next_answer = post("token-1"), post("token-1"), post("token-2")

    assert [twiml(r).tag for r in (first, retried, next_answer)] == ["Response"] * 3
    assert retried.text == first.text
    assert scripted_rasa.messages == ["yes", "yes"]


def test_a_retried_message_gets_the_same_answer_and_one_bot_turn(
    texter: TwilioTexter,
    scripted_rasa: ScriptedRasa,
    transcript_rows: Callable[[], list[TranscriptRow]],
) -> None:
    scripted_rasa.answers["hello"] = [{"text": "Hello!", "buttons": YES_NO}]

    first = texter.send("hello", message_sid="SM" + "1" * 32)
    scripted_rasa.answers["hello"] = [{"text": "A second, different answer"}]
    again = texter.send("hello", message_sid="SM" + "1" * 32)

    assert first == again == ["Hello!\n1. Yes\n2. No\nReply with a number."]
    assert scripted_rasa.messages == ["hello"]
    assert [row[2] for row in transcript_rows()] == ["customer", "bot"]


def test_a_retried_stop_is_answered_once_too(
    texter: TwilioTexter, transcript_rows: Callable[[], list[TranscriptRow]]
) -> None:
    sid = "SM" + "2" * 32

    assert texter.send("STOP", message_sid=sid) == texter.send("STOP", message_sid=sid)
    assert [row[2] for row in transcript_rows()] == ["customer", "system"]


async def test_two_identical_requests_at_once_run_the_bot_once(
    twilio_gateway: TestClient, scripted_rasa: ScriptedRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited: list[str] = []
    wait = Replies.wait_for_answer

    async def spy(replies: Replies, sid: str) -> list[str]:
        waited.append(sid)
        return await wait(replies, sid)

    monkeypatch.setattr(Replies, "wait_for_answer", spy)
    scripted_rasa.answers["hello"] = [{"text": "Hello!"}]
    scripted_rasa.delay = 0.5
    texter = TwilioTexter(
        SignedPoster(twilio_gateway, public_url=PUBLIC_URL, auth_token=AUTH_TOKEN), sender=PIERRE
    )
    fields = texter.fields("hello", message_sid="SM" + "3" * 32)
    headers = {"X-Twilio-Signature": sign(f"{PUBLIC_URL}/twilio/sms", fields)}
    transport = httpx.ASGITransport(app=twilio_gateway.app)  # type: ignore[arg-type]

    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        answers = await asyncio.gather(
            *(client.post("/twilio/sms", data=fields, headers=headers) for _ in range(2))
        )

    assert [twiml(a).tag for a in answers] == ["Response", "Response"]
    assert [read_messages(a.text) for a in answers] == [["Hello!"], ["Hello!"]]
    assert scripted_rasa.messages == ["hello"]
    assert waited == ["SM" + "3" * 32]  # the second waited for the first's answer


def test_a_claim_stuck_on_the_database_is_inside_the_budget_and_gets_the_apology(
    texter: TwilioTexter, scripted_rasa: ScriptedRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = threading.Event()
    claim = inbound_messages.claim_message

    def stuck_claim(*args: Any, **kwargs: Any) -> inbound_messages.Claim:
        released.wait(timeout=8)  # another process holds the database's lock
        return claim(*args, **kwargs)

    monkeypatch.setattr(inbound_messages, "claim_message", stuck_claim)
    scripted_rasa.answers["hello"] = [{"text": "Hello!"}]

    started = time.monotonic()
    try:
        replies = texter.send("hello", message_sid="SM" + "5" * 32)
    finally:
        released.set()

    # The budget is 3 s: Twilio hears the apology in time, the bot was not asked.
    assert time.monotonic() - started < 6
    assert replies == [APOLOGY]
    assert scripted_rasa.messages == []
