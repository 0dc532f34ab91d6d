"""Handoffs: the bot passes a conversation to a person, who hands it back or closes it.

The life of a handoff (:class:`~crm_backend.models.HandoffStatus`)::

    request_handoff ──▶ waiting ──take_handoff──▶ assigned ──hand_back──▶ returned
                           │                         └──────close_handoff──▶ closed
                           └──leave_queue (the customer goes back to the bot)──▶ cancelled

Whether the bot hands off at all is decided here, from
:class:`~crm_backend.settings.HandoffSettings`: a topic (complaint,
cancellation) only when it is in the configured list, and only within the
desk's opening hours; otherwise the caller offers a call back. The queue's
order, a customer's place in it and the wait they are told come from
:mod:`.handoff_queue`.

Leaving the queue is a conditional UPDATE on ``status = 'waiting'``
(:class:`~crm_backend.repositories.desk.HandoffRepository`), so two agents taking
the same conversation at once, or an agent and the customer who gives up,
never both win.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import HandoffNotFound, HandoffNotWaiting, InvalidRequest, NotYourHandoff
from ..models import (
    Agent,
    AgentRole,
    Handoff,
    HandoffNote,
    HandoffReason,
    HandoffStatus,
    TranscriptEntry,
)
from ..settings import HandoffSettings
from ..uow import UnitOfWork
from . import agents, conversation
from .dates import now_or
from .handoff_queue import REASON_PRIORITY, estimate_wait, queue_position

# The reasons that are topics, handed off only when ICBOT_HANDOFF_TOPICS names them.
TOPICS = {HandoffReason.COMPLAINT: "complaint", HandoffReason.CANCELLATION: "cancellation"}
HANDLED_BY_AGENT = "handled_by_agent"


class Outcome(enum.StrEnum):
    """What the bot should tell the customer after asking for a handoff."""

    QUEUED = "queued"
    DESK_CLOSED = "desk_closed"
    NOT_FOR_TOPIC = "not_for_topic"


@dataclass(frozen=True)
class HandoffDecision:
    """The answer to a request: queued (with position and wait), or why not (with the hours)."""

    outcome: Outcome
    handoff: Handoff | None = None
    position: int = 0
    wait: dt.timedelta = field(default=dt.timedelta(0))
    hours: str = ""


def request_handoff(
    uow: UnitOfWork,
    *,
    conversation_id: str,
    channel: str,
    reason: HandoffReason | str,
    settings: HandoffSettings,
    account_id: int | None = None,
    reply_to: str | None = None,
    detail: str = "",
    slots: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> HandoffDecision:
    """Put a conversation in the agents' queue, if a person should and can take it now.

    A conversation already in the queue (or with an agent) keeps its handoff:
    asking twice does not queue it twice. The handoff is linked to the
    conversation's interaction record, started if there is none.

    Args:
        account_id: the verified account, if any (never an unconfirmed candidate).
        reply_to: where an agent's answer goes on a phone channel (the customer's number).
        detail: the customer's words that led to the handoff.
        slots: what the bot knew, shown to the agent.

    Raises:
        InvalidRequest: an unknown reason, or no conversation id or channel.
        AccountNotFound: no account has ``account_id``.
    """
    now = now_or(now)
    try:
        reason = HandoffReason(reason)
    except ValueError:
        raise InvalidRequest(f"unknown handoff reason {reason!r}") from None
    if reason in TOPICS and TOPICS[reason] not in settings.topics:
        return HandoffDecision(outcome=Outcome.NOT_FOR_TOPIC, hours=settings.hours.describe())
    if not settings.hours.is_open(now):
        return HandoffDecision(outcome=Outcome.DESK_CLOSED, hours=settings.hours.describe())
    handoff = uow.handoffs.active_for(conversation_id.strip())
    if handoff is None:
        interaction = conversation.ensure_interaction(
            uow, channel=channel, conversation_id=conversation_id, account_id=account_id, now=now
        )
        handoff = Handoff(
            conversation_id=conversation_id.strip(),
            channel=channel.strip().lower(),
            reply_to=reply_to or None,
            account_id=account_id,
            interaction_id=interaction.id,
            reason=reason,
            detail=detail.strip()[:2000],
            slots=dict(slots or {}),
            priority=REASON_PRIORITY[reason],
            status=HandoffStatus.WAITING,
            requested_at=now,
            updated_at=now,
        )
        uow.handoffs.add(handoff)
        uow.flush()
    position = queue_position(uow, handoff=handoff)
    return HandoffDecision(
        outcome=Outcome.QUEUED,
        handoff=handoff,
        position=position,
        wait=estimate_wait(uow, position=position, settings=settings, now=now),
        hours=settings.hours.describe(),
    )


def get_handoff(uow: UnitOfWork, *, handoff_id: int) -> Handoff:
    """The handoff with that id.

    Raises:
        HandoffNotFound: there is none.
    """
    handoff = uow.handoffs.get(handoff_id)
    if handoff is None:
        raise HandoffNotFound(key=handoff_id)
    return handoff


def active_handoff_for(uow: UnitOfWork, *, conversation_id: str) -> Handoff | None:
    """The conversation's handoff that is waiting or with an agent: while there is one,
    the bot stays silent and the customer's messages go to the desk."""
    return uow.handoffs.active_for(conversation_id.strip())


