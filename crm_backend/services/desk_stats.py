"""The manager's figures: the queue now, and what the period's conversations and handoffs did.

The period is the last ``days`` days in the desk's time zone, today
included. Two populations, each counted where it starts:

- **conversations**: the inbound interactions (one per contact) started in
  the period; outbound campaign calls are not the bot's to contain;
- **handoffs**: the requests for a person made in the period, whatever
  conversation they belong to.

Each figure's definition is the docstring of the :class:`DeskReport`
property that computes it, written for the manager: the page shows those
very words (:func:`definitions`), so the page and the code cannot drift
apart. The figures follow how contact centers count them: a conversation
that asked for a person is not contained, whether an agent took it, it is
still waiting, or the customer gave up.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..models import Handoff, HandoffReason, HandoffStatus, Interaction, TranscriptEntry
from ..uow import UnitOfWork
from .dates import now_or
from .handoff_queue import waiting

MAX_DAYS = 90


@dataclass(frozen=True)
class Durations:
    """Some durations in a few numbers: how many, the median and the 90th percentile."""

    count: int
    median: dt.timedelta | None
    p90: dt.timedelta | None

    @classmethod
    def of(cls, values: Iterable[dt.timedelta]) -> Durations:
        """The summary of ``values`` (the 90th percentile by nearest rank); None where empty."""
        ordered = sorted(values)
        if not ordered:
            return cls(count=0, median=None, p90=None)
        half, odd = divmod(len(ordered), 2)
        median = ordered[half] if odd else (ordered[half - 1] + ordered[half]) / 2
        p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
        return cls(count=len(ordered), median=median, p90=p90)


@dataclass(frozen=True)
class ReasonRow:
    """The period's handoffs of one reason, as the CRM records it (``large_order``)."""

    reason: str
    handoffs: int
    share: float
    abandoned: int
    waits: tuple[dt.timedelta, ...]

    @property
    def median_wait(self) -> dt.timedelta | None:
        """Median wait: the middle of the times these customers spent in the queue:
        until an agent took them, until they gave up, or until now for those still waiting."""
        return Durations.of(self.waits).median


@dataclass(frozen=True)
class Day:
    """One day of the period: its conversations by the day they started, its handoffs
    by the day they were asked for."""

    day: dt.date
    conversations: int
    asked: int
    handoffs: int
    taken: int
    abandoned: int

    @property
    def contained(self) -> int:
        """The day's conversations that never asked for a person."""
        return self.conversations - self.asked

    @property
    def containment(self) -> float | None:
        """The share of the day's conversations that never asked for a person (None without any)."""
        return self.contained / self.conversations if self.conversations else None


@dataclass(frozen=True)
class DeskReport:
    """The queue now, and the period's conversations and handoffs."""

    # The queue now.
    queue_length: int
    longest_wait: dt.timedelta
    average_wait_now: dt.timedelta
    assigned_now: int
    # The period.
    first_day: dt.date
    conversations: int
    asked: int
    handoffs: int
    taken: int
    abandoned: int
    still_waiting: int
    queue_waits: tuple[dt.timedelta, ...]
    first_responses: tuple[dt.timedelta, ...]
    handling_times: tuple[dt.timedelta, ...]
    by_reason: list[ReasonRow]
    by_channel: dict[str, int]
    days: list[Day]

    @property
    def contained(self) -> int:
        """The period's conversations that never asked for a person."""
        return self.conversations - self.asked

    @property
    def containment(self) -> float | None:
        """Contained: the share of the period's conversations the bot finished alone.
        A conversation that asked for a person is not contained, whether an agent took it,
        it is still waiting, or the customer gave up."""
        return self.contained / self.conversations if self.conversations else None

    @property
    def abandonment(self) -> float | None:
        """Abandoned: the share of the period's requests for a person that ended before
        an agent took them: the customer went back to the bot, or the conversation ended
        (a hang-up, a closed chat) while waiting."""
        return self.abandoned / self.handoffs if self.handoffs else None

    @property
    def queue_wait(self) -> Durations:
        """Wait for an agent: from the request for a person to an agent taking the
        conversation, for the requests an agent took."""
        return Durations.of(self.queue_waits)

    @property
    def first_response(self) -> Durations:
        """First response: from the request for a person to the agent's first message
        to the customer, for the requests an agent answered."""
        return Durations.of(self.first_responses)

    @property
    def handling(self) -> Durations:
        """Handling time: from an agent taking the conversation to handing it back to the
        bot or closing it, for the conversations agents finished."""
        return Durations.of(self.handling_times)


