"""Rasa's tracker store failing aloud: a turn whose conversation cannot be read or saved fails.

Rasa 3.6 wraps every tracker store in ``FailSafeTrackerStore``. When the SQL
store fails (PostgreSQL down or restarting, in the scaled mode; a full disk
under SQLite) its ``retrieve`` answers None, and Rasa starts the conversation
over from an empty tracker: the customer is greeted as a stranger in the
middle of an order. Its ``save`` keeps the turn in the process's memory,
where no other Rasa server and no later read from the database finds it.
Either way the customer gets an answer (200) that is wrong, and what they
said is lost.

:func:`install` makes both raise instead: the turn fails, the gateway's
channel answers 500 (``bot/gateway_channel.py``), the gateway apologises
with ``Retry-After``, and the customer's next message, once the store is
back, goes on in the conversation as it was (an order whose turn was lost
is found again by its idempotency key, ``actions/orders.py``). The log line
is Rasa's own, on the way (the error, which names the server, not the data).
"""

from __future__ import annotations

from typing import Any, Optional

from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker


async def _retrieve(self: Any, sender_id: str) -> Optional[DialogueStateTracker]:
    try:
        return await self._tracker_store.retrieve(sender_id)
    except Exception as error:
        self.on_tracker_store_retrieve_error(error)
        raise


async def _retrieve_full_tracker(self: Any, sender_id: str) -> Optional[DialogueStateTracker]:
    try:
        return await self._tracker_store.retrieve_full_tracker(sender_id)
    except Exception as error:
        self.on_tracker_store_retrieve_error(error)
        raise


async def _save(self: Any, tracker: DialogueStateTracker) -> None:
    try:
        await self._tracker_store.save(tracker)
    except Exception as error:
        self.on_tracker_store_error(error)
        raise


def install() -> None:
    """Make Rasa's fail-safe tracker store raise its store's errors (idempotent)."""
    FailSafeTrackerStore.retrieve = _retrieve  # type: ignore[method-assign]
    FailSafeTrackerStore.retrieve_full_tracker = _retrieve_full_tracker  # type: ignore[method-assign]
    FailSafeTrackerStore.save = _save  # type: ignore[method-assign]
