"""The agents' queue: its order, a customer's place in it, and the wait there.

The queue is most urgent first: by the reason's priority
(:data:`REASON_PRIORITY`: an order above the limit, then complaints and
cancellations, then the rest), then by the longest wait.

The wait comes from the desk's real state.
The agents on duty (a desk session used in the last minutes, at least one
counted) who have no conversation take the first in line about as fast as
the desk picked up lately. Beyond them, each agent frees up once per
handling time: the median of the last conversations agents finished, or
``ICBOT_HANDLE_MINUTES`` until there are some. Rounded up to whole rounds on
purpose: a promise kept beats a promise broken.
"""

from __future__ import annotations

import datetime as dt
import math

from ..models import Handoff, HandoffReason, HandoffStatus
from ..settings import HandoffSettings
from ..uow import UnitOfWork
from . import agents
from .dates import now_or

# Higher first in the queue.
REASON_PRIORITY = {
    HandoffReason.LARGE_ORDER: 3,
    HandoffReason.COMPLAINT: 2,
    HandoffReason.CANCELLATION: 2,
    HandoffReason.MISUNDERSTOOD: 1,
    HandoffReason.REQUESTED: 1,
}
# How many recent handoffs the estimate learns from.
HISTORY = 20
DEFAULT_PICKUP = dt.timedelta(minutes=1)


def waiting(uow: UnitOfWork) -> list[Handoff]:
    """The queue: waiting handoffs, most urgent first."""
    return list(uow.handoffs.in_status(HandoffStatus.WAITING))


def queue_position(uow: UnitOfWork, *, handoff: Handoff) -> int:
    """1 for the next to be taken; 0 when the handoff is not waiting."""
    ids = [h.id for h in waiting(uow)]
    return ids.index(handoff.id) + 1 if handoff.id in ids else 0


def estimate_wait(
    uow: UnitOfWork, *, position: int, settings: HandoffSettings, now: dt.datetime | None = None
) -> dt.timedelta:
    """How long the customer at ``position`` in the queue will likely wait (see above)."""
    now = now_or(now)
    recent = uow.handoffs.recently_taken(limit=HISTORY)
    handle = _median(
        [h.ended_at - h.assigned_at for h in recent if h.ended_at and h.assigned_at]
    ) or dt.timedelta(minutes=settings.handle_minutes)
    staff = max(agents.agents_on_duty(uow, now=now), 1)
    busy = len(uow.handoffs.in_status(HandoffStatus.ASSIGNED))
    free = max(staff - busy, 0)
    if position <= free:
        pickup = _median([h.assigned_at - h.requested_at for h in recent if h.assigned_at])
        return min(pickup or DEFAULT_PICKUP, handle)
    return handle * math.ceil((position - free) / staff)


def _median(values: list[dt.timedelta]) -> dt.timedelta | None:
    """The middle value (the upper one of an even count), None for no values."""
    return sorted(values)[len(values) // 2] if values else None
