"""The agents' queue: its order, a customer's place in it, and the wait there.

The queue is most urgent first: by the reason's priority
(:data:`REASON_PRIORITY`: an order above the limit, then complaints and
cancellations, then the rest), then by the longest wait.

The wait comes from the desk's real state, told so that it neither swings
with one odd conversation nor promises what the desk cannot keep:

- **Handling time**: the median of the handling times (take to hand back or
  close) of the last :data:`HISTORY` conversations agents finished. Until
  there are :data:`MIN_HISTORY` of them, ``ICBOT_HANDLE_MINUTES`` stands in
  for the missing ones, so one conversation finished in 40 seconds does not
  turn "about 80 minutes" into "about 11". Kept between
  :data:`HANDLE_FLOOR` and :data:`HANDLE_CAP`.
- **Agents**: those on duty (a desk session used in the last minutes), and
  at least those holding a conversation now (an agent busy on a call for a
  while has not left), at least one.
- Agents who hold no conversation take the first in line about as fast as
  the desk picked up lately (the median, at most one handling time). Beyond
  them, each agent frees up once per handling time; rounded up to whole
  rounds on purpose: a promise kept beats a promise broken.
- The result is at least :data:`WAIT_FLOOR` and at most :data:`WAIT_CAP`;
  a wait at the cap is told as "over an hour", not as a number of minutes.
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
# How many recent handoffs the estimate learns from, and how many it needs to trust them alone.
HISTORY = 20
MIN_HISTORY = 5
DEFAULT_PICKUP = dt.timedelta(minutes=1)
HANDLE_FLOOR = dt.timedelta(minutes=1)
HANDLE_CAP = dt.timedelta(minutes=45)
WAIT_FLOOR = dt.timedelta(minutes=1)
WAIT_CAP = dt.timedelta(hours=1)


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
    handle = handling_time(uow, settings=settings)
    holding = {h.assigned_agent_id for h in uow.handoffs.in_status(HandoffStatus.ASSIGNED)}
    staff = max(agents.agents_on_duty(uow, now=now), len(holding), 1)
    free = staff - len(holding)
    if position <= free:
        recent = uow.handoffs.recently_taken(limit=HISTORY)
        pickup = _median([h.assigned_at - h.requested_at for h in recent if h.assigned_at])
        wait = min(pickup or DEFAULT_PICKUP, handle)
    else:
        wait = handle * math.ceil((position - free) / staff)
    return min(max(wait, WAIT_FLOOR), WAIT_CAP)


def handling_time(uow: UnitOfWork, *, settings: HandoffSettings) -> dt.timedelta:
    """How long an agent takes per conversation, for the estimate (see above)."""
    finished = uow.handoffs.recently_finished(limit=HISTORY)
    times = [h.ended_at - h.assigned_at for h in finished if h.ended_at and h.assigned_at]
    configured = dt.timedelta(minutes=settings.handle_minutes)
    times += [configured] * (MIN_HISTORY - len(times))
    middle = _median(times) or configured
    return min(max(middle, HANDLE_FLOOR), HANDLE_CAP)


def _median(values: list[dt.timedelta]) -> dt.timedelta | None:
    """The middle value (the upper one of an even count), None for no values."""
    return sorted(values)[len(values) // 2] if values else None
