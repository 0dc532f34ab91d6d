"""The manager's satisfaction figures: CSAT and mean score per day, channel and path.

CSAT is the share of answers that are 4 or 5; the mean is the average score
(1 to 5). Both count the inbound interactions started in the period whose
customer answered the question; ``asked`` counts those that were asked, so
the response rate shows beside them. The path is ``bot only`` or ``handed
off``: handed off when an agent took the conversation over (as containment
counts it, :mod:`crm_backend.services.desk_stats`). Days are counted in the
desk's time zone, on the day the contact started.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..models import Interaction
from ..uow import UnitOfWork
from .dates import now_or
from .satisfaction import SATISFIED_FROM

BOT_ONLY = "bot only"
HANDED_OFF = "handed off"
CHANNELS = ("web", "sms", "voice")


@dataclass(frozen=True)
class Scores:
    """The answers of one group: how many were asked, answered, satisfied, and their sum."""

    asked: int = 0
    answered: int = 0
    satisfied: int = 0
    total: int = 0

    @property
    def csat(self) -> float | None:
        """The share of answers of 4 or 5 (None without any)."""
        return self.satisfied / self.answered if self.answered else None

    @property
    def mean(self) -> float | None:
        """The average score (None without any answer)."""
        return self.total / self.answered if self.answered else None

    @classmethod
    def of(cls, interactions: Iterable[Interaction]) -> Scores:
        """The scores of these interactions."""
        asked = answered = satisfied = total = 0
        for interaction in interactions:
            asked += interaction.satisfaction_asked_at is not None
            score = interaction.satisfaction_score
            if score is not None:
                answered += 1
                satisfied += score >= SATISFIED_FROM
                total += score
        return cls(asked=asked, answered=answered, satisfied=satisfied, total=total)


@dataclass(frozen=True)
class SatisfactionReport:
    """The period's scores overall, per day (oldest first), per channel and per path."""

    overall: Scores
    days: list[tuple[dt.date, Scores]]
    channels: dict[str, Scores]
    paths: dict[str, Scores]


def satisfaction_report(
    uow: UnitOfWork,
    *,
    days: int = 14,
    timezone: str = "Europe/Paris",
    now: dt.datetime | None = None,
) -> SatisfactionReport:
    """The scores of the inbound contacts of the last ``days`` days (today included)."""
    zone = ZoneInfo(timezone)
    first_day = now_or(now).astimezone(zone).date() - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first_day, dt.time(0, 0), tzinfo=zone)
    started = list(uow.interactions.started_since(since, direction="inbound"))
    taken = {h for h in uow.handoffs.requested_since(since) if h.assigned_at is not None}
    taken_interactions = {h.interaction_id for h in taken if h.interaction_id is not None}
    taken_conversations = {h.conversation_id for h in taken}

    def path(interaction: Interaction) -> str:
        handed = (
            interaction.id in taken_interactions
            or interaction.conversation_id in taken_conversations
        )
        return HANDED_OFF if handed else BOT_ONLY

    per_day: dict[dt.date, list[Interaction]] = defaultdict(list)
    per_channel: dict[str, list[Interaction]] = defaultdict(list)
    per_path: dict[str, list[Interaction]] = defaultdict(list)
    for interaction in started:
        per_day[interaction.started_at.astimezone(zone).date()].append(interaction)
        per_channel[interaction.channel].append(interaction)
        per_path[path(interaction)].append(interaction)
    calendar = [first_day + dt.timedelta(days=n) for n in range(days)]
    channels = [*CHANNELS, *sorted(set(per_channel) - set(CHANNELS))]
    return SatisfactionReport(
        overall=Scores.of(started),
        days=[(day, Scores.of(per_day[day])) for day in calendar],
        channels={channel: Scores.of(per_channel[channel]) for channel in channels},
        paths={name: Scores.of(per_path[name]) for name in (BOT_ONLY, HANDED_OFF)},
    )
