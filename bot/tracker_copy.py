"""A tracker's copy made from its state, not by replaying its every event.

Rasa 3.6 copies a tracker (``DialogueStateTracker.copy``) by replaying all its
events into a new one: before every action it runs
(``MessageProcessor._run_action``), and in forms, so three or four times a
turn, each time longer as the conversation grows. The copy here is the same
tracker made from the state itself: the same events (the same event
objects, as a replay shares them), copies of the slots with their values,
of the active loop (events change it in place) and of the latest action;
the latest message and bot utterance are the same event objects, as after
a replay. A replayed copy has no model or assistant id, nor a sender
source: neither has this one.

Only a plain ``DialogueStateTracker`` is copied so (training's trackers
keep Rasa's own copy). ``tests/bot/test_tracker_copy.py`` compares it with
Rasa's replay on random conversations. :func:`install` (called when Rasa
imports the ``bot`` package) patches ``DialogueStateTracker.copy``.
"""

from __future__ import annotations

import copy
import functools

from rasa.shared.core.trackers import DialogueStateTracker

_WRAPPED = "_icbot_tracker_copy"


def state_copy(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A tracker equal to ``tracker.travel_back_in_time(float("inf"))``."""
    new = tracker.init_copy()
    new.events.extend(tracker.events)
    new.slots = {name: copy.copy(slot) for name, slot in tracker.slots.items()}
    new._paused = tracker._paused
    new.followup_action = tracker.followup_action
    new.latest_action = dict(tracker.latest_action) if tracker.latest_action is not None else None
    new.latest_message = tracker.latest_message
    new.latest_bot_utterance = tracker.latest_bot_utterance
    new.active_loop = copy.copy(tracker.active_loop)
    return new


def install() -> None:
    """Patch ``DialogueStateTracker.copy`` (idempotent)."""
    original = DialogueStateTracker.copy
    if getattr(original, _WRAPPED, False):
        return

    @functools.wraps(original)
    def copy_of(self: DialogueStateTracker) -> DialogueStateTracker:
        if type(self) is not DialogueStateTracker:
            return original(self)
        return state_copy(self)

    setattr(copy_of, _WRAPPED, True)
    DialogueStateTracker.copy = copy_of  # type: ignore[method-assign]
