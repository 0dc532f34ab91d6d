"""Phone calls to the voice door, signed as Twilio signs them.

Each call comes from a benchmark customer's mobile, so the bot picks the
caller's account by the number and asks the postcode (a number alone never
confirms anyone); the caller says it, hears "Am I speaking with …?" and hangs up.
Measured: the incoming-call webhook (``POST /twilio/voice``) and the answer
(``POST /twilio/voice/gather``), each a signed form post answered with TwiML.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx

from channels.twilio.simulator import SignedPoster, TwilioPhone

from .customers import CustomerPool
from .drivers import TIMEOUT, TurnRecord


@dataclass
class VoiceRecords:
    """The timings of each kind of webhook."""

    incoming: list[TurnRecord] = field(default_factory=list)
    gather: list[TurnRecord] = field(default_factory=list)


def _timed(step: str, call: TwilioPhone, act: str, expect: str) -> TurnRecord:
    started = time.perf_counter()
    error: str | None = None
    try:
        said = " ".join((call.dial() if act == "dial" else call.say(act)).said)
        if expect not in said:
            error = f"wrong reply: no {expect!r}"
    except (httpx.HTTPError, ValueError) as exc:  # ValueError: not TwiML
        error = f"{type(exc).__name__}: {exc}"
    return TurnRecord(
        step=step, seconds=time.perf_counter() - started, ok=error is None, error=error
    )


def calls(
    *, gateway_url: str, public_url: str, auth_token: str, pool: CustomerPool, count: int
) -> VoiceRecords:
    """``count`` short calls, one after the other."""
    records = VoiceRecords()
    with httpx.Client(timeout=TIMEOUT) as client:
        poster = SignedPoster(
            client, public_url=public_url, auth_token=auth_token, gateway_url=gateway_url
        )
        for _ in range(count):
            customer = pool.next()
            call = TwilioPhone(poster, caller=customer.phone)
            first = _timed("incoming", call, "dial", "postcode")
            records.incoming.append(first)
            if first.ok:
                expected = f"Am I speaking with {customer.name}"
                records.gather.append(_timed("gather", call, customer.postcode, expected))
                call.end("completed", duration=20)
    return records
