"""The agent desk: agents and their sessions, handoffs from the bot, internal notes."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .accounts import Account


class AgentRole(enum.StrEnum):
    """What a desk user may do.

    Agents work the queue, managers also see the figures and prepare
    campaigns; trainers review what the bot did not understand
    (``/desk/review``), which managers may do too.
    """

    AGENT = "agent"
    MANAGER = "manager"
    TRAINER = "trainer"


class HandoffStatus(enum.StrEnum):
    """Where a handed-off conversation stands.

    ``waiting`` → ``assigned`` (an agent took it) → ``returned`` (back to the
    bot) or ``closed``; ``waiting`` → ``cancelled`` when the customer went
    back to the bot before anybody took it.
    """

    WAITING = "waiting"
    ASSIGNED = "assigned"
    RETURNED = "returned"
    CLOSED = "closed"
    CANCELLED = "cancelled"


ACTIVE_HANDOFF = (HandoffStatus.WAITING, HandoffStatus.ASSIGNED)


class HandoffReason(enum.StrEnum):
    """Why the bot handed a conversation to a person."""

    REQUESTED = "requested"
    MISUNDERSTOOD = "misunderstood"
    COMPLAINT = "complaint"
    CANCELLATION = "cancellation"
    LARGE_ORDER = "large_order"


class Agent(Base):
    """A person who works the desk; the password is kept only as an argon2id hash."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[AgentRole] = mapped_column(String(10), default=AgentRole.AGENT)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DeskSession(Base):
    """A logged-in browser: the cookie holds a random token, the table only its SHA-256.

    Kept on the server so that logging out, or disabling the agent, ends the
    session at once on every gateway process.
    """

    __tablename__ = "desk_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    # The synchronizer token every form of this session carries.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    # When the agent last showed a sign of life: who is on duty, for the wait estimate.
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    agent: Mapped[Agent] = relationship()


class Handoff(Base):
    """A conversation the bot handed to a person: the queue entry and what came of it."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    # Where an agent's answer goes on a phone channel (the customer's number), if known.
    reply_to: Mapped[Optional[str]] = mapped_column(String(50))
    account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), index=True)
    interaction_id: Mapped[Optional[int]] = mapped_column(ForeignKey("interactions.id"))
    reason: Mapped[HandoffReason] = mapped_column(String(20))
    # The customer's words that led to the handoff.
    detail: Mapped[str] = mapped_column(Text, default="")
    # The slots the bot had filled when it handed over.
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    priority: Mapped[int] = mapped_column(default=0)
    status: Mapped[HandoffStatus] = mapped_column(
        String(10), default=HandoffStatus.WAITING, index=True
    )
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    assigned_agent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agents.id"))
    assigned_at: Mapped[Optional[dt.datetime]]
    ended_at: Mapped[Optional[dt.datetime]]
    wrap_up_code: Mapped[Optional[str]] = mapped_column(String(50))
    summary: Mapped[Optional[str]] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    account: Mapped[Optional[Account]] = relationship()
    agent: Mapped[Optional[Agent]] = relationship()
    notes: Mapped[list[HandoffNote]] = relationship(
        back_populates="handoff", order_by="HandoffNote.id"
    )


class HandoffNote(Base):
    """An agent's internal note on a handoff; never shown to the customer."""

    __tablename__ = "handoff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id"), index=True)
    interaction_id: Mapped[Optional[int]] = mapped_column(ForeignKey("interactions.id"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    handoff: Mapped[Handoff] = relationship(back_populates="notes")
    agent: Mapped[Agent] = relationship()


# What a reviewer marks a message as when it is about nothing the bot does.
OUT_OF_SCOPE = "out_of_scope"


class ReviewMark(Base):
    """A reviewer's verdict on one customer message: the intent it should have had.

    The message is the user event of Rasa's tracker store stamped
    ``event_timestamp`` in ``conversation_id``; ``text`` holds its words with
    the personal data already replaced by placeholders (:mod:`crm_backend.redact`),
    so this table keeps nothing personal and the export needs no tracker.
    """

    __tablename__ = "review_marks"
    __table_args__ = (UniqueConstraint("conversation_id", "event_timestamp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    event_timestamp: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    predicted_intent: Mapped[Optional[str]] = mapped_column(String(100))
    intent: Mapped[str] = mapped_column(String(100))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
