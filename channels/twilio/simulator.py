"""``make call`` and ``make sms``: a terminal phone that calls or texts the gateway as Twilio would.

Every request carries the form fields Twilio documents (``CallSid``,
``From``, ``To``, ``CallStatus``, ``SpeechResult``, ``Confidence``,
``Digits``; ``MessageSid``, ``From``, ``To``, ``Body``) and an
``X-Twilio-Signature`` computed with the ``twilio`` library's
``RequestValidator`` over the public URL, so the doors are proven as
Twilio calls them. On the phone, typed text stands in for speech, a line of
digits for the keypad, an empty line for silence; what the gateway's TwiML
would say is printed.

Settings: ``ICBOT_PUBLIC_URL`` (what requests are signed for, default
http://localhost:8000), ``ICBOT_GATEWAY_URL`` (where they are sent, default
the public URL; differs behind a tunnel), ``TWILIO_AUTH_TOKEN`` (default:
the gateway's demo token in ``<ICBOT_VAR_DIR>/twilio_auth_token``).

:class:`TwilioPhone` and :class:`TwilioTexter` are the same phone for tests:
give them any ``httpx.Client``, a FastAPI ``TestClient`` included.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from twilio.request_validator import RequestValidator

from crm_backend.settings import CrmSettings

from .security import SIGNATURE_HEADER, twilio_auth_token

DEFAULT_CALLER = "+33612345678"
DEFAULT_COMPANY_NUMBER = "+33900000000"
ACCOUNT_SID = "AC" + "0" * 32  # what the simulated Twilio account is called


def new_sid(prefix: str) -> str:
    """A Twilio-shaped id: two letters and 32 hex digits."""
    return prefix + secrets.token_hex(16)


@dataclass
class CallStep:
    """What the gateway's TwiML makes the phone do."""

    said: list[str] = field(default_factory=list)
    gather_url: str | None = None
    num_digits: int | None = None
    hints: str = ""
    hangup: bool = False
    dialled: str | None = None
    redirect: str | None = None
    # What follows a <Gather> that posts nothing on silence: Twilio goes on with it.
    on_silence: CallStep | None = None

    @property
    def listening(self) -> bool:
        """Whether the call waits for the caller's answer."""
        return self.gather_url is not None


def read_voice_twiml(document: str) -> CallStep:
    """Follow a voice TwiML document as Twilio would, verb by verb."""
    return _follow(list(ET.fromstring(document)))  # noqa: S314 - our own gateway's answer


def _follow(verbs: list[ET.Element]) -> CallStep:
    step = CallStep()
    for index, verb in enumerate(verbs):
        if verb.tag == "Say":
            step.said.append(verb.text or "")
        elif verb.tag == "Gather":
            step.said += [say.text or "" for say in verb if say.tag == "Say"]
            step.gather_url = verb.get("action")
            step.num_digits = int(verb.get("numDigits", "0")) or None
            step.hints = verb.get("hints", "")
            if verb.get("actionOnEmptyResult") != "true":
                step.on_silence = _follow(verbs[index + 1 :])
            return step  # Twilio waits here; the rest runs only without an answer
        elif verb.tag == "Hangup":
            step.hangup = True
            return step
        elif verb.tag == "Dial":
            step.dialled = (verb.text or "").strip()
            return step
        elif verb.tag == "Redirect":
            step.redirect = (verb.text or "").strip()
            return step
    step.hangup = True  # the end of the document ends the call
    return step


def read_messages(document: str) -> list[str]:
    """The texts of a messaging TwiML document's ``<Message>`` verbs."""
    root = ET.fromstring(document)  # noqa: S314 - our own gateway's answer
    return [(m.text or "") for m in root if m.tag == "Message"]


