"""``make call ARGS=--relay``: Twilio's side of a ConversationRelay call, in the terminal.

It does what Twilio does, from the published message schema
(https://www.twilio.com/docs/voice/conversationrelay/websocket-messages):
posts the incoming call to ``/twilio/voice`` (signed), reads the
``<Connect><ConversationRelay>`` answer, opens the WebSocket with
``X-Twilio-Signature`` over its URL, sends ``setup``, then each line typed
as a final ``prompt`` (speech as the recogniser wrote it); ``#123`` or
``dtmf:123`` presses keys. The bot's ``text`` tokens are printed as they
come. When the socket sends ``end``, the phone posts the ``<Connect action>``
as Twilio would (``HandoffData``, ``SessionStatus``…) and follows its TwiML:
``<Hangup/>`` or ``<Dial>``. Ctrl-D hangs up.

:class:`TwilioRelayCall` is the same call for tests: give it a
:class:`~channels.twilio.simulator.SignedPoster` and a way to open the
socket (:func:`open_websocket` here, a FastAPI ``TestClient`` adapter in the
unit tests). Settings as for ``make call``: ``ICBOT_PUBLIC_URL``,
``ICBOT_GATEWAY_URL``, ``TWILIO_AUTH_TOKEN``.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any, Protocol

import httpx
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from crm_backend.settings import CrmSettings

from .relay_twiml import websocket_base
from .security import SIGNATURE_HEADER, twilio_auth_token
from .simulator import (
    ACCOUNT_SID,
    DEFAULT_CALLER,
    DEFAULT_COMPANY_NUMBER,
    CallStep,
    SignedPoster,
    call_fields,
    new_sid,
    phone_arguments,
    read_voice_twiml,
)

TIMEOUT = 30.0


class RelayClosed(Exception):
    """The gateway closed the socket."""


class NotARelayNumber(Exception):
    """The gateway answered the call with the ``<Gather>`` door."""


class RelaySocket(Protocol):
    """One WebSocket as the call uses it: text out, text in (None when nothing came in time)."""

    def send(self, text: str) -> None: ...

    def recv(self, timeout: float) -> str | None: ...

    def close(self) -> None: ...


Opener = Callable[[str, dict[str, str]], RelaySocket]


class WebsocketsSocket:
    """A :class:`RelaySocket` on the ``websockets`` library's client."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    def send(self, text: str) -> None:
        try:
            self.connection.send(text)
        except ConnectionClosed as exc:
            raise RelayClosed(str(exc)) from exc

    def recv(self, timeout: float) -> str | None:
        try:
            message = self.connection.recv(timeout=timeout)
        except TimeoutError:
            return None
        except ConnectionClosed as exc:
            raise RelayClosed(str(exc)) from exc
        return message if isinstance(message, str) else message.decode()

    def close(self) -> None:
        self.connection.close()


def open_websocket(url: str, headers: dict[str, str]) -> RelaySocket:
    """Open ``url`` with ``headers`` (a refused upgrade raises ``InvalidStatus``)."""
    return WebsocketsSocket(connect(url, additional_headers=headers, open_timeout=TIMEOUT))


