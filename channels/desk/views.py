"""What the desk's pages and streams show, read from the CRM as plain values.

Every function here runs in a worker thread with its own unit of work and
returns data only (no model objects), so rendering happens after the
database session is closed. Nothing here is HTML: the templates escape
everything they print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from crm_backend.errors import AccountNotFound
from crm_backend.models import Handoff, HandoffStatus, utcnow
from crm_backend.services import customer_view, handoff
from crm_backend.services.customer_view import CustomerView

from ..conversation_language import DEFAULT
from ..conversations.transcripts import buttons_of
from ..deps import UowFactory
from .bot_knew import Fact, facts
from .choices import chosen

REASONS = {
    "requested": "Asked for a person",
    "misunderstood": "The bot misunderstood twice",
    "complaint": "Complaint",
    "cancellation": "Cancellation",
    "large_order": "Order above the bot's limit",
}
CHANNELS = {"web": "Web chat", "sms": "SMS", "voice": "Phone"}


@dataclass(frozen=True)
class QueueRow:
    """One conversation in the queue or with an agent."""

    id: int
    conversation_id: str
    channel: str
    channel_label: str
    status: str
    reason: str
    reason_label: str
    account: str
    requested_at: str
    waited_seconds: int
    agent: str | None
    mine: bool
    # The conversation's language (channels.desk.languages adds it; views read only the CRM).
    language: str = DEFAULT


@dataclass(frozen=True)
class TranscriptLine:
    """One message of the conversation, as the customer saw it.

    ``text`` has no surrounding whitespace; a button the customer pressed
    reads as its title (``chose`` is then true), not as its payload.
    """

    id: int
    role: str
    text: str
    at: str
    author: str | None
    chose: bool = False


@dataclass(frozen=True)
class NoteLine:
    """An internal note."""

    text: str
    author: str
    at: str


@dataclass(frozen=True)
class ConversationView:
    """The conversation page: the handoff, the transcript, the customer, what the bot knew."""

    handoff: QueueRow
    detail: str
    wrap_up_code: str | None
    summary: str | None
    transcript: list[TranscriptLine]
    customer: CustomerView | None
    slots: list[Fact]
    notes: list[NoteLine]

    @property
    def workable(self) -> bool:
        """Whether the page offers reply, notes and wrap-up (the handoff is with an agent)."""
        return self.handoff.status == HandoffStatus.ASSIGNED


def queue(uows: UowFactory, *, agent_id: int, now: dt.datetime | None = None) -> list[QueueRow]:
    """Waiting conversations (most urgent first), then those agents have."""
    now = now or utcnow()
    with uows() as uow:
        return [_row(h, agent_id=agent_id, now=now) for h in handoff.active(uow)]


def queue_json(rows: list[QueueRow]) -> list[dict[str, Any]]:
    """The rows as JSON-able dicts (for the desk's API and stream)."""
    return [asdict(row) for row in rows]


def conversation(
    uows: UowFactory,
    *,
    handoff_id: int,
    agent_id: int,
    timezone: str,
    now: dt.datetime | None = None,
) -> ConversationView:
    """Everything the conversation page shows; its times of day in ``timezone``.

    Raises:
        HandoffNotFound: no handoff has that id.
    """
    now = now or utcnow()
    with uows() as uow:
        found = handoff.get_handoff(uow, handoff_id=handoff_id)
        customer = None
        if found.account_id is not None:
            try:
                customer = customer_view.customer_view(
                    uow, account_id=found.account_id, today=now.date(), timezone=timezone
                )
            except AccountNotFound:
                customer = None
        return ConversationView(
            handoff=_row(found, agent_id=agent_id, now=now),
            detail=found.detail,
            wrap_up_code=found.wrap_up_code,
            summary=found.summary,
            transcript=transcript(uows, conversation_id=found.conversation_id, uow=uow),
            customer=customer,
            slots=facts(uow, found.slots or {}),
            notes=[
                NoteLine(text=n.text, author=n.agent.display_name, at=n.created_at.isoformat())
                for n in found.notes
            ],
        )


def transcript(
    uows: UowFactory, *, conversation_id: str, after: int = 0, uow: Any = None
) -> list[TranscriptLine]:
    """The conversation's messages after ``after``, oldest first."""
    if uow is None:
        with uows() as own:
            return transcript(uows, conversation_id=conversation_id, after=after, uow=own)
    entries = uow.transcripts.for_conversation(conversation_id)
    pushed = {e.text for e in entries if (e.payload or {}).get("pushed")}
    # The buttons offered so far (payload → title), read in order: a click is read
    # against the offers before it, all of them, since older buttons can still be pressed.
    offered: dict[str, str] = {}
    lines = []
    for e in entries:
        payload = e.payload or {}
        choice = chosen(e.text, offered) if e.role == "customer" else None
        if e.role == "bot":
            offered.update((b.payload.strip(), b.title) for b in buttons_of(payload))
        if e.id <= after or _copy_of_pushed(payload, e.text, pushed):
            continue
        lines.append(
            TranscriptLine(
                id=e.id,
                role=e.role,
                text=(choice or e.text).strip(),
                at=e.at.isoformat(),
                author=payload.get("agent"),
                chose=choice is not None,
            )
        )
    return lines


def _copy_of_pushed(payload: dict[str, Any], text: str, pushed: set[str]) -> bool:
    # The outbound SMS client notes every text it sends in the transcript; a
    # pushed message (an agent's answer, a notice) is already there as itself.
    return bool(payload.get("outbound")) and text in pushed


def handoff_status(uows: UowFactory, *, handoff_id: int) -> str:
    """The handoff's status now.

    Raises:
        HandoffNotFound: no handoff has that id.
    """
    with uows() as uow:
        return str(handoff.get_handoff(uow, handoff_id=handoff_id).status)


def _row(handoff: Handoff, *, agent_id: int, now: dt.datetime) -> QueueRow:
    account = handoff.account
    return QueueRow(
        id=handoff.id,
        conversation_id=handoff.conversation_id,
        channel=handoff.channel,
        channel_label=CHANNELS.get(handoff.channel, handoff.channel),
        status=str(handoff.status),
        reason=str(handoff.reason),
        reason_label=REASONS.get(str(handoff.reason), str(handoff.reason)),
        account=f"{account.name} ({account.customer_number})" if account else "not identified",
        requested_at=handoff.requested_at.isoformat(),
        waited_seconds=int(((handoff.assigned_at or now) - handoff.requested_at).total_seconds()),
        agent=handoff.agent.display_name if handoff.agent else None,
        mine=handoff.assigned_agent_id == agent_id,
    )
