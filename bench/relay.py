"""Phone calls to the ConversationRelay door, on the same script as :mod:`bench.voice`.

Each call comes from a benchmark customer's mobile to the relay number: the
incoming call is posted (signed), the socket opened (signed as Twilio signs
the upgrade), ``setup`` sent; the bot greets the caller and asks the postcode,
the caller says it, hears "Am I speaking with …?" and hangs up.

Measured, for the caller's prompt (the postcode): the time to the first
``text`` token of the answer (what the caller waits for before the bot starts
talking) and to the whole answer (the token marked ``last``); for the
greeting, from ``setup`` to its first token. On the ``<Gather>`` door both are
the time to the TwiML answer, which holds the whole answer (bench/voice.py).
The bench runs the stack with the relay door's speech pacing off
(``ICBOT_RELAY_SPEECH_RATE``): the whole answer measures the gateway, not the voice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx
from websockets.exceptions import WebSocketException

from channels.twilio.relay_simulator import (
    NotARelayNumber,
    RelayClosed,
    TwilioRelayCall,
    open_websocket,
)
from channels.twilio.simulator import SignedPoster

from .customers import CustomerPool
from .drivers import TIMEOUT, TurnRecord
from .script import Customer

RELAY_NUMBER = "+33900000042"  # the company line the bench stack puts on the relay door
# The bench's relay door sends a reply at once (characters a second it reckons are spoken).
NO_PACING = "1000000"


@dataclass
class RelayRecords:
    """The timings of the greeting and of the answer to the caller's prompt."""

    greeting_first: list[TurnRecord] = field(default_factory=list)
    first_text: list[TurnRecord] = field(default_factory=list)
    whole: list[TurnRecord] = field(default_factory=list)


def _one_call(poster: SignedPoster, customer: Customer, records: RelayRecords) -> None:
    marks: list[float] = []
    call = TwilioRelayCall(
        poster, open_websocket, caller=customer.phone, to=RELAY_NUMBER, timeout=TIMEOUT,
        on_token=lambda _token: marks.append(time.perf_counter()),
    )  # fmt: skip
    failure: str | None = None
    try:
        call.dial()
        call.open()
        started = time.perf_counter()
        greeting = "".join(call.hear())
        if "postcode" not in greeting:
            failure = "wrong greeting: no 'postcode'"
        records.greeting_first.append(_record("greeting", marks[0] - started, failure))
        if failure:
            return
        marks.clear()
        said = time.perf_counter()
        answer = "".join(call.say(customer.postcode))
        ended = time.perf_counter()
        expected = f"Am I speaking with {customer.name}"
        failure = None if expected in answer else f"wrong reply: no {expected!r}"
        records.first_text.append(_record("first_text", marks[0] - said, failure))
        records.whole.append(_record("whole", ended - said, failure))
    except (
        httpx.HTTPError, WebSocketException, NotARelayNumber, RelayClosed,
        TimeoutError, OSError, IndexError,
    ) as exc:  # fmt: skip
        records.greeting_first.append(_record("call", 0.0, f"{type(exc).__name__}: {exc}"))
    finally:
        if call.socket is not None:
            call.hang_up(duration=20)


def _record(step: str, seconds: float, error: str | None) -> TurnRecord:
    return TurnRecord(step=step, seconds=seconds, ok=error is None, error=error)


def calls(
    *, gateway_url: str, public_url: str, auth_token: str, pool: CustomerPool, count: int
) -> RelayRecords:
    """``count`` short calls, one after the other."""
    records = RelayRecords()
    with httpx.Client(timeout=TIMEOUT) as client:
        poster = SignedPoster(
            client, public_url=public_url, auth_token=auth_token, gateway_url=gateway_url
        )
        for _ in range(count):
            _one_call(poster, pool.next(), records)
    return records