def active(uow: UnitOfWork) -> list[Handoff]:
    """Waiting and assigned handoffs: the queue, then the conversations agents have."""
    return list(uow.handoffs.in_status(HandoffStatus.WAITING, HandoffStatus.ASSIGNED))


def take_handoff(
    uow: UnitOfWork, *, handoff_id: int, agent_id: int, now: dt.datetime | None = None
) -> Handoff:
    """Assign a waiting conversation to an agent: exactly one of several at once gets it.

    Raises:
        HandoffNotFound: no handoff has that id.
        AgentNotFound: no agent has that id.
        HandoffNotWaiting: another agent took it first, or the customer left the queue.
    """
    now = now_or(now)
    agents.get_agent(uow, agent_id=agent_id)
    if not uow.handoffs.claim(handoff_id, agent_id=agent_id, now=now):
        current = get_handoff(uow, handoff_id=handoff_id)
        raise HandoffNotWaiting(handoff_id=handoff_id, status=str(current.status))
    return _fresh(uow, handoff_id)


def leave_queue(uow: UnitOfWork, *, handoff_id: int, now: dt.datetime | None = None) -> Handoff:
    """The customer goes back to the bot before an agent took the conversation.

    Raises:
        HandoffNotFound: no handoff has that id.
        HandoffNotWaiting: an agent took it first (the customer now talks to the agent).
    """
    if not uow.handoffs.leave_queue(handoff_id, now=now_or(now)):
        current = get_handoff(uow, handoff_id=handoff_id)
        raise HandoffNotWaiting(handoff_id=handoff_id, status=str(current.status))
    return _fresh(uow, handoff_id)


def add_agent_message(
    uow: UnitOfWork,
    *,
    handoff_id: int,
    agent_id: int,
    text: str,
    now: dt.datetime | None = None,
) -> TranscriptEntry:
    """Write the agent's answer into the conversation's transcript (the doors deliver it).

    The entry is marked ``pushed``: it reaches the customer outside the bot's
    answers, by the web chat's event feed or an outbound SMS.

    Raises:
        HandoffNotFound, NotYourHandoff: see :func:`owned_handoff`.
        InvalidRequest: an empty message, or one over 2,000 characters.
    """
    handoff, agent = owned_handoff(uow, handoff_id=handoff_id, agent_id=agent_id)
    text = _text(text, what="a message")
    entry = TranscriptEntry(
        conversation_id=handoff.conversation_id,
        channel=handoff.channel,
        role="agent",
        text=text,
        payload={"pushed": True, "agent": agent.display_name, "handoff_id": handoff.id},
        at=now_or(now),
    )
    uow.transcripts.add(entry)
    uow.flush()
    return entry


def add_note(
    uow: UnitOfWork,
    *,
    handoff_id: int,
    agent_id: int,
    text: str,
    now: dt.datetime | None = None,
) -> HandoffNote:
    """Add an internal note, kept with the handoff and its interaction; never shown to the customer.

    Raises:
        HandoffNotFound, NotYourHandoff: see :func:`owned_handoff`.
        InvalidRequest: an empty note, or one over 2,000 characters.
    """
    handoff, agent = owned_handoff(uow, handoff_id=handoff_id, agent_id=agent_id)
    note = HandoffNote(
        handoff=handoff,
        interaction_id=handoff.interaction_id,
        agent=agent,
        text=_text(text, what="a note"),
        created_at=now_or(now),
    )
    uow.handoff_notes.add(note)
    uow.flush()
    return note


