"""The ConversationRelay socket's checks: Twilio's signature on the upgrade, and limits first."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from channels.twilio import relay_session
from channels.twilio.relay_simulator import RelayClosed, TwilioRelayCall
from channels.twilio.security import SIGNATURE_HEADER
from channels.twilio.simulator import new_sid
from tests.channels.conftest import TranscriptRow
from tests.channels.twilio.conftest import TestClientSocket
from tests.channels.twilio_fakes import PUBLIC_URL, ScriptedRasa, sign

RELAY_URL = "wss://icbot.example.com/twilio/relay?call={sid}"


Opener = Callable[[str, dict[str, str]], TestClientSocket]


@pytest.fixture
def open_socket(relay_gateway: TestClient) -> Iterator[Opener]:
    """Opens the relay socket of a call with the given headers; closed after the test."""
    opened: list[TestClientSocket] = []

    def open_for(sid: str, headers: dict[str, str]) -> TestClientSocket:
        socket = TestClientSocket(
            relay_gateway, f"ws://testserver/twilio/relay?call={sid}", headers
        )
        opened.append(socket)
        return socket

    yield open_for
    for socket in opened:
        socket.close()


OTHER_CALL = "CA" + "9" * 32
SIGNATURES: dict[str, Callable[[str], dict[str, str]]] = {
    "unsigned": lambda sid: {},
    "forged": lambda sid: {SIGNATURE_HEADER: sign(RELAY_URL.format(sid=sid), {}, "not-the-token")},
    "another-call": lambda sid: {SIGNATURE_HEADER: sign(RELAY_URL.format(sid=OTHER_CALL), {})},
    "https": lambda sid: {
        SIGNATURE_HEADER: sign(f"https://icbot.example.com/twilio/relay?call={sid}", {})
    },
    "another-door": lambda sid: {SIGNATURE_HEADER: sign(f"{PUBLIC_URL}/twilio/voice", {})},
}


@pytest.mark.parametrize("attack", list(SIGNATURES))
def test_an_upgrade_not_signed_by_twilio_for_this_call_is_refused_and_leaves_no_trace(
    open_socket: Opener,
    scripted_rasa: ScriptedRasa,
    transcript_rows: Callable[[], list[TranscriptRow]],
    attack: str,
) -> None:
    sid = new_sid("CA")

    with pytest.raises(WebSocketDisconnect) as refused:
        open_socket(sid, SIGNATURES[attack](sid))

    assert refused.value.code == 1008  # closed before accept: HTTP 403 on a real server
    assert scripted_rasa.received == []
    assert transcript_rows() == []


def test_a_signed_upgrade_is_accepted_once_per_call(
    open_socket: Opener, relay_call: TwilioRelayCall
) -> None:
    relay_call.connect()
    replayed = {SIGNATURE_HEADER: sign(RELAY_URL.format(sid=relay_call.call_sid), {})}

    with pytest.raises(WebSocketDisconnect):
        open_socket(relay_call.call_sid, replayed)


def test_a_setup_for_another_call_closes_the_socket(
    open_socket: Opener, scripted_rasa: ScriptedRasa
) -> None:
    sid = new_sid("CA")
    socket = open_socket(sid, {SIGNATURE_HEADER: sign(RELAY_URL.format(sid=sid), {})})

    socket.send(json.dumps({"type": "setup", "callSid": new_sid("CA"), "from": "+33612345678"}))

    with pytest.raises(RelayClosed, match="1008"):
        socket.recv(5)
    assert scripted_rasa.received == []


@pytest.fixture
def started(relay_call: TwilioRelayCall, scripted_rasa: ScriptedRasa) -> TwilioRelayCall:
    """A call whose greeting was heard."""
    scripted_rasa.answers["/greet"] = [{"text": "Hello."}]
    relay_call.connect()
    return relay_call


def test_a_message_over_64_kib_closes_the_socket(started: TwilioRelayCall) -> None:
    started._send({"type": "prompt", "voicePrompt": "a" * 70_000, "last": True})

    with pytest.raises(RelayClosed, match="1009"):
        started.hear()


def test_malformed_messages_are_ignored_then_too_many_close_the_socket(
    started: TwilioRelayCall, scripted_rasa: ScriptedRasa
) -> None:
    assert started.socket is not None
    for junk in ["not json", "[1, 2]", '{"no": "type"}', '{"type": "dtmf", "digit": "x"}']:
        started.socket.send(junk)
    started._send({"type": "somethingNew", "voicePrompt": "my secret"})  # unknown: ignored
    assert started.say("still there?") == ["Sorry, I didn't get that."]

    for _ in range(relay_session.MAX_MALFORMED - 3):
        started.socket.send("{")

    with pytest.raises(RelayClosed, match="1008"):
        started.hear()
    assert scripted_rasa.messages == ["/greet", "still there?"]


def test_a_long_prompt_is_cut_and_no_caller_words_reach_the_log(
    started: TwilioRelayCall, scripted_rasa: ScriptedRasa, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    said = "I am calling about Zanzibar " + "please " * 400

    started.say(said)

    assert scripted_rasa.messages[-1] == said[: relay_session.MAX_PROMPT_CHARS].strip()
    assert "Zanzibar" not in caplog.text
    assert "a prompt of 2828 characters, cut" in caplog.text


def test_no_setup_in_time_closes_the_socket(
    open_socket: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relay_session, "SETUP_TIMEOUT", 0.1)
    sid = new_sid("CA")
    socket = open_socket(sid, {SIGNATURE_HEADER: sign(RELAY_URL.format(sid=sid), {})})

    socket.send(json.dumps({"type": "prompt", "voicePrompt": "hello", "last": True}))

    with pytest.raises(RelayClosed, match="1008"):
        socket.recv(5)
