"""Messages received under a provider's id: handled once, however often they arrive.

An SMS provider retries a webhook that got no answer in time, and a retry
may reach another gateway process. A door therefore claims the message id
before asking the bot, commits the claim, and stores the answer afterwards::

    claim = claim_message(uow, message_id=sid, ...)   # then uow.commit()
    if claim.state is ClaimState.CLAIMED:
        ...ask the bot...
        answer_message(uow, message_id=sid, reply=texts)   # then uow.commit()

The database's unique key on the id decides between two requests that
arrive at once: one claims, the other sees the claim in progress. A claim
whose handler died (older than ``stale_after``) is taken over by the next retry.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from ..errors import Conflict, InvalidRequest
from ..models import InboundMessage, InboundMessageStatus
from ..uow import UnitOfWork
from .dates import now_or


class ClaimState(enum.Enum):
    """What the caller of :func:`claim_message` has to do."""

    CLAIMED = "claimed"  # handle the message, then answer_message()
    ANSWERED = "answered"  # handled before: send the stored reply again
    IN_PROGRESS = "in_progress"  # another request is handling it right now


@dataclass(frozen=True)
class Claim:
    """The state of a received message, and its stored reply once answered."""

    state: ClaimState
    reply: list[str] = field(default_factory=list)


def claim_message(
    uow: UnitOfWork,
    *,
    message_id: str,
    channel: str,
    conversation_id: str,
    stale_after: dt.timedelta,
    now: dt.datetime | None = None,
) -> Claim:
    """Claim a received message for handling, or learn who handled it.

    The claim is visible to other processes once the caller commits.

    Raises:
        InvalidRequest: an empty message id.
        CrmUnavailable: the database cannot be reached.
    """
    key, at = _key(message_id), now_or(now)
    try:
        # Insert first: reading first would race with another process's insert.
        uow.inbound_messages.add(
            InboundMessage(
                message_id=key,
                channel=channel,
                conversation_id=conversation_id,
                status=InboundMessageStatus.PENDING,
                reply=[],
                claimed_at=at,
            )
        )
        uow.flush()
    except Conflict:
        pass  # received before; the unit of work rolled back our insert
    else:
        return Claim(ClaimState.CLAIMED)
    current = message_state(uow, message_id=key)
    if current is None:  # released between our insert and our read: try once more
        return claim_message(
            uow,
            message_id=key,
            channel=channel,
            conversation_id=conversation_id,
            stale_after=stale_after,
            now=at,
        )
    if current.state is ClaimState.IN_PROGRESS and uow.inbound_messages.take_over(
        key, claimed_before=at - stale_after, now=at
    ):
        return Claim(ClaimState.CLAIMED)
    return current


def message_state(uow: UnitOfWork, *, message_id: str) -> Claim | None:
    """Where a received message stands, or None when it was never claimed."""
    found = uow.inbound_messages.get_by(message_id=_key(message_id))
    if found is None:
        return None
    if found.status == InboundMessageStatus.ANSWERED:
        return Claim(ClaimState.ANSWERED, [str(text) for text in found.reply])
    return Claim(ClaimState.IN_PROGRESS)


def answer_message(
    uow: UnitOfWork, *, message_id: str, reply: list[str], now: dt.datetime | None = None
) -> InboundMessage:
    """Store the answer a claimed message got; a retry will get the same.

    Raises:
        InvalidRequest: the message was never claimed.
    """
    found = uow.inbound_messages.get_by(message_id=_key(message_id))
    if found is None:
        raise InvalidRequest(f"message {message_id!r} was not claimed")
    found.status = InboundMessageStatus.ANSWERED
    found.reply = list(reply)
    found.answered_at = now_or(now)
    uow.flush()
    return found


def release_message(uow: UnitOfWork, *, message_id: str) -> None:
    """Give up a claim that could not be handled, so a retry handles the message afresh."""
    found = uow.inbound_messages.get_by(message_id=_key(message_id))
    if found is not None and found.status == InboundMessageStatus.PENDING:
        uow.inbound_messages.remove(found)
        uow.flush()


def _key(message_id: str) -> str:
    key = message_id.strip()
    if not key:
        raise InvalidRequest("a received message needs its id")
    return key
