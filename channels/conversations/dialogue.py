"""The dialogue's state after a turn, as Rasa's gateway channel adds it to its answer when asked.

The phone door asks (``RasaClient.send(dialogue_state=True)``, the
``X-Icbot-Dialogue-State`` header): Rasa's answer then ends with a message
whose ``custom`` payload is ``{"icbot": {"dialogue": {"ended": …, "question": …}}}``
(``bot/gateway_channel.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .actions_state import PAYLOAD_KEY
from .rasa_client import BotMessage


@dataclass(frozen=True)
class DialogueState:
    """After a turn: whether the bot closed the conversation in it, and the question it asks."""

    ended: bool
    question: str | None

    @classmethod
    def of(cls, messages: Sequence[BotMessage]) -> DialogueState | None:
        """The state Rasa added to its answer when asked (:data:`DIALOGUE_HEADER`), if any."""
        for message in messages:
            found = message.custom.get(PAYLOAD_KEY)
            state = found.get("dialogue") if isinstance(found, dict) else None
            if isinstance(state, dict):
                question = state.get("question")
                return cls(
                    ended=bool(state.get("ended")),
                    question=question if isinstance(question, str) else None,
                )
        return None
