"""A tracker's copy from its state is Rasa's replayed copy, however the conversation went."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from random_conversations import conversation
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

import bot  # noqa: F401 - installs the patch, as Rasa's import of the pipeline does
from bot.tracker_copy import state_copy
from languages import DEFAULT, domain_paths

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(domain_paths(DEFAULT))


def _everything(tracker: DialogueStateTracker) -> dict[str, Any]:
    """What a tracker is: its attributes, the slots' own, the events by identity."""
    seen = {k: v for k, v in vars(tracker).items() if k not in ("events", "slots")}
    seen["events"] = [id(e) for e in tracker.events]
    seen["events_max"] = tracker.events.maxlen
    seen["slots"] = {n: vars(s) for n, s in tracker.slots.items()}
    seen["state"] = tracker.current_state(EventVerbosity.ALL)
    return seen


@pytest.mark.parametrize("seed", range(10))
def test_the_copy_is_rasas_replayed_copy(domain: Domain, seed: int) -> None:
    events = conversation(domain, seed, turns=30)
    for end in range(1, len(events) + 1, 5):
        tracker = DialogueStateTracker.from_events("c", events[:end], slots=domain.slots)

        replayed = tracker.travel_back_in_time(float("inf"))

        assert _everything(state_copy(tracker)) == _everything(replayed), (seed, end)
        assert _everything(tracker.copy()) == _everything(replayed)


def test_the_copy_goes_its_own_way(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events(
        "c", conversation(domain, 3, turns=10), slots=domain.slots
    )
    before = _everything(tracker)
    copied = tracker.copy()

    copied.update(UserUttered("more"))
    copied.update(SlotSet(domain.slots[0].name, "changed"))
    if copied.active_loop is not None:
        copied.active_loop.is_interrupted = not copied.active_loop.is_interrupted

    assert _everything(tracker) == before
