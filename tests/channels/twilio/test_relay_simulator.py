"""``make call ARGS=--relay``'s own parts: typed keys, and a number on the other door."""

from __future__ import annotations

import pytest

from channels.twilio.relay_simulator import NotARelayNumber, TwilioRelayCall, _keys
from channels.twilio.simulator import SignedPoster
from tests.channels.twilio.conftest import PIERRE


def test_typed_keys_and_speech() -> None:
    assert [_keys(line) for line in ["#123", "dtmf: 69002#", "DTMF:1", "six nine", "1 2"]] == [
        "123",
        "69002#",
        "1",
        None,
        None,
    ]


def test_a_number_on_the_gather_door_is_said_so(relay_poster: SignedPoster) -> None:
    call = TwilioRelayCall(relay_poster, caller=PIERRE, to="+33900000000")

    with pytest.raises(NotARelayNumber):
        call.dial()
