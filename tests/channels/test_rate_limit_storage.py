"""The rate limits' shared storage away: the doors stay open and limited, counted in memory."""

from __future__ import annotations

import logging

import pytest

from channels.limits import LimitSettings, RateLimits
from launcher.stack import free_port


@pytest.fixture
def unreachable() -> RateLimits:
    # A port nothing listens on: every call to the storage is refused.
    storage = f"redis://:secret@127.0.0.1:{free_port()}/2"
    return RateLimits(LimitSettings(storage=storage, conversation_messages="2/minute"))


def test_without_its_storage_a_client_is_still_limited(unreachable, caplog):
    rule = unreachable.settings.conversation_messages
    with caplog.at_level(logging.WARNING, logger="channels.limits"):
        answers = [unreachable.hit(rule, "client-1") for _ in range(3)]

    assert answers[:2] == [None, None]
    assert answers[2] is not None
    assert answers[2] >= 1.0
    assert unreachable.hit(rule, "client-2") is None  # another client, its own count
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        "rate limits: the storage is unreachable (ConnectionError); counting in this process"
    ]
    assert "secret" not in caplog.text


def test_clear_and_allows_work_without_the_storage(unreachable):
    rule = unreachable.settings.conversation_messages
    unreachable.hit(rule, "client-1")
    unreachable.hit(rule, "client-1")
    assert not unreachable.allows(rule, "client-1")
    unreachable.clear(rule, "client-1")
    assert unreachable.allows(rule, "client-1")
