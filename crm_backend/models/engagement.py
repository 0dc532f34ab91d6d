"""Leads, activities, interactions, campaigns and call lists."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .accounts import Account
    from .catalog import Product


class LeadLevel(enum.StrEnum):
    """How ready to buy a lead is."""

    COLD = "cold"
    WARM = "warm"
    HOT = "hot"


class LeadStatus(enum.StrEnum):
    """Where a lead stands."""

    NEW = "new"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


class ActivityKind(enum.StrEnum):
    """A follow-up to do after a contact."""

    CALLBACK = "callback"
    SURVEY_CALL = "survey_call"
    EMAIL = "email"


class ActivityStatus(enum.StrEnum):
    """Where an activity stands."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Lead(Base):
    """A prospect's interest in a product, qualified by a script."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    source_channel: Mapped[str] = mapped_column(String(20))
    campaign_id: Mapped[Optional[int]] = mapped_column(ForeignKey("campaigns.id"))
    product_id: Mapped[Optional[int]] = mapped_column(ForeignKey("products.id"))
    product_interest: Mapped[str] = mapped_column(String(300), default="")
    qualification_answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    score: Mapped[int] = mapped_column(default=0)
    level: Mapped[LeadLevel] = mapped_column(String(10), default=LeadLevel.COLD)
    status: Mapped[LeadStatus] = mapped_column(String(20), default=LeadStatus.NEW)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    account: Mapped[Account] = relationship()
    product: Mapped[Optional[Product]] = relationship()
    campaign: Mapped[Optional[Campaign]] = relationship()


class Activity(Base):
    """A follow-up: a callback, a satisfaction-survey call, an e-mail."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[dt.datetime]
    owner: Mapped[str] = mapped_column(String(100), default="ic-team")
    status: Mapped[ActivityStatus] = mapped_column(String(10), default=ActivityStatus.OPEN)
    order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_orders.id"))
    interaction_id: Mapped[Optional[int]] = mapped_column(ForeignKey("interactions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship()


class Interaction(Base):
    """One contact with a customer on one channel, from start to end."""

    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10), default="inbound")
    account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), index=True)
    identity_confirmed: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[Optional[dt.datetime]]
    # How long the call lasted, as the phone network measured it (calls only).
    duration_seconds: Mapped[Optional[int]]
    outcome: Mapped[Optional[str]] = mapped_column(String(50))
    summary: Mapped[Optional[str]] = mapped_column(Text)
    quote_id: Mapped[Optional[int]] = mapped_column(ForeignKey("quotes.id"))
    order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sales_orders.id"))
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("leads.id"))
    campaign_id: Mapped[Optional[int]] = mapped_column(ForeignKey("campaigns.id"))
    # The call list entry an outbound contact worked (one interaction per attempt).
    call_list_entry_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("call_list_entries.id"), index=True
    )
    # An agent's wrap-up when a person took the conversation over (the desk).
    wrap_up_code: Mapped[Optional[str]] = mapped_column(String(50))
    wrap_up_summary: Mapped[Optional[str]] = mapped_column(Text)
    # Twilio's StirVerstat of a call: how far the network vouches for the caller number.
    stir_verstat: Mapped[Optional[str]] = mapped_column(String(60))
    # What the customer told us about us (praise, a suggestion), in their words, kept when said.
    feedback: Mapped[Optional[str]] = mapped_column(Text)
    feedback_kind: Mapped[Optional[str]] = mapped_column(String(20))
    # The satisfaction survey at the contact's end (crm_backend.services.satisfaction):
    # when it was asked (once per interaction), the score 1-5 and the optional comment.
    satisfaction_asked_at: Mapped[Optional[dt.datetime]]
    satisfaction_score: Mapped[Optional[int]]
    satisfaction_comment: Mapped[Optional[str]] = mapped_column(Text)
    satisfaction_answered_at: Mapped[Optional[dt.datetime]]

    account: Mapped[Optional[Account]] = relationship()


