"""The manager's figures: the queue now, and what handoffs the last days brought.

Containment is the share of conversations the bot finished without a person:
of the interactions started in the period, those whose conversation no agent
took over. A customer who asked for a person and went back to the bot before
anybody took the conversation was contained; one who waited and was served
by an agent was not. Days are counted in the desk's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..models import HandoffStatus
from ..uow import UnitOfWork
from .dates import now_or
from .handoff_queue import waiting


@dataclass(frozen=True)
class Day:
    """One day of the period: conversations, handoffs asked for, and taken by an agent."""

    day: dt.date
    conversations: int
    handoffs: int
    taken: int

    @property
    def containment(self) -> float | None:
        """The share of the day's conversations no agent took over (None without any)."""
        if not self.conversations:
            return None
        return max(self.conversations - self.taken, 0) / self.conversations


@dataclass(frozen=True)
class DeskReport:
    """The queue now and the period's handoffs, by reason, channel and day."""

    queue_length: int
    longest_wait: dt.timedelta
    average_wait_now: dt.timedelta
    average_pickup: dt.timedelta | None
    assigned_now: int
    by_reason: dict[str, int]
    by_channel: dict[str, int]
    days: list[Day]
    conversations: int
    taken: int

    @property
    def containment(self) -> float | None:
        """The share of the period's conversations the bot finished without a person."""
        if not self.conversations:
            return None
        return max(self.conversations - self.taken, 0) / self.conversations


def desk_report(
    uow: UnitOfWork,
    *,
    days: int = 14,
    timezone: str = "Europe/Paris",
    now: dt.datetime | None = None,
) -> DeskReport:
    """The figures for the manager's view, over the last ``days`` days (today included)."""
    now = now_or(now)
    zone = ZoneInfo(timezone)
    first_day = now.astimezone(zone).date() - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first_day, dt.time(0, 0), tzinfo=zone)
    queue = waiting(uow)
    waits = [now - h.requested_at for h in queue]
    handoffs = uow.handoffs.requested_since(since)
    pickups = [h.assigned_at - h.requested_at for h in handoffs if h.assigned_at is not None]
    # Only inbound contacts count: an outbound campaign call is not the bot's to contain.
    started = uow.interactions.started_since(since, direction="inbound")
    taken_conversations = {h.conversation_id for h in handoffs if h.assigned_at is not None}

    per_day_conversations = Counter(i.started_at.astimezone(zone).date() for i in started)
    per_day_handoffs = Counter(h.requested_at.astimezone(zone).date() for h in handoffs)
    per_day_taken = Counter(
        h.requested_at.astimezone(zone).date() for h in handoffs if h.assigned_at is not None
    )
    calendar = [first_day + dt.timedelta(days=n) for n in range(days)]
    return DeskReport(
        queue_length=len(queue),
        longest_wait=max(waits, default=dt.timedelta(0)),
        average_wait_now=_mean(waits) or dt.timedelta(0),
        average_pickup=_mean(pickups),
        assigned_now=len(uow.handoffs.in_status(HandoffStatus.ASSIGNED)),
        by_reason=dict(Counter(str(h.reason) for h in handoffs).most_common()),
        by_channel=dict(Counter(h.channel for h in handoffs).most_common()),
        days=[
            Day(
                day=day,
                conversations=per_day_conversations[day],
                handoffs=per_day_handoffs[day],
                taken=per_day_taken[day],
            )
            for day in calendar
        ],
        conversations=len({i.conversation_id or f"#{i.id}" for i in started}),
        taken=len(taken_conversations & {i.conversation_id for i in started}),
    )


def _mean(values: list[dt.timedelta]) -> dt.timedelta | None:
    if not values:
        return None
    return sum(values, dt.timedelta(0)) / len(values)