class TwilioRelayCall:
    """One ConversationRelay call to the gateway, played as Twilio plays it."""

    def __init__(
        self,
        poster: SignedPoster,
        open_socket: Opener = open_websocket,
        *,
        caller: str = DEFAULT_CALLER,
        to: str = DEFAULT_COMPANY_NUMBER,
        timeout: float = TIMEOUT,
        on_token: Callable[[str], None] | None = None,
    ) -> None:
        self.poster = poster
        self.open_socket = open_socket
        self.caller, self.to = caller, to
        self.timeout = timeout
        self.on_token = on_token
        self.call_sid = new_sid("CA")
        self.session_id = new_sid("VX")
        self.started = time.monotonic()
        self.socket: RelaySocket | None = None
        self.relay_url = ""
        self.action_url = ""
        self.received: list[dict[str, Any]] = []  # every message the gateway sent, in order
        self.ended = False
        self.handoff_data: dict[str, Any] | None = None
        self.after: CallStep | None = None  # the TwiML of the <Connect action>

    def _fields(self, status: str) -> dict[str, str]:
        return call_fields(self.call_sid, status, caller=self.caller, to=self.to)

    def dial(self) -> None:
        """The call comes in: on a relay number, ``/twilio/voice`` answers with the socket URL."""
        self.started = time.monotonic()
        response = self.poster.post("/twilio/voice", self._fields("ringing"))
        response.raise_for_status()
        root = ET.fromstring(response.text)  # noqa: S314 - our own gateway's answer
        connect_verb = root.find("Connect")
        relay = connect_verb.find("ConversationRelay") if connect_verb is not None else None
        if connect_verb is None or relay is None:
            raise NotARelayNumber("the gateway answers this number with the <Gather> door")
        self.action_url = connect_verb.get("action", "")
        self.relay_url = relay.get("url", "")

    def open(self) -> None:
        """Open the socket, signed as Twilio signs it, and send ``setup``."""
        signature = self.poster.validator.compute_signature(self.relay_url, {})
        public = websocket_base(self.poster.public_url)
        target = websocket_base(self.poster.gateway_url) + self.relay_url.removeprefix(public)
        self.socket = self.open_socket(target, {SIGNATURE_HEADER: signature})
        self._send({
            "type": "setup", "sessionId": self.session_id, "accountSid": ACCOUNT_SID,
            "parentCallSid": "", "callSid": self.call_sid, "from": self.caller, "to": self.to,
            "forwardedFrom": "", "callType": "PSTN", "callerName": "", "direction": "inbound",
            "callStatus": "RINGING", "customParameters": {},
        })  # fmt: skip

    def connect(self) -> list[str]:
        """Dial, open the socket; the greeting's tokens."""
        self.dial()
        self.open()
        return self.hear()

    def prompt(self, words: str, lang: str = "en-GB") -> None:
        """The caller said ``words`` (as the recogniser wrote them); nothing is read back."""
        self._send({"type": "prompt", "voicePrompt": words, "lang": lang, "last": True})

    def say(self, words: str, lang: str = "en-GB") -> list[str]:
        """The caller says ``words``; the tokens of the bot's answer."""
        self.prompt(words, lang)
        return self.hear()

    def press(self, keys: str) -> list[str]:
        """The caller presses ``keys``; the tokens of the answer."""
        for key in keys:
            self._send({"type": "dtmf", "digit": key})
        return self.hear()

    def hear(self) -> list[str]:
        """The tokens of one answer: up to the one marked ``last``, or the end of the session."""
        return self._tokens()[0]

    def _tokens(self, count: int | None = None) -> tuple[list[str], bool]:
        """The answer's tokens, up to the one marked ``last`` or ``count`` of them; and whether
        the last one came."""
        tokens: list[str] = []
        while not self.ended and (count is None or len(tokens) < count):
            message = self._next(self.timeout)
            if message is None:
                raise TimeoutError(f"no answer within {self.timeout:.0f} s")
            if message.get("type") == "text":
                tokens.append(str(message.get("token", "")))
                if message.get("last"):
                    return tokens, True
        return tokens, False

    def interrupt_after(self, count: int) -> list[str]:
        """Hear ``count`` tokens of the answer under way, then speak over the rest."""
        started = time.monotonic()
        tokens, whole = self._tokens(count)
        if whole:
            return tokens  # all of it was said: nothing to cut into
        heard = "".join(tokens).strip()
        elapsed = round(1000 * (time.monotonic() - started))
        self._send({
            "type": "interrupt", "utteranceUntilInterrupt": heard,
            "durationUntilInterruptMs": elapsed,
        })  # fmt: skip
        return tokens

    def quiet(self, seconds: float) -> list[str]:
        """The tokens that come within ``seconds`` (none, when the gateway keeps quiet)."""
        tokens: list[str] = []
        deadline = time.monotonic() + seconds
        while not self.ended and (left := deadline - time.monotonic()) > 0:
            message = self._next(left)
            if message is None:
                break
            if message.get("type") == "text":
                tokens.append(str(message.get("token", "")))
        return tokens

    def hang_up(self, duration: int | None = None) -> httpx.Response:
        """The caller hangs up: the socket closes, Twilio posts the call's status."""
        if self.socket is not None:
            self.socket.close()
            self.socket = None
        seconds = duration if duration is not None else round(time.monotonic() - self.started)
        params = {**self._fields("completed"), "CallDuration": str(seconds)}
        response = self.poster.post("/twilio/voice/status", params)
        response.raise_for_status()
        return response

    def _send(self, message: dict[str, Any]) -> None:
        if self.socket is None:
            raise RuntimeError("the call has no socket open")
        self.socket.send(json.dumps(message, ensure_ascii=False))

    def _next(self, timeout: float) -> dict[str, Any] | None:
        """The next message from the gateway; an ``end`` is followed as Twilio follows it."""
        if self.socket is None:
            raise RuntimeError("the call has no socket open")
        raw = self.socket.recv(timeout)
        if raw is None:
            return None
        message: dict[str, Any] = json.loads(raw)
        self.received.append(message)
        if message.get("type") == "text" and self.on_token is not None:
            self.on_token(str(message.get("token", "")))
        if message.get("type") == "end":
            self._session_ended(str(message.get("handoffData") or ""))
        return message

    def _session_ended(self, handoff_data: str) -> None:
        self.ended = True
        self.handoff_data = json.loads(handoff_data) if handoff_data else None
        params = {
            **self._fields("in-progress"),
            "SessionId": self.session_id,
            "SessionStatus": "completed",
            "SessionDuration": str(round(time.monotonic() - self.started)),
        }
        if handoff_data:
            params["HandoffData"] = handoff_data
        response = self.poster.post(self.action_url, params)
        response.raise_for_status()
        self.after = read_voice_twiml(response.text)