class Campaign(Base):
    """A marketing campaign: an offer, its script, its channel, dates and calling hours."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    product_id: Mapped[Optional[int]] = mapped_column(ForeignKey("products.id"))
    offer: Mapped[str] = mapped_column(String(500), default="")
    script: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    calling_hours_start: Mapped[dt.time] = mapped_column(default=dt.time(9, 0))
    calling_hours_end: Mapped[dt.time] = mapped_column(default=dt.time(19, 0))
    # Calls per entry at most, retries included, and the wait before a retry.
    max_attempts: Mapped[int] = mapped_column(default=3, server_default="3")
    retry_delay_minutes: Mapped[int] = mapped_column(default=60, server_default="60")
    # The one-way message: an SMS campaign's text; what a phone campaign says to
    # an answering machine (empty: hang up on machines).
    message: Mapped[str] = mapped_column(String(500), default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # An A/B test of the script (crm_backend/services/script_variants.py): its two
    # variants, the percentage of contacts that get B, and when the test ended by
    # keeping one (which then is ``script``).
    script_a: Mapped[Optional[str]] = mapped_column(String(100))
    script_b: Mapped[Optional[str]] = mapped_column(String(100))
    script_b_share: Mapped[int] = mapped_column(default=50, server_default="50")
    script_test_ended_at: Mapped[Optional[dt.datetime]]

    product: Mapped[Optional[Product]] = relationship()
    call_lists: Mapped[list[CallList]] = relationship(back_populates="campaign")


class CallList(Base):
    """The people to contact for a campaign, worked by the bot or by agents."""

    __tablename__ = "call_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    # "bot", "agents" (any agent) or one agent's username.
    assigned_to: Mapped[str] = mapped_column(String(50), default="bot")
    criteria: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="call_lists")
    entries: Mapped[list[CallListEntry]] = relationship(
        back_populates="call_list",
        cascade="all, delete-orphan",
        order_by="CallListEntry.priority.desc(), CallListEntry.id",
    )


class CallListEntry(Base):
    """One person on a call list, with priority, time window and outcome.

    ``pending`` → ``calling`` (claimed by the dialer or an agent) → ``done``,
    or back to ``pending`` for a retry; ``excluded`` never contacted. See
    docs/outbound.md.
    """

    __tablename__ = "call_list_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_list_id: Mapped[int] = mapped_column(
        ForeignKey("call_lists.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    lead_id: Mapped[Optional[int]] = mapped_column(ForeignKey("leads.id"))
    priority: Mapped[int] = mapped_column(default=0)
    # What the priority is made of: [[reason, points], ...] (empty: excluded, or built before).
    priority_basis: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    window_start: Mapped[dt.time] = mapped_column(default=dt.time(9, 0))
    window_end: Mapped[dt.time] = mapped_column(default=dt.time(19, 0))
    timezone: Mapped[str] = mapped_column(String(50), default="Europe/Paris")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    exclusion_reason: Mapped[Optional[str]] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[Optional[dt.datetime]]
    # Not to be tried again before this moment (a retry after no answer).
    next_attempt_at: Mapped[Optional[dt.datetime]]
    # Who holds the entry while it is ``calling``: "dialer" or an agent's username.
    claimed_by: Mapped[Optional[str]] = mapped_column(String(50))
    claimed_at: Mapped[Optional[dt.datetime]]
    # Twilio's id of the current or latest call; empty while a claim is unconfirmed.
    call_sid: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    # Who picked up the latest call, as answering-machine detection said.
    answered_by: Mapped[Optional[str]] = mapped_column(String(30))
    outcome: Mapped[Optional[str]] = mapped_column(String(50))
    notes: Mapped[Optional[str]] = mapped_column(Text)
    # The script this person is worked with (a variant of an A/B test); empty: the campaign's.
    script: Mapped[Optional[str]] = mapped_column(String(100))

    call_list: Mapped[CallList] = relationship(back_populates="entries")
    account: Mapped[Account] = relationship()


class TranscriptEntry(Base):
    """One message of a conversation, as the customer, the bot or an agent said it.

    Written by the doors before and after the bot answers, so a message is
    kept even when the bot is down.
    """

    __tablename__ = "transcript_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(10))  # customer, bot, agent, system
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InboundMessageStatus(enum.StrEnum):
    """Where the handling of a received message stands."""

    PENDING = "pending"
    ANSWERED = "answered"


class InboundMessage(Base):
    """A customer message a door received under its provider's id, and the answer it got.

    Providers retry a webhook that was not answered in time. A door claims the
    message id here before it asks the bot, so a retry (even on another
    gateway process) gets the stored answer and the bot runs once.
    """

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    conversation_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[InboundMessageStatus] = mapped_column(
        String(10), default=InboundMessageStatus.PENDING
    )
    # The answer's texts, in order; empty until answered (and for a message that gets none).
    reply: Mapped[list[Any]] = mapped_column(default=list)
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[Optional[dt.datetime]]


class ConversationLanguage(Base):
    """The language a conversation is held in, and what chose it.

    ``chosen_by``: ``switch`` (the customer asked for it), ``account`` (the
    identified account's preferred language), ``number`` (the company number
    called or texted), ``page`` (the web page's language), ``identifier`` (read
    from the first message) or ``default``. ``account_checked``: the
    identified account's preference was looked at, so it is not looked at again.
    """

    __tablename__ = "conversation_languages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    chosen_by: Mapped[str] = mapped_column(String(20))
    account_checked: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
