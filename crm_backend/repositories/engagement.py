"""Repositories of :mod:`crm_backend.models.engagement`.

Leads, activities, interactions, campaigns and their call lists,
transcripts and received messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select, update

from .. import models
from .base import SqlRepository


class LeadRepository(SqlRepository[models.Lead]):
    """Leads."""

    model = models.Lead


class ActivityRepository(SqlRepository[models.Activity]):
    """Follow-up activities."""

    model = models.Activity


class InteractionRepository(SqlRepository[models.Interaction]):
    """Interaction records."""

    model = models.Interaction

    def started_since(
        self, moment: dt.datetime, *, direction: str = "inbound"
    ) -> Sequence[models.Interaction]:
        """Interactions of one direction started at or after ``moment``, oldest first."""
        stmt = (
            select(models.Interaction)
            .where(
                models.Interaction.started_at >= moment,
                models.Interaction.direction == direction,
            )
            .order_by(models.Interaction.started_at)
        )
        return self.session.scalars(stmt).all()

    def with_feedback(self, *, limit: int) -> Sequence[models.Interaction]:
        """The latest interactions that hold feedback, newest first."""
        stmt = (
            select(models.Interaction)
            .where(models.Interaction.feedback.is_not(None))
            .order_by(models.Interaction.started_at.desc(), models.Interaction.id.desc())
            .limit(limit)
        )
        return self.session.scalars(stmt).all()


class CampaignRepository(SqlRepository[models.Campaign]):
    """Campaigns."""

    model = models.Campaign


class CallListRepository(SqlRepository[models.CallList]):
    """Call lists."""

    model = models.CallList


class CallListEntryRepository(SqlRepository[models.CallListEntry]):
    """The people on call lists, as they are worked.

    An entry changes hands only by conditional UPDATEs (``WHERE status = ...``),
    so of two workers (dialers, agents, a status callback) at the same moment
    exactly one moves it, on SQLite or PostgreSQL.
    """

    model = models.CallListEntry

    def fresh(self, entry_id: int) -> models.CallListEntry | None:
        """The row as the database has it now (after a conditional UPDATE)."""
        return self.session.get(models.CallListEntry, entry_id, populate_existing=True)

    def waiting(
        self, *, assignees: Sequence[str], channel: str | None, now: dt.datetime
    ) -> Sequence[models.CallListEntry]:
        """Pending entries of active lists, of active campaigns, for ``assignees``, due by ``now``.

        A draft, paused or ended campaign's lists are not worked. Only
        campaigns on ``channel`` when given. Most urgent first: priority,
        then list order. Calling hours are the caller's to check.
        """
        entry = models.CallListEntry
        stmt = (
            select(entry)
            .join(models.CallList, entry.call_list_id == models.CallList.id)
            .join(models.Campaign, models.CallList.campaign_id == models.Campaign.id)
            .where(
                entry.status == "pending",
                or_(entry.next_attempt_at.is_(None), entry.next_attempt_at <= now),
                models.CallList.status == "active",
                models.Campaign.status == "active",
                models.CallList.assigned_to.in_(assignees),
            )
            .order_by(entry.priority.desc(), entry.id)
        )
        if channel is not None:
            stmt = stmt.where(models.Campaign.channel == channel)
        return self.session.scalars(stmt).all()

    def held(self, *, by: str) -> Sequence[models.CallListEntry]:
        """Entries in ``calling`` that ``by`` holds, oldest claim first."""
        stmt = (
            select(models.CallListEntry)
            .where(models.CallListEntry.status == "calling", models.CallListEntry.claimed_by == by)
            .order_by(models.CallListEntry.claimed_at, models.CallListEntry.id)
        )
        return self.session.scalars(stmt).all()

    def in_status(self, call_list_id: int) -> dict[str, int]:
        """How many entries of the list are in each status."""
        stmt = (
            select(models.CallListEntry.status, func.count())
            .where(models.CallListEntry.call_list_id == call_list_id)
            .group_by(models.CallListEntry.status)
        )
        return dict(self.session.execute(stmt).tuples().all())

    def move(self, entry_id: int, *, status: str, when: dict[str, Any], **values: Any) -> bool:
        """Set ``status`` and ``values`` if the entry's columns still equal ``when``, else False."""
        conditions = [models.CallListEntry.id == entry_id]
        conditions += [getattr(models.CallListEntry, key) == value for key, value in when.items()]
        stmt = (
            update(models.CallListEntry)
            .where(*conditions)
            .values(status=status, **values)
            .execution_options(synchronize_session=False)
        )
        result = self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0) == 1)


