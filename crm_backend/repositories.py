"""Repositories: the only place that writes SQL queries for the services.

Repositories add and find; they never commit (the unit of work does). Each
has a SQL implementation here and an in-memory twin in ``tests/fakes.py``
for the fast unit tests of the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import String, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from . import models
from .text import normalize

T = TypeVar("T", bound=models.Base)


class SqlRepository(Generic[T]):
    """Add and find rows of one model."""

    model: type[T]

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, obj: T) -> T:
        """Stage a new row; it gets its id at the next flush."""
        self.session.add(obj)
        return obj

    def get(self, id_: int) -> T | None:
        """The row with that primary key, or None."""
        return self.session.get(self.model, id_)

    def get_by(self, **attrs: Any) -> T | None:
        """The first row whose columns equal ``attrs``, or None."""
        return self.session.scalars(select(self.model).filter_by(**attrs).limit(1)).first()

    def list_by(self, *, limit: int | None = None, **attrs: Any) -> Sequence[T]:
        """Rows whose columns equal ``attrs``, newest id first."""
        stmt = select(self.model).filter_by(**attrs).order_by(self.model.id.desc())  # type: ignore[attr-defined]
        if limit is not None:
            stmt = stmt.limit(limit)
        return self.session.scalars(stmt).all()

    def count(self) -> int:
        """How many rows there are."""
        return self.session.scalar(select(func.count()).select_from(self.model)) or 0


class AccountRepository(SqlRepository[models.Account]):
    """Accounts, found by their contact data."""

    model = models.Account

    def find_by_phone(self, number: str) -> Sequence[models.Account]:
        """Accounts with this E.164 phone number."""
        stmt = select(models.Account).join(models.Phone).where(models.Phone.number == number)
        return self.session.scalars(stmt.distinct().order_by(models.Account.id)).all()

    def find_by_email(self, address: str) -> Sequence[models.Account]:
        """Accounts with this e-mail address (lower-case)."""
        stmt = select(models.Account).join(models.Email).where(models.Email.address == address)
        return self.session.scalars(stmt.distinct().order_by(models.Account.id)).all()

    def search(self, text: str, *, limit: int = 50) -> Sequence[models.Account]:
        """Accounts whose name, number or postcode contains ``text``."""
        key = f"%{normalize(text)}%"
        stmt = (
            select(models.Account)
            .where(
                or_(
                    models.Account.search_name.like(key),
                    func.lower(models.Account.customer_number).like(key),
                    models.Account.postcode.like(key),
                )
            )
            .order_by(models.Account.id)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def add_verification_failure(self, failure: models.VerificationFailure) -> None:
        """Stage a failed identity check against an account."""
        self.session.add(failure)

    def verification_failures(
        self, account_id: int, *, since: dt.datetime | None = None
    ) -> Sequence[models.VerificationFailure]:
        """The account's failed identity checks (after ``since``, if given), newest first."""
        failure = models.VerificationFailure
        stmt = select(failure).where(failure.account_id == account_id)
        if since is not None:
            stmt = stmt.where(failure.at > since)
        return self.session.scalars(stmt.order_by(failure.at.desc(), failure.id.desc())).all()


class ProductRepository(SqlRepository[models.Product]):
    """The catalog."""

    model = models.Product

    def search(self, text: str, *, limit: int = 50) -> Sequence[models.Product]:
        """Active products whose name, alias, SKU or category contains ``text``."""
        key = f"%{normalize(text)}%"
        alias_match = select(models.ProductAlias.product_id).where(
            models.ProductAlias.search_alias.like(key)
        )
        stmt = (
            select(models.Product)
            .where(
                models.Product.active.is_(True),
                or_(
                    models.Product.search_name.like(key),
                    func.lower(models.Product.sku).like(key),
                    func.lower(models.Product.category).like(key),
                    models.Product.id.in_(alias_match),
                ),
            )
            .order_by(models.Product.name)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def list_active(self) -> Sequence[models.Product]:
        """Every active product, by name."""
        stmt = select(models.Product).where(models.Product.active.is_(True))
        return self.session.scalars(stmt.order_by(models.Product.name)).all()

    def discount_rules(self) -> Sequence[models.DiscountRule]:
        """Every volume discount rule."""
        return self.session.scalars(select(models.DiscountRule)).all()

    def take_stock(self, product: models.Product, quantity: int) -> None:
        """Take ``quantity`` units out of the product's stock, at the next flush.

        The database does the subtraction (``SET stock = stock - :quantity``),
        so two orders placed at once never lose one another's update, as
        reading, subtracting and writing back in Python would.
        """
        product.stock = models.Product.stock - quantity


class QuoteRepository(SqlRepository[models.Quote]):
    """Quotes."""

    model = models.Quote


class OrderRepository(SqlRepository[models.SalesOrder]):
    """Sales orders."""

    model = models.SalesOrder


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
        """Pending entries of active lists assigned to ``assignees``, due by ``now``.

        Only campaigns on ``channel`` when given. Most urgent first: priority,
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

    def for_conversation(self, conversation_id: str) -> Sequence[models.TranscriptEntry]:
        """Every entry of a conversation, oldest first."""
        stmt = (
            select(models.TranscriptEntry)
            .where(models.TranscriptEntry.conversation_id == conversation_id)
            .order_by(models.TranscriptEntry.id)
        )
        return self.session.scalars(stmt).all()


class NumberConsentRepository(SqlRepository[models.NumberConsent]):
    """Opt-ins and opt-outs of phone numbers, account or not."""

    model = models.NumberConsent


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


class OutboxRepository(SqlRepository[models.OutboxRecord]):
    """The ERP outbox."""

    model = models.OutboxRecord

    def pending(self, *, limit: int = 1000) -> Sequence[models.OutboxRecord]:
        """Records not exported yet, oldest first."""
        stmt = (
            select(models.OutboxRecord)
            .where(models.OutboxRecord.exported_at.is_(None))
            .order_by(models.OutboxRecord.id)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()


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


class SuppressionRepository(SqlRepository[models.Suppression]):
    """Salted hashes of numbers and addresses that must never be contacted again."""

    model = models.Suppression


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
        """Delete the transcripts and received messages of these conversations; how many rows."""
        deleted = 0
        for model in (models.TranscriptEntry, models.InboundMessage):
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
        customer's words and the number it replied to.
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
        return counts

    def _delete(self, stmt: Any) -> int:
        result = self.session.execute(stmt.execution_options(synchronize_session=False))
        return int(getattr(result, "rowcount", 0) or 0)