def _keys(line: str) -> str | None:
    """The keys a typed line presses (``#123``, ``dtmf:123``), or None for speech."""
    for prefix in ("dtmf:", "#"):
        if line.lower().startswith(prefix):
            return line[len(prefix) :].strip()
    return None


def _typed(call: TwilioRelayCall) -> str | None:
    """The next line typed (None: Ctrl-D or the session ended), the socket heard meanwhile."""
    print("\nyou> ", end="", flush=True)
    while not call.ended:
        if select.select([sys.stdin], [], [], 0.2)[0]:
            line = sys.stdin.readline()
            return line.strip() if line else None
        call.quiet(0.01)  # what the bot still says, and the end of the session
    return None


def run(client: httpx.Client, args: argparse.Namespace) -> int:
    """The terminal call: each line is said, ``#…`` or ``dtmf:…`` are keys, Ctrl-D hangs up."""
    token = twilio_auth_token(
        configured=os.environ.get("TWILIO_AUTH_TOKEN"), var_dir=CrmSettings.from_env().var_dir
    )
    poster = SignedPoster(
        client, public_url=args.public_url, auth_token=token, gateway_url=args.gateway_url
    )

    def show(text: str) -> None:
        print(text, end="", flush=True)

    call = TwilioRelayCall(poster, caller=args.caller, to=args.to, on_token=show)
    print(f"Calling {args.to} on ConversationRelay as {args.caller} ({call.call_sid}).")
    print("Type what you say; #123 or dtmf:123 presses keys; Ctrl-D hangs up.")
    print("bot> ", end="", flush=True)
    call.connect()
    while not call.ended:
        try:
            line = _typed(call)
        except KeyboardInterrupt:
            line = None
        if line is None:
            print()
            break
        if not line:
            continue
        print("bot> ", end="", flush=True)
        keys = _keys(line)
        if keys is not None:
            call.press(keys)
        else:
            call.say(line)
    if call.after is not None:
        print(f"\n(the session ended: {call.handoff_data})")
        if call.after.dialled:
            print(f"(the call is put through to {call.after.dialled})")
        elif call.after.hangup:
            print("(the bot hangs up)")
    call.hang_up()
    print(f"(call ended after {round(time.monotonic() - call.started)} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m channels.twilio.relay_simulator`` (``make call ARGS=--relay``)."""
    parser = argparse.ArgumentParser(
        prog="make call ARGS=--relay", description="A ConversationRelay call, as Twilio plays it."
    )
    phone_arguments(parser, to="the company's number (To): one of ICBOT_RELAY_NUMBERS")
    args = parser.parse_args(argv)
    try:
        with httpx.Client(timeout=20) as client:
            return run(client, args)
    except NotARelayNumber as exc:
        print(f"({exc}: set ICBOT_RELAY_NUMBERS for {args.to})", file=sys.stderr)
    except InvalidStatus as exc:
        print(f"(the gateway refused the socket: {exc.response.status_code})", file=sys.stderr)
    except httpx.HTTPStatusError as exc:
        print(f"(the gateway refused: {exc.response.status_code})", file=sys.stderr)
    except (httpx.HTTPError, OSError, TimeoutError, RelayClosed) as exc:
        print(f"(the gateway at {args.gateway_url} cannot be reached: {exc})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
