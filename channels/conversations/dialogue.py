"""The dialogue's state after a turn, as Rasa's gateway channel adds it to its answer when asked.

The phone door asks (``RasaClient.send(dialogue_state=True)``, the
``X-Icbot-Dialogue-State`` header): Rasa's answer then ends with a message
whose ``custom`` payload is ``{"icbot": {"dialogue": {"ended": …, "question": …,
"account_id": …}}}`` (``bot/gateway_channel.py``). The turn asks too, until it knows
the identified account (the account's preferred language: :mod:`.language`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .actions_state import PAYLOAD_KEY
from .rasa_client import BotMessage


@dataclass(frozen=True)
class DialogueState:
    """After a turn: whether the bot closed the conversation in it, the question it asks, and
    the identified account (its id; None until identified)."""

    ended: bool
    question: str | None
    account_id: int | None = None

    @classmethod
    def of(cls, messages: Sequence[BotMessage]) -> DialogueState | None:
        """The state Rasa added to its answer when asked (:data:`DIALOGUE_HEADER`), if any."""
        for message in messages:
            found = message.custom.get(PAYLOAD_KEY)
            state = found.get("dialogue") if isinstance(found, dict) else None
            if isinstance(state, dict):
                question = state.get("question")
                account = str(state.get("account_id") or "")
                return cls(
                    ended=bool(state.get("ended")),
                    question=question if isinstance(question, str) else None,
                    account_id=int(account) if account.isdigit() and len(account) < 19 else None,
                )
        return None
