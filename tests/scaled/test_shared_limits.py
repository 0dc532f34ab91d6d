"""The doors' rate limits on the scaled stack's Redis: every gateway counts the same client once.

Behind a load balancer a client's requests reach several gateways; with the
default ``memory://`` storage each would allow the client its whole limit.
``tools/scaled-services`` exports ``ICBOT_RATE_LIMIT_STORAGE`` on its Redis.
"""

from __future__ import annotations

import uuid

from channels.limits import LimitSettings, RateLimits

from .conftest import Scaled


def test_two_gateways_share_one_clients_count(scaled: Scaled) -> None:
    storage = scaled.env["ICBOT_RATE_LIMIT_STORAGE"]
    assert storage.startswith("redis://")
    settings = LimitSettings(storage=storage, conversation_messages="3/minute")
    first, second = RateLimits(settings), RateLimits(settings)
    client = f"scaled-{uuid.uuid4().hex}"

    passed = [
        gateway.hit(settings.conversation_messages, client) is None
        for gateway in (first, second, first, second)
    ]

    assert passed == [True, True, True, False]
    assert second.wait(settings.conversation_messages, client) >= 1.0
