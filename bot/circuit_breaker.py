"""A turn that Rasa's circuit breaker stops ends listening, and the gateway apologises for it.

Rasa 3.6 stops a turn after ``max_number_of_predictions`` actions (10) in a
row, without an ``action_listen``: a loop of the policies. It counts those
actions back to the last ``action_listen``, across the customer's next
message, so every later turn of that conversation trips the breaker at once
and the bot never answers it again (what an unreachable action server did,
before ``bot/remote_actions.py`` ended such turns itself).

Rasa calls a processor's ``on_circuit_break(tracker, output_channel, nlg)``
when the breaker trips, and sets none. :func:`install` makes
:func:`end_listening` the default: the turn's last event is an
``action_listen``, so the next message starts a new count, and the turn's
answer carries the same failure payload as a failed custom action (the
gateway answers it with its apology and the offer of a person).
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.remote_actions import PAYLOAD_KEY

log = logging.getLogger(__name__)

LOOP = "(a loop of predictions)"  # what failed, in the gateway's words: no action of ours
_SET = "_icbot_on_circuit_break"


def end_listening(tracker: DialogueStateTracker, output_channel: Any, _nlg: Any) -> None:
    """End the stopped turn listening; tell the gateway the turn failed.

    Rasa calls it without awaiting it: the payload goes straight into a
    collecting channel's messages (the gateway's channel collects them).
    """
    log.error("circuit breaker tripped: the turn ends listening")
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    messages = getattr(output_channel, "messages", None)
    if isinstance(messages, list):
        failure = {PAYLOAD_KEY: {"action_failed": LOOP, "unreachable": False}}
        messages.append({"recipient_id": tracker.sender_id, "custom": failure})


def _get(processor: MessageProcessor) -> Any:
    return processor.__dict__.get(_SET) or end_listening


def _set(processor: MessageProcessor, callback: Optional[Any]) -> None:
    processor.__dict__[_SET] = callback


def install() -> None:
    """Make :func:`end_listening` every processor's callback unless one is given (idempotent)."""
    # MessageProcessor.__init__ sets on_circuit_break=None: the property keeps ours instead.
    MessageProcessor.on_circuit_break = property(_get, _set)  # type: ignore[assignment]