def definitions() -> list[tuple[str, str]]:
    """Each figure's definition, as its docstring says it: (the figure, the rest)."""
    figures = [
        DeskReport.containment,
        DeskReport.abandonment,
        DeskReport.queue_wait,
        DeskReport.first_response,
        DeskReport.handling,
        ReasonRow.median_wait,
    ]
    pairs = []
    for figure in figures:
        text = " ".join((inspect.getdoc(figure) or "").split())
        name, _, rest = text.partition(": ")
        pairs.append((name, rest[:1].upper() + rest[1:]))
    return pairs


def desk_report(
    uow: UnitOfWork,
    *,
    days: int = 14,
    timezone: str = "Europe/Paris",
    now: dt.datetime | None = None,
) -> DeskReport:
    """The figures for the manager's view, over the last ``days`` days (today included).

    Raises:
        ValueError: ``days`` is not between 1 and :data:`MAX_DAYS`.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"the period is 1 to {MAX_DAYS} days, not {days}")
    now = now_or(now)
    zone = ZoneInfo(timezone)
    first_day = now.astimezone(zone).date() - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first_day, dt.time(0, 0), tzinfo=zone)
    queue = waiting(uow)
    waits_now = [now - h.requested_at for h in queue]

    started = list(uow.interactions.started_since(since, direction="inbound"))
    handoffs = list(uow.handoffs.requested_since(since))
    interactions = _interactions_of(uow, handoffs, started)
    gave_up = {h.id: _abandoned_at(h, interactions.get(h.interaction_id or 0)) for h in handoffs}
    abandoned = [h for h in handoffs if gave_up[h.id] is not None]
    asked = _asked(started, handoffs)
    taken = [h for h in handoffs if h.assigned_at is not None]

    def day_of(moment: dt.datetime) -> dt.date:
        return moment.astimezone(zone).date()

    conversations_on = Counter(day_of(i.started_at) for i in started)
    asked_on = Counter(day_of(i.started_at) for i in started if i.id in asked)
    handoffs_on = Counter(day_of(h.requested_at) for h in handoffs)
    taken_on = Counter(day_of(h.requested_at) for h in taken)
    abandoned_on = Counter(day_of(h.requested_at) for h in abandoned)
    return DeskReport(
        queue_length=len(queue),
        longest_wait=max(waits_now, default=dt.timedelta(0)),
        average_wait_now=_mean(waits_now),
        assigned_now=len(uow.handoffs.in_status(HandoffStatus.ASSIGNED)),
        first_day=first_day,
        conversations=len(started),
        asked=len(asked),
        handoffs=len(handoffs),
        taken=len(taken),
        abandoned=len(abandoned),
        still_waiting=sum(
            1 for h in handoffs if h.status == HandoffStatus.WAITING and gave_up[h.id] is None
        ),
        queue_waits=tuple(h.assigned_at - h.requested_at for h in taken if h.assigned_at),
        first_responses=_first_responses(taken, uow.transcripts.agent_lines_since(since), now),
        handling_times=tuple(
            h.ended_at - h.assigned_at for h in taken if h.assigned_at and h.ended_at
        ),
        by_reason=_by_reason(handoffs, gave_up, now),
        by_channel=dict(Counter(h.channel for h in handoffs).most_common()),
        days=[
            Day(
                day=day,
                conversations=conversations_on[day],
                asked=asked_on[day],
                handoffs=handoffs_on[day],
                taken=taken_on[day],
                abandoned=abandoned_on[day],
            )
            for day in (first_day + dt.timedelta(days=n) for n in range(days))
        ],
    )


def _interactions_of(
    uow: UnitOfWork, handoffs: Sequence[Handoff], started: Sequence[Interaction]
) -> dict[int, Interaction]:
    """The handoffs' interactions by id: mostly among ``started``, a few began before."""
    known = {i.id: i for i in started}
    for interaction_id in {h.interaction_id for h in handoffs if h.interaction_id} - set(known):
        found = uow.interactions.get(interaction_id)
        if found is not None:
            known[interaction_id] = found
    return known


