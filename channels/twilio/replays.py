"""Twilio webhooks answered once: a retry or a replay gets the stored answer, the bot runs once.

Twilio retries a webhook that was not answered in time, and anyone who
captured a signed request can post it again. A door claims a key for the
request in the CRM (:mod:`crm_backend.services.inbound_messages`) before it
asks the bot, and stores its answer after: the same key, on any gateway
process, gets the same answer. A request arriving while the first is still
running waits for that answer.

The key comes from what Twilio signed (``MessageSid``; ``CallSid`` and the
turn of the call), so a replay cannot pick a fresh one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Awaitable, Callable

import anyio
from anyio import to_thread

from crm_backend.errors import CrmUnavailable
from crm_backend.services import inbound_messages
from crm_backend.services.inbound_messages import Claim, ClaimState

from ..deps import UowFactory

log = logging.getLogger(__name__)

# How often a waiting request looks whether the first one has answered.
POLL_INTERVAL = 0.2


def signed_key(*parts: str) -> str:
    """A claim key made of signed fields: a digest, short enough for the key column."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class Replies:
    """The claims of one door (``channel``) whose answers take at most ``budget`` seconds.

    :meth:`once` is the whole protocol; the other methods are its steps.
    """

    def __init__(self, uows: UowFactory, *, channel: str, budget: float) -> None:
        self.uows = uows
        self.channel = channel
        self.budget = budget

    async def once(
        self,
        key: str,
        conversation_id: str,
        respond: Callable[[], Awaitable[list[str]]],
        *,
        late: list[str],
    ) -> list[str]:
        """The answer to the request ``key``: stored before, another request's, or ``respond()``'s.

        The claim (which may wait on a locked database) and the wait for
        another request's answer run within the budget; past it, ``late``
        (an apology) is the answer. ``respond`` runs only for a new claim,
        or unguarded when the CRM is down; it must keep to what is left of
        the budget itself.
        """
        claim: Claim | None = None
        with anyio.move_on_after(self.budget) as in_time:
            claim = await self.claim(key, conversation_id)
            if claim is not None and claim.state is ClaimState.ANSWERED:
                return claim.reply
            if claim is not None and claim.state is ClaimState.IN_PROGRESS:
                return await self.wait_for_answer(key)
        if in_time.cancelled_caught:
            log.error("%s %s: no claim or answer within %.1f s", self.channel, key, self.budget)
            return late
        try:
            answer = await respond()
        except BaseException:
            if claim is not None:
                with anyio.CancelScope(shield=True):
                    await self.settle(key, None)
            raise
        if claim is not None:
            await self.settle(key, answer)
        return answer

    async def claim(self, key: str, conversation_id: str) -> Claim | None:
        """Claim the request; None when the CRM is down (the request is handled unguarded).

        A claim waiting on a locked database is abandoned when its caller's
        time is up (the caller's cancel scope): the door answers in time.
        """

        def claim() -> Claim:
            with self.uows() as uow:
                result = inbound_messages.claim_message(
                    uow,
                    message_id=key,
                    channel=self.channel,
                    conversation_id=conversation_id,
                    # A claim this old belongs to a request that died: Twilio gave up long ago.
                    stale_after=dt.timedelta(seconds=3 * self.budget + 15),
                )
                uow.commit()
                return result

        try:
            return await to_thread.run_sync(claim, abandon_on_cancel=True)
        except CrmUnavailable:
            log.exception(
                "%s request %s not claimed: a retry may run the bot again", *self._of(key)
            )
            return None

    async def wait_for_answer(self, key: str) -> list[str]:
        """The answer of a request another one is handling, once stored (the caller bounds it)."""

        def state() -> Claim | None:
            with self.uows() as uow:
                return inbound_messages.message_state(uow, message_id=key)

        while True:
            await anyio.sleep(POLL_INTERVAL)
            current = await to_thread.run_sync(state, abandon_on_cancel=True)
            if current is not None and current.state is ClaimState.ANSWERED:
                return current.reply

    async def settle(self, key: str, answer: list[str] | None) -> None:
        """Store the answer (``None``: release the claim so a retry handles the request)."""

        def store() -> None:
            with self.uows() as uow:
                if answer is None:
                    inbound_messages.release_message(uow, message_id=key)
                else:
                    inbound_messages.answer_message(uow, message_id=key, reply=answer)
                uow.commit()

        try:
            await to_thread.run_sync(store)
        except CrmUnavailable:
            log.exception(
                "the answer to %s %s is not stored: a retry may run the bot again", *self._of(key)
            )

    def _of(self, key: str) -> tuple[str, str]:
        return self.channel, key
