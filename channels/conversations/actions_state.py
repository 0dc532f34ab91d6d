"""What the gateway knows of the action server: up, unless a turn found it unreachable.

Rasa goes on when a custom action fails, with the action's events lost, so
a turn would end in an answer without the result the customer asked for. A
failed call now says so in Rasa's answer (``bot/remote_actions.py``: a
message whose ``custom`` payload is ``{"icbot": {"action_failed": …,
"unreachable": …}}``), and the gateway answers that turn with its apology
(:meth:`ActionServerState.check_answer`): an action server that dies in the
middle of a turn.

A failed call also ends Rasa's turn listening, so the conversation's next
turn starts clean. (Before it did, a turn that reached Rasa while the
action server was gone tried one failing action after another until Rasa's
circuit breaker stopped it, and every later turn tripped the breaker at
once; the gateway asked ``/health`` before every turn to keep turns away,
a loopback request per turn on both sides.) Once a turn found the action
server unreachable, the next turns get the apology without reaching Rasa
(:meth:`ActionServerState.require`); at most once per ``recheck`` seconds,
one of them asks ``/health`` first, and the first 200 puts the action
server back in service.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

PAYLOAD_KEY = "icbot"  # bot/remote_actions.py writes the same key
DEFAULT_RECHECK = 1.0


class ActionsDown(Exception):
    """The action server cannot run the turn's actions."""


def failed_action(customs: Sequence[dict[str, Any]]) -> tuple[str, bool] | None:
    """The action a failure message of Rasa's answer names, and whether nothing answered."""
    for custom in customs:
        failure = custom.get(PAYLOAD_KEY)
        if isinstance(failure, dict) and failure.get("action_failed"):
            return str(failure["action_failed"]), bool(failure.get("unreachable"))
    return None


class ActionServerState:
    """Whether turns may go to Rasa, as far as the action server goes."""

    def __init__(
        self,
        healthy: Callable[[], Awaitable[bool]],
        *,
        recheck: float = DEFAULT_RECHECK,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._healthy = healthy
        self._recheck = recheck
        self._clock = clock
        self._down = False
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    @property
    def down(self) -> bool:
        """Whether the last turn or check found the action server unreachable."""
        return self._down

    def mark_down(self) -> None:
        """A turn found nothing at the action server's address."""
        self._down = True
        self._checked_at = self._clock()

    async def require(self) -> None:
        """Return when turns may go to Rasa.

        Raises:
            ActionsDown: the action server was unreachable, and still is (or
                was checked less than ``recheck`` seconds ago).
        """
        if not self._down:
            return
        async with self._lock:  # one check for every turn waiting on it
            if self._down and self._clock() - self._checked_at >= self._recheck:
                self._checked_at = self._clock()
                self._down = not await self._healthy()
        if self._down:
            raise ActionsDown("the action server is down")

    def check_answer(self, customs: Sequence[dict[str, Any]]) -> None:
        """Raise when Rasa's answer says a custom action failed; note an unreachable server.

        Raises:
            ActionsDown: an action of the turn failed.
        """
        failure = failed_action(customs)
        if failure is None:
            return
        action, unreachable = failure
        if unreachable:
            self.mark_down()
            raise ActionsDown(f"the action server is down ({action} could not reach it)")
        raise ActionsDown(f"the action server failed to run {action}")
