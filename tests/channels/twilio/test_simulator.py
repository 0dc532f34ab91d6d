"""``make call`` / ``make sms``: a terminal phone that reads TwiML and signs as Twilio does."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from channels.twilio.simulator import CallStep, main, read_voice_twiml, run_call, run_sms
from launcher.stack import free_port
from tests.channels.twilio_fakes import AUTH_TOKEN, PUBLIC_URL, ScriptedRasa

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


@pytest.mark.parametrize(
    ("document", "step"),
    [
        (
            '<Response><Say>Hi</Say><Gather action="https://x/g?silence=0" numDigits="1" '
            'hints="a, b"><Say>Yes?</Say></Gather><Say>unreached</Say></Response>',
            CallStep(
                said=["Hi", "Yes?"],
                gather_url="https://x/g?silence=0",
                num_digits=1,
                hints="a, b",
                # Without actionOnEmptyResult, silence reads on after the <Gather>.
                on_silence=CallStep(said=["unreached"], hangup=True),
            ),
        ),
        ("<Response><Say>Bye</Say><Hangup/></Response>", CallStep(said=["Bye"], hangup=True)),
        (
            "<Response><Say>Sorry</Say><Dial>+33400000000</Dial></Response>",
            CallStep(said=["Sorry"], dialled="+33400000000"),
        ),
        ("<Response><Redirect>https://x/r</Redirect></Response>", CallStep(redirect="https://x/r")),
        (
            "<Response><Say>That is all</Say></Response>",
            CallStep(said=["That is all"], hangup=True),
        ),
    ],
)
def test_twiml_is_followed_verb_by_verb(document: str, step: CallStep) -> None:
    assert read_voice_twiml(document) == step


def typed(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    """What the person types, then end of input."""
    feed: Iterator[str] = iter(lines)

    def next_line(_prompt: str = "") -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", next_line)


@pytest.fixture
def args(monkeypatch: pytest.MonkeyPatch) -> argparse.Namespace:
    """The command line of the simulator, pointed at the test gateway."""
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    return argparse.Namespace(
        caller="+33612345678",
        to="+33900000000",
        public_url=PUBLIC_URL,
        gateway_url="http://testserver",
    )


def test_a_terminal_call_speaks_presses_stays_silent_and_hangs_up(
    twilio_gateway: TestClient,
    scripted_rasa: ScriptedRasa,
    args: argparse.Namespace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scripted_rasa.answers["/greet"] = [{"text": "Am I speaking with Pierre?", "buttons": YES_NO}]
    scripted_rasa.answers["/affirm"] = [{"text": "Thanks. Anything else?"}]
    scripted_rasa.answers["bye"] = [{"text": "Goodbye!"}]
    scripted_rasa.closing = {"bye"}
    typed(monkeypatch, ["1", "", "bye"])

    assert run_call(twilio_gateway, args) == 0

    assert scripted_rasa.messages == ["/greet", "/affirm", "bye"]
    out = capsys.readouterr().out
    assert "bot> Am I speaking with Pierre?\nbot> Say Yes or press 1, say No or press 2.\n" in out
    assert "bot> Sorry, I didn't hear anything.\n" in out
    assert "bot> Goodbye!\n(the bot hangs up)\n" in out


def test_a_terminal_sms_conversation(
    twilio_gateway: TestClient,
    scripted_rasa: ScriptedRasa,
    args: argparse.Namespace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scripted_rasa.answers["hello"] = [{"text": "Is it you?", "buttons": YES_NO}]
    typed(monkeypatch, ["hello", "", "STOP", "hello"])

    assert run_sms(twilio_gateway, args) == 0

    out = capsys.readouterr().out
    assert "bot> Is it you?\n     1. Yes\n     2. No\n     Reply with a number.\n" in out
    assert "bot> You're unsubscribed" in out
    assert out.endswith("bot> (no answer)\n\n")  # the newline after Ctrl-D


def test_an_unreachable_gateway_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    url = f"http://127.0.0.1:{free_port()}"

    assert main(["call", "--public-url", url, "--gateway-url", url]) == 1
    assert "cannot be reached" in capsys.readouterr().err
