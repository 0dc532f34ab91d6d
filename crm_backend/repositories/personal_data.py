"""A person's traces across tables, found and removed for erasure and retention.

The one repository that mirrors no model module: it reaches transcripts,
interactions, handoffs and their notes, received messages, activities,
verification failures and the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, cast, delete, func, literal, or_, select, update
from sqlalchemy.orm import Session

from .. import models

# What a review mark's conversation id becomes once past the retention period.
PURGED = "purged-"


class PersonalDataRepository:
    """Finds and removes a person's traces across tables, for erasure and retention.

    Searches are case-insensitive substring matches of identifiers (a phone
    number in its usual forms, an e-mail address) in the columns where the
    doors write free text or conversation ids.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def remove(self, row: models.Base) -> None:
        """Delete one row, at the next flush."""
        self.session.delete(row)

    def conversations_mentioning(self, needles: Sequence[str]) -> set[str]:
        """Ids of conversations whose id, transcript or payload contains one of ``needles``."""
        terms = [n.lower() for n in needles if n]
        if not terms:
            return set()
        found: set[str] = set()
        transcript = models.TranscriptEntry
        columns = (
            func.lower(transcript.conversation_id),
            func.lower(transcript.text),
            func.lower(cast(transcript.payload, String)),
        )
        stmt = select(transcript.conversation_id).where(
            or_(*(column.contains(t, autoescape=True) for column in columns for t in terms))
        )
        found.update(self.session.scalars(stmt.distinct()))
        interaction, handoff = models.Interaction, models.Handoff
        searched: list[tuple[Any, tuple[Any, ...]]] = [
            (
                interaction.conversation_id,
                (interaction.conversation_id, interaction.summary, interaction.wrap_up_summary),
            ),
            (
                handoff.conversation_id,
                (
                    handoff.conversation_id,
                    handoff.reply_to,
                    handoff.detail,
                    handoff.summary,
                    cast(handoff.slots, String),
                ),
            ),
            (models.InboundMessage.conversation_id, (models.InboundMessage.conversation_id,)),
        ]
        for conversation_id, texts in searched:
            stmt = select(conversation_id).where(
                or_(
                    *(
                        func.lower(text).contains(t, autoescape=True)
                        for text in texts
                        for t in terms
                    )
                )
            )
            found.update(c for c in self.session.scalars(stmt.distinct()) if c)
        return found

    def activities_mentioning(self, needles: Sequence[str]) -> Sequence[models.Activity]:
        """Activities whose subject contains one of ``needles`` (a callback's number)."""
        terms = [n.lower() for n in needles if n]
        if not terms:
            return []
        subject = func.lower(models.Activity.subject)
        stmt = select(models.Activity).where(
            or_(*(subject.contains(t, autoescape=True) for t in terms))
        )
        return self.session.scalars(stmt.order_by(models.Activity.id)).all()

    def outbox_mentioning(self, needle: str) -> Sequence[models.OutboxRecord]:
        """Outbox records whose payload contains ``needle`` (a customer number)."""
        payload = cast(models.OutboxRecord.payload, String)
        stmt = select(models.OutboxRecord).where(payload.contains(needle, autoescape=True))
        return self.session.scalars(stmt.order_by(models.OutboxRecord.id)).all()

    def delete_conversations(self, conversation_ids: Sequence[str]) -> int:
        """Delete the transcripts, received messages and review marks of these conversations.

        Returns how many rows. A review mark's words are redacted, but what is
        left of them is still the person's.
        """
        deleted = 0
        for model in (models.TranscriptEntry, models.InboundMessage, models.ReviewMark):
            column = model.conversation_id  # type: ignore[attr-defined]
            for start in range(0, len(conversation_ids), 500):
                batch = conversation_ids[start : start + 500]
                deleted += self._delete(delete(model).where(column.in_(batch)))
        return deleted

    def delete_verification_failures(self, account_id: int) -> int:
        """Forget the account's failed verifications; how many."""
        failure = models.VerificationFailure
        return self._delete(delete(failure).where(failure.account_id == account_id))

    def purge_before(self, cutoff: dt.datetime) -> dict[str, int]:
        """Delete conversation data older than ``cutoff``; how many rows of each kind.

        Transcripts and received messages go; a handoff that ended keeps its
        row (the desk's figures count it) but loses its notes, slots, the
        customer's words and the number it replied to; a review mark keeps its
        redacted words and intent but no longer names its conversation.
        """
        handoff, note = models.Handoff, models.HandoffNote
        old_handoffs = select(handoff.id).where(
            handoff.requested_at < cutoff, handoff.status.not_in(models.ACTIVE_HANDOFF)
        )
        counts = {
            "transcript entries": self._delete(
                delete(models.TranscriptEntry).where(models.TranscriptEntry.at < cutoff)
            ),
            "received messages": self._delete(
                delete(models.InboundMessage).where(models.InboundMessage.claimed_at < cutoff)
            ),
            "handoff notes": self._delete(
                delete(note).where(or_(note.created_at < cutoff, note.handoff_id.in_(old_handoffs)))
            ),
        }
        cleared = update(handoff).where(
            handoff.id.in_(old_handoffs),
            or_(
                cast(handoff.slots, String) != "{}",
                handoff.detail != "",
                handoff.reply_to.is_not(None),
                handoff.summary.is_not(None),
            ),
        )
        result = self.session.execute(
            cleared.values(slots={}, detail="", reply_to=None, summary=None).execution_options(
                synchronize_session=False
            )
        )
        counts["handoffs cleared"] = int(getattr(result, "rowcount", 0) or 0)
        # A review mark keeps its redacted words and intent (training data), not which
        # conversation they came from: its id may hold a phone number ("sms-+33...").
        mark = models.ReviewMark
        unlinked = update(mark).where(
            mark.created_at < cutoff, mark.conversation_id.not_like(f"{PURGED}%")
        )
        result = self.session.execute(
            unlinked.values(
                conversation_id=literal(PURGED) + cast(mark.id, String)
            ).execution_options(synchronize_session=False)
        )
        counts["review marks unlinked"] = int(getattr(result, "rowcount", 0) or 0)
        return counts

    def _delete(self, stmt: Any) -> int:
        result = self.session.execute(stmt.execution_options(synchronize_session=False))
        return int(getattr(result, "rowcount", 0) or 0)
