"""A tracker store that fails makes the turn fail, not start over from an empty tracker."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

import bot  # noqa: F401 - installs the strict store, as `python -m bot.serve` does


class Down(InMemoryTrackerStore):
    """PostgreSQL gone: every read and write fails."""

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        raise ConnectionError("connection to server at 127.0.0.1 failed: Connection refused")

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        raise ConnectionError("connection to server at 127.0.0.1 failed: Connection refused")

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise ConnectionError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def store() -> FailSafeTrackerStore:
    return FailSafeTrackerStore(Down(Domain.empty()))


# The rasa env has no pytest-asyncio: each test runs its coroutine itself.
def test_a_conversation_that_cannot_be_read_fails_the_turn(store) -> None:
    with pytest.raises(ConnectionError):
        asyncio.run(store.retrieve("api-x"))
    with pytest.raises(ConnectionError):
        asyncio.run(store.retrieve_full_tracker("api-x"))
    with pytest.raises(ConnectionError):
        asyncio.run(store.get_or_create_tracker("api-x"))


def test_a_turn_that_cannot_be_saved_fails_and_is_kept_nowhere_else(store) -> None:
    tracker = DialogueStateTracker("api-x", slots=[])
    with pytest.raises(ConnectionError):
        asyncio.run(store.save(tracker))
    assert asyncio.run(store.fallback_tracker_store.retrieve("api-x")) is None


def test_a_store_that_works_is_unchanged() -> None:
    store = FailSafeTrackerStore(InMemoryTrackerStore(Domain.empty()))
    asyncio.run(store.save(DialogueStateTracker("api-y", slots=[])))
    found = asyncio.run(store.retrieve("api-y"))
    assert found is not None
    assert found.sender_id == "api-y"