class TranscriptRepository(SqlRepository[models.TranscriptEntry]):
    """Conversation transcripts."""

    model = models.TranscriptEntry

    def latest_for(self, conversation_id: str, *, limit: int) -> Sequence[models.TranscriptEntry]:
        """The conversation's last ``limit`` entries, newest first."""
        stmt = (
            select(models.TranscriptEntry)
            .where(models.TranscriptEntry.conversation_id == conversation_id)
            .order_by(models.TranscriptEntry.id.desc())
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def after(
        self, conversation_id: str, *, after_id: int, limit: int
    ) -> Sequence[models.TranscriptEntry]:
        """The conversation's entries after ``after_id``, oldest first, at most ``limit``."""
        stmt = (
            select(models.TranscriptEntry)
            .where(
                models.TranscriptEntry.conversation_id == conversation_id,
                models.TranscriptEntry.id > after_id,
            )
            .order_by(models.TranscriptEntry.id)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def agent_lines_since(self, moment: dt.datetime) -> Sequence[models.TranscriptEntry]:
        """Agents' messages since ``moment`` in the conversations they took since, oldest first.

        Found through the conversations of those handoffs, whose index the query uses.
        """
        taken = select(models.Handoff.conversation_id).where(
            models.Handoff.requested_at >= moment, models.Handoff.assigned_at.is_not(None)
        )
        stmt = (
            select(models.TranscriptEntry)
            .where(
                models.TranscriptEntry.conversation_id.in_(taken),
                models.TranscriptEntry.role == "agent",
                models.TranscriptEntry.at >= moment,
            )
            .order_by(models.TranscriptEntry.at, models.TranscriptEntry.id)
        )
        return self.session.scalars(stmt).all()

    def for_conversation(self, conversation_id: str) -> Sequence[models.TranscriptEntry]:
        """Every entry of a conversation, oldest first."""
        stmt = (
            select(models.TranscriptEntry)
            .where(models.TranscriptEntry.conversation_id == conversation_id)
            .order_by(models.TranscriptEntry.id)
        )
        return self.session.scalars(stmt).all()


class InboundMessageRepository(SqlRepository[models.InboundMessage]):
    """Received messages by their provider's id, with their answers."""

    model = models.InboundMessage

    def remove(self, message: models.InboundMessage) -> None:
        """Delete the row, at the next flush."""
        self.session.delete(message)

    def take_over(self, message_id: str, *, claimed_before: dt.datetime, now: dt.datetime) -> bool:
        """Claim a message whose pending claim is older than ``claimed_before``.

        One conditional UPDATE, so of two processes taking over at once only one wins.
        """
        stmt = (
            update(models.InboundMessage)
            .where(
                models.InboundMessage.message_id == message_id,
                models.InboundMessage.status == models.InboundMessageStatus.PENDING,
                models.InboundMessage.claimed_at < claimed_before,
            )
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        result = self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0) == 1)


class ConversationLanguageRepository(SqlRepository[models.ConversationLanguage]):
    """Each conversation's language, by conversation id."""

    model = models.ConversationLanguage

    def of(self, conversation_id: str) -> models.ConversationLanguage | None:
        """The conversation's row, if its language was ever chosen."""
        return self.get_by(conversation_id=conversation_id)