class SignedPoster:
    """Posts forms to the gateway, signed for the public URL like Twilio does."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        public_url: str,
        auth_token: str,
        gateway_url: str | None = None,
    ) -> None:
        self.client = client
        self.public_url = public_url.rstrip("/")
        self.gateway_url = (gateway_url or public_url).rstrip("/")
        self.validator = RequestValidator(auth_token)

    def post(self, url_or_path: str, params: Mapping[str, str]) -> httpx.Response:
        """Post ``params`` to a path or an absolute public URL, with the signature Twilio sends."""
        url = url_or_path if "://" in url_or_path else self.public_url + url_or_path
        signature = self.validator.compute_signature(url, dict(params))
        target = self.gateway_url + url.removeprefix(self.public_url)
        return self.client.post(target, data=dict(params), headers={SIGNATURE_HEADER: signature})


def call_fields(call_sid: str, status: str, *, caller: str, to: str) -> dict[str, str]:
    """The fields Twilio posts about an incoming call."""
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": call_sid,
        "CallStatus": status,
        "Direction": "inbound",
        "From": caller,
        "To": to,
    }


class TwilioPhone:
    """One phone call to the gateway's voice door."""

    def __init__(
        self,
        poster: SignedPoster,
        *,
        caller: str = DEFAULT_CALLER,
        to: str = DEFAULT_COMPANY_NUMBER,
    ) -> None:
        self.poster = poster
        self.call_sid = new_sid("CA")
        self.caller, self.to = caller, to
        self.step = CallStep()
        self.started = time.monotonic()
        self.responses: list[httpx.Response] = []

    def _fields(self, status: str) -> dict[str, str]:
        return call_fields(self.call_sid, status, caller=self.caller, to=self.to)

    def _post(self, url: str, params: dict[str, str]) -> CallStep:
        response = self.poster.post(url, params)
        self.responses.append(response)
        response.raise_for_status()
        self.step = read_voice_twiml(response.text)
        while self.step.redirect:
            self.step = self._post(self.step.redirect, self._fields("in-progress"))
        return self.step

    def dial(self) -> CallStep:
        """The call comes in: Twilio asks ``/twilio/voice`` what to do."""
        self.started = time.monotonic()
        return self._post("/twilio/voice", self._fields("ringing"))

    def say(self, words: str, confidence: float = 0.92) -> CallStep:
        """The caller speaks (Twilio's recogniser heard ``words``)."""
        params = {**self._fields("in-progress"), "SpeechResult": words}
        params["Confidence"] = f"{confidence:.2f}"
        return self._post(self._gather_url(), params)

    def press(self, digits: str) -> CallStep:
        """The caller presses keys; a last ``#`` ends them, and Twilio leaves it out of Digits."""
        finished = "#" if digits.endswith("#") else ""
        digits = digits.removesuffix("#")
        params = {**self._fields("in-progress"), "Digits": digits, "FinishedOnKey": finished}
        return self._post(self._gather_url(), params)

    def stay_silent(self) -> CallStep:
        """The caller says nothing until the gather times out."""
        if self.step.listening and self.step.on_silence is not None:
            self.step = self.step.on_silence  # Twilio posts nothing: it reads on
            return self.step
        return self._post(self._gather_url(), self._fields("in-progress"))

    def _gather_url(self) -> str:
        if not self.step.listening or self.step.gather_url is None:
            raise RuntimeError("the call is not waiting for an answer")
        return self.step.gather_url

    def end(self, status: str = "completed", duration: int | None = None) -> httpx.Response:
        """The call ends: Twilio posts its status callback with the duration."""
        seconds = duration if duration is not None else round(time.monotonic() - self.started)
        params = {**self._fields(status), "CallDuration": str(seconds)}
        params["Timestamp"] = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        response = self.poster.post("/twilio/voice/status", params)
        response.raise_for_status()
        return response


