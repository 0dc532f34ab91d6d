"""Repositories of :mod:`crm_backend.models.desk`: agents, their sessions, handoffs and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, update

from .. import models
from .base import SqlRepository


class AgentRepository(SqlRepository[models.Agent]):
    """Desk agents and managers."""

    model = models.Agent


class DeskSessionRepository(SqlRepository[models.DeskSession]):
    """Logged-in desk browsers, by the hash of their token."""

    model = models.DeskSession

    def remove(self, desk_session: models.DeskSession) -> None:
        """Delete the row, at the next flush."""
        self.session.delete(desk_session)

    def agents_present(self, *, seen_since: dt.datetime, now: dt.datetime) -> int:
        """How many agents have a live session that showed a sign of life since ``seen_since``."""
        stmt = select(func.count(func.distinct(models.DeskSession.agent_id))).where(
            models.DeskSession.last_seen_at >= seen_since,
            models.DeskSession.expires_at > now,
        )
        return self.session.scalar(stmt) or 0

    def remove_expired(self, *, now: dt.datetime) -> int:
        """Delete the sessions that have expired; how many."""
        stmt = delete(models.DeskSession).where(models.DeskSession.expires_at <= now)
        result = self.session.execute(stmt.execution_options(synchronize_session=False))
        return int(getattr(result, "rowcount", 0) or 0)


class HandoffRepository(SqlRepository[models.Handoff]):
    """Handed-off conversations: the queue and what became of them.

    The two ways out of the queue (an agent takes it, the customer leaves it)
    are single conditional UPDATEs on ``status = 'waiting'``: of two at the
    same moment, on SQLite or PostgreSQL, exactly one changes the row.
    """

    model = models.Handoff

    def fresh(self, handoff_id: int) -> models.Handoff | None:
        """The row as the database has it now (after a conditional UPDATE)."""
        return self.session.get(models.Handoff, handoff_id, populate_existing=True)

    def active_for(self, conversation_id: str) -> models.Handoff | None:
        """The conversation's handoff that is waiting or assigned, if any."""
        stmt = (
            select(models.Handoff)
            .where(
                models.Handoff.conversation_id == conversation_id,
                models.Handoff.status.in_(models.ACTIVE_HANDOFF),
            )
            .order_by(models.Handoff.id.desc())
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    def latest_for(self, conversation_id: str) -> models.Handoff | None:
        """The conversation's latest handoff, whatever its status."""
        stmt = (
            select(models.Handoff)
            .where(models.Handoff.conversation_id == conversation_id)
            .order_by(models.Handoff.id.desc())
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    def in_status(self, *statuses: models.HandoffStatus) -> Sequence[models.Handoff]:
        """Handoffs in these statuses, most urgent first (priority, then longest waiting)."""
        stmt = (
            select(models.Handoff)
            .where(models.Handoff.status.in_(statuses))
            .order_by(
                models.Handoff.priority.desc(),
                models.Handoff.requested_at,
                models.Handoff.id,
            )
        )
        return self.session.scalars(stmt).all()

    def _move(self, handoff_id: int, *, status: str, **values: Any) -> bool:
        stmt = (
            update(models.Handoff)
            .where(
                models.Handoff.id == handoff_id,
                models.Handoff.status == models.HandoffStatus.WAITING,
            )
            .values(status=status, **values)
            .execution_options(synchronize_session=False)
        )
        result = self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0) == 1)

    def claim(self, handoff_id: int, *, agent_id: int, now: dt.datetime) -> bool:
        """Assign a waiting handoff to an agent; False when it was not waiting any more."""
        return self._move(
            handoff_id,
            status=models.HandoffStatus.ASSIGNED,
            assigned_agent_id=agent_id,
            assigned_at=now,
            updated_at=now,
        )

    def leave_queue(self, handoff_id: int, *, now: dt.datetime) -> bool:
        """Cancel a waiting handoff; False when an agent took it first."""
        return self._move(
            handoff_id, status=models.HandoffStatus.CANCELLED, ended_at=now, updated_at=now
        )

    def requested_since(self, moment: dt.datetime) -> Sequence[models.Handoff]:
        """Handoffs requested at or after ``moment``, oldest first."""
        stmt = (
            select(models.Handoff)
            .where(models.Handoff.requested_at >= moment)
            .order_by(models.Handoff.requested_at)
        )
        return self.session.scalars(stmt).all()

    def recently_finished(self, *, limit: int) -> Sequence[models.Handoff]:
        """The last ``limit`` handoffs an agent took and finished (handed back or closed)."""
        stmt = (
            select(models.Handoff)
            .where(
                models.Handoff.assigned_at.is_not(None),
                models.Handoff.ended_at.is_not(None),
            )
            .order_by(models.Handoff.ended_at.desc())
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def recently_taken(self, *, limit: int) -> Sequence[models.Handoff]:
        """The last ``limit`` handoffs an agent took, latest first."""
        stmt = (
            select(models.Handoff)
            .where(models.Handoff.assigned_at.is_not(None))
            .order_by(models.Handoff.assigned_at.desc())
            .limit(limit)
        )
        return self.session.scalars(stmt).all()


class HandoffNoteRepository(SqlRepository[models.HandoffNote]):
    """Agents' internal notes."""

    model = models.HandoffNote


class ReviewMarkRepository(SqlRepository[models.ReviewMark]):
    """Reviewers' verdicts on customer messages."""

    model = models.ReviewMark

    def for_message(self, conversation_id: str, event_timestamp: float) -> models.ReviewMark | None:
        """The mark of one message, or None."""
        return self.get_by(conversation_id=conversation_id, event_timestamp=event_timestamp)

    def for_conversations(self, conversation_ids: Sequence[str]) -> Sequence[models.ReviewMark]:
        """The marks of these conversations."""
        if not conversation_ids:
            return []
        stmt = select(models.ReviewMark).where(
            models.ReviewMark.conversation_id.in_(conversation_ids)
        )
        return self.session.scalars(stmt).all()

    def oldest_first(self) -> Sequence[models.ReviewMark]:
        """Every mark, the oldest first."""
        return self.session.scalars(select(models.ReviewMark).order_by(models.ReviewMark.id)).all()
