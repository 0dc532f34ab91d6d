"""A turn stopped by Rasa's circuit breaker ends listening; the conversation goes on."""

from __future__ import annotations

from types import SimpleNamespace

from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import bot  # noqa: F401 - installs the default callback, as `python -m bot.serve` does
from bot.circuit_breaker import LOOP, end_listening

# Rasa's own count, on a processor that predicts at most 10 actions a turn.
PROCESSOR = SimpleNamespace(max_number_of_predictions=10)


def _limit_reached(tracker: DialogueStateTracker) -> bool:
    return MessageProcessor.is_action_limit_reached(PROCESSOR, tracker, True)  # type: ignore[arg-type]


def _stopped_turn() -> DialogueStateTracker:
    """A turn whose policies predicted the same failing action ten times."""
    events = [ActionExecuted("action_listen"), UserUttered("tell me about the eclipse")]
    events += [ActionExecuted("action_clarify") for _ in range(10)]
    return DialogueStateTracker.from_events("api-c1", events)


def test_without_it_the_next_message_trips_the_breaker_at_once() -> None:
    tracker = _stopped_turn()
    tracker.update(UserUttered("tell me about the eclipse"))

    assert _limit_reached(tracker)  # the conversation could never be answered again


def test_the_stopped_turn_ends_listening_and_the_next_message_is_answered() -> None:
    tracker = _stopped_turn()
    channel = CollectingOutputChannel()

    end_listening(tracker, channel, None)
    tracker.update(UserUttered("tell me about the eclipse"))

    assert not _limit_reached(tracker)
    assert channel.messages == [
        {
            "recipient_id": "api-c1",
            "custom": {"icbot": {"action_failed": LOOP, "unreachable": False}},
        }
    ]


def test_every_processor_has_it_unless_given_another() -> None:
    processor = object.__new__(MessageProcessor)
    processor.on_circuit_break = None  # what MessageProcessor.__init__ sets

    assert processor.on_circuit_break is end_listening

    def own(*_args: object) -> None:
        return None

    processor.on_circuit_break = own
    assert processor.on_circuit_break is own