class TwilioTexter:
    """A phone that texts the gateway's SMS door."""

    def __init__(
        self,
        poster: SignedPoster,
        *,
        sender: str = DEFAULT_CALLER,
        to: str = DEFAULT_COMPANY_NUMBER,
    ) -> None:
        self.poster = poster
        self.sender, self.to = sender, to

    def fields(self, body: str, message_sid: str | None = None) -> dict[str, str]:
        """The form Twilio posts for one incoming text."""
        sid = message_sid or new_sid("SM")
        return {
            "AccountSid": ACCOUNT_SID,
            "ApiVersion": "2010-04-01",
            "MessageSid": sid,
            "SmsSid": sid,
            "SmsMessageSid": sid,
            "SmsStatus": "received",
            "From": self.sender,
            "To": self.to,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
        }

    def send(self, body: str, message_sid: str | None = None) -> list[str]:
        """Text ``body``; the texts that come back."""
        response = self.poster.post("/twilio/sms", self.fields(body, message_sid))
        response.raise_for_status()
        return read_messages(response.text)


def _poster(client: httpx.Client, args: argparse.Namespace) -> SignedPoster:
    token = twilio_auth_token(
        configured=os.environ.get("TWILIO_AUTH_TOKEN"), var_dir=CrmSettings.from_env().var_dir
    )
    return SignedPoster(
        client, public_url=args.public_url, auth_token=token, gateway_url=args.gateway_url
    )


def _show(step: CallStep) -> None:
    for line in step.said:
        print(f"bot> {line}")
    if step.dialled:
        print(f"(the call is put through to {step.dialled})")
    elif step.hangup:
        print("(the bot hangs up)")


def run_call(client: httpx.Client, args: argparse.Namespace) -> int:
    """The terminal phone call: text for speech, digits for keys, empty for silence."""
    phone = TwilioPhone(_poster(client, args), caller=args.caller, to=args.to)
    print(f"Calling {args.public_url} as {args.caller} ({phone.call_sid}).")
    print("Type what you say; digits are keys; an empty line is silence; Ctrl-D hangs up.")
    step = phone.dial()
    _show(step)
    while step.listening:
        try:
            heard = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            break
        if not heard:
            step = phone.stay_silent()
        elif heard.replace("#", "").replace("*", "").isdigit():
            step = phone.press(heard.rstrip("#"))
        else:
            step = phone.say(heard)
        _show(step)
    phone.end("completed")
    print(f"(call ended after {round(time.monotonic() - phone.started)} s)")
    return 0


def run_sms(client: httpx.Client, args: argparse.Namespace) -> int:
    """The terminal SMS conversation."""
    texter = TwilioTexter(_poster(client, args), sender=args.caller, to=args.to)
    print(f"Texting {args.public_url} as {args.caller}. Ctrl-D to stop.")
    while True:
        try:
            body = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not body:
            continue
        replies = texter.send(body)
        for text in replies or ["(no answer)"]:
            print("bot> " + text.replace("\n", "\n     "))


def phone_arguments(
    parser: argparse.ArgumentParser, *, to: str = "the company's number (To)"
) -> None:
    """The options of every terminal phone: who calls, which number, where the gateway is."""
    public = os.environ.get("ICBOT_PUBLIC_URL") or "http://localhost:8000"
    parser.add_argument("--caller", default=DEFAULT_CALLER, help="your number (From)")
    parser.add_argument(
        "--to", default=os.environ.get("TWILIO_FROM_NUMBER") or DEFAULT_COMPANY_NUMBER, help=to
    )
    parser.add_argument("--public-url", default=public, help="the URL requests are signed for")
    parser.add_argument(
        "--gateway-url",
        default=os.environ.get("ICBOT_GATEWAY_URL") or public,
        help="where requests are sent",
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m channels.twilio.simulator call|sms``."""
    parser = argparse.ArgumentParser(
        prog="make call / make sms", description="A terminal phone for the Twilio doors."
    )
    parser.add_argument("mode", choices=["call", "sms"])
    phone_arguments(parser)
    args = parser.parse_args(argv)
    run = run_call if args.mode == "call" else run_sms
    try:
        with httpx.Client(timeout=20) as client:
            return run(client, args)
    except httpx.HTTPStatusError as exc:
        print(
            f"(the gateway refused: {exc.response.status_code} {exc.response.text})",
            file=sys.stderr,
        )
        return 1
    except httpx.HTTPError as exc:
        print(f"(the gateway at {args.gateway_url} cannot be reached: {exc})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