def _abandoned_at(handoff: Handoff, interaction: Interaction | None) -> dt.datetime | None:
    """When the customer gave up waiting, or None: left the queue, or the contact ended."""
    if handoff.assigned_at is not None:
        return None
    if handoff.status == HandoffStatus.CANCELLED:
        return handoff.ended_at or handoff.updated_at
    if interaction is not None and interaction.ended_at is not None:
        return max(interaction.ended_at, handoff.requested_at)
    return None


def _asked(started: Sequence[Interaction], handoffs: Sequence[Handoff]) -> set[int]:
    """The ids of the conversations in ``started`` that asked for a person.

    A handoff names its interaction; one that does not (rows older than that
    column) belongs to its conversation's contact that was open when it was asked for.
    """
    ids = {i.id for i in started}
    asked = {h.interaction_id for h in handoffs if h.interaction_id in ids}
    by_conversation: dict[str, list[Interaction]] = defaultdict(list)
    for interaction in started:
        if interaction.conversation_id:
            by_conversation[interaction.conversation_id].append(interaction)
    for handoff in handoffs:
        if handoff.interaction_id is not None:
            continue
        for interaction in by_conversation.get(handoff.conversation_id, []):
            if interaction.started_at <= handoff.requested_at and (
                interaction.ended_at is None or handoff.requested_at <= interaction.ended_at
            ):
                asked.add(interaction.id)
    return {i for i in asked if i is not None}


def _first_responses(
    taken: Sequence[Handoff], lines: Sequence[TranscriptEntry], now: dt.datetime
) -> tuple[dt.timedelta, ...]:
    """For each taken handoff an agent answered: its request to the first agent message
    sent while the agent had it."""
    by_conversation: dict[str, list[TranscriptEntry]] = defaultdict(list)
    for line in lines:
        by_conversation[line.conversation_id].append(line)
    found = []
    for handoff in taken:
        taken_at, until = handoff.assigned_at, handoff.ended_at or now
        if taken_at is None:
            continue
        first = next(
            (
                line.at
                for line in by_conversation.get(handoff.conversation_id, [])
                if taken_at <= line.at <= until
            ),
            None,
        )
        if first is not None:
            found.append(first - handoff.requested_at)
    return tuple(found)


def _by_reason(
    handoffs: Sequence[Handoff], gave_up: dict[int, dt.datetime | None], now: dt.datetime
) -> list[ReasonRow]:
    """Every reason the CRM knows (and any other it recorded), most frequent first."""
    reasons = [str(r) for r in HandoffReason]
    reasons += sorted({str(h.reason) for h in handoffs} - set(reasons))
    rows = []
    for reason in reasons:
        mine = [h for h in handoffs if str(h.reason) == reason]
        waits = tuple((h.assigned_at or gave_up[h.id] or now) - h.requested_at for h in mine)
        rows.append(
            ReasonRow(
                reason=reason,
                handoffs=len(mine),
                share=len(mine) / len(handoffs) if handoffs else 0.0,
                abandoned=sum(1 for h in mine if gave_up[h.id] is not None),
                waits=waits,
            )
        )
    # Stable: reasons with as many handoffs keep the CRM's order.
    return sorted(rows, key=lambda row: -row.handoffs)


def _mean(values: list[dt.timedelta]) -> dt.timedelta:
    if not values:
        return dt.timedelta(0)
    return sum(values, dt.timedelta(0)) / len(values)