def hand_back(
    uow: UnitOfWork,
    *,
    handoff_id: int,
    agent_id: int,
    wrap_up_code: str,
    summary: str,
    settings: HandoffSettings,
    now: dt.datetime | None = None,
) -> Handoff:
    """The agent is done and the bot carries on; the wrap-up goes on the interaction record.

    Raises:
        HandoffNotFound, NotYourHandoff: see :func:`owned_handoff`.
        InvalidRequest: a wrap-up code not in the configured list.
    """
    return _finish(
        uow,
        handoff_id=handoff_id,
        agent_id=agent_id,
        status=HandoffStatus.RETURNED,
        wrap_up_code=wrap_up_code,
        summary=summary,
        settings=settings,
        now=now_or(now),
    )


def close_handoff(
    uow: UnitOfWork,
    *,
    handoff_id: int,
    agent_id: int,
    wrap_up_code: str,
    summary: str,
    settings: HandoffSettings,
    now: dt.datetime | None = None,
) -> Handoff:
    """The agent ends the conversation; its interaction ends too, handled by an agent.

    Raises:
        HandoffNotFound, NotYourHandoff: see :func:`owned_handoff`.
        InvalidRequest: a wrap-up code not in the configured list.
    """
    return _finish(
        uow,
        handoff_id=handoff_id,
        agent_id=agent_id,
        status=HandoffStatus.CLOSED,
        wrap_up_code=wrap_up_code,
        summary=summary,
        settings=settings,
        now=now_or(now),
    )


def owned_handoff(uow: UnitOfWork, *, handoff_id: int, agent_id: int) -> tuple[Handoff, Agent]:
    """A handoff this agent may work on: assigned to them, or they are a manager.

    Raises:
        HandoffNotFound: no handoff has that id.
        AgentNotFound: no agent has that id.
        NotYourHandoff: it is not assigned (any more), or assigned to somebody else.
    """
    handoff = get_handoff(uow, handoff_id=handoff_id)
    agent = agents.get_agent(uow, agent_id=agent_id)
    mine = handoff.assigned_agent_id == agent.id or agent.role == AgentRole.MANAGER
    if handoff.status != HandoffStatus.ASSIGNED or not mine:
        raise NotYourHandoff(handoff_id=handoff_id, agent_id=agent_id, status=str(handoff.status))
    return handoff, agent


def handoffs_for_conversation(uow: UnitOfWork, *, conversation_id: str) -> Sequence[Handoff]:
    """Every handoff of a conversation, newest first."""
    return uow.handoffs.list_by(conversation_id=conversation_id.strip())


def _finish(
    uow: UnitOfWork,
    *,
    handoff_id: int,
    agent_id: int,
    status: HandoffStatus,
    wrap_up_code: str,
    summary: str,
    settings: HandoffSettings,
    now: dt.datetime,
) -> Handoff:
    handoff, _agent = owned_handoff(uow, handoff_id=handoff_id, agent_id=agent_id)
    code = wrap_up_code.strip().lower()
    if code not in settings.wrap_up_codes:
        raise InvalidRequest(
            f"wrap-up code {wrap_up_code!r} is not one of {', '.join(settings.wrap_up_codes)}"
        )
    summary = summary.strip()[:4000]
    handoff.status = status
    handoff.wrap_up_code = code
    handoff.summary = summary or None
    handoff.ended_at = now
    handoff.updated_at = now
    interaction = uow.interactions.get(handoff.interaction_id) if handoff.interaction_id else None
    if interaction is not None:
        interaction.wrap_up_code = code
        interaction.wrap_up_summary = summary or None
        if status == HandoffStatus.CLOSED and interaction.ended_at is None:
            conversation.end_interaction(
                uow,
                interaction_id=interaction.id,
                outcome=HANDLED_BY_AGENT,
                summary=summary or f"handled by an agent: {code}",
                ended_at=max(now, interaction.started_at),
            )
    uow.flush()
    return handoff


def _fresh(uow: UnitOfWork, handoff_id: int) -> Handoff:
    handoff = uow.handoffs.fresh(handoff_id)
    if handoff is None:  # deleted between the UPDATE and now: nothing deletes handoffs
        raise HandoffNotFound(key=handoff_id)
    return handoff


def _text(text: str, *, what: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidRequest(f"{what} cannot be empty")
    if len(text) > 2000:
        raise InvalidRequest(f"{what} is limited to 2,000 characters")
    return text
