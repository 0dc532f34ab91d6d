"""Wake-ups for the live views: something changed, look again.

The database is the truth every gateway process shares: the desk's streams
and the web chat's event feed read it again at a short interval, so a change
made by another process shows within that interval. A change made by this
process wakes them at once through :class:`LiveUpdates`, so an agent's
reply or a new conversation in the queue shows without that wait.
"""

from __future__ import annotations

import asyncio


class LiveUpdates:
    """A broadcast "something changed" for the coroutines of one event loop."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        """Wake every coroutine waiting in :meth:`wait` (call it from the event loop)."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self, timeout: float) -> bool:
        """Wait for a change, at most ``timeout`` seconds; True when woken by one."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(waiter)
        return True
