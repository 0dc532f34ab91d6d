"""The unit of work: one transaction, the repositories that share it.

Use it as a context manager; it rolls back unless ``commit()`` was called::

    with SqlAlchemyUnitOfWork(session_factory) as uow:
        order = services.orders.place_order(uow, account_id=..., lines=...)
        uow.commit()

Database errors are translated here, where they enter: a unique value taken
becomes :class:`~crm_backend.errors.Conflict`, a database that cannot be
reached becomes :class:`~crm_backend.errors.CrmUnavailable`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .errors import Conflict, CrmUnavailable
from .repositories.accounts import (
    AccountRepository,
    NumberConsentRepository,
    SuppressionRepository,
)
from .repositories.catalog import ProductRepository
from .repositories.desk import (
    AgentRepository,
    DeskSessionRepository,
    HandoffNoteRepository,
    HandoffRepository,
    ReviewMarkRepository,
)
from .repositories.engagement import (
    ActivityRepository,
    CallListEntryRepository,
    CallListRepository,
    CampaignRepository,
    ConversationLanguageRepository,
    InboundMessageRepository,
    InteractionRepository,
    LeadRepository,
    TranscriptRepository,
)
from .repositories.personal_data import PersonalDataRepository
from .repositories.sales import OrderRepository, OutboxRepository, QuoteRepository


class UnitOfWork(Protocol):
    """What services need: repositories, flush, commit and rollback."""

    accounts: AccountRepository
    products: ProductRepository
    quotes: QuoteRepository
    orders: OrderRepository
    leads: LeadRepository
    activities: ActivityRepository
    interactions: InteractionRepository
    campaigns: CampaignRepository
    call_lists: CallListRepository
    call_list_entries: CallListEntryRepository
    outbox: OutboxRepository
    transcripts: TranscriptRepository
    number_consents: NumberConsentRepository
    inbound_messages: InboundMessageRepository
    agents: AgentRepository
    desk_sessions: DeskSessionRepository
    handoffs: HandoffRepository
    handoff_notes: HandoffNoteRepository
    suppressions: SuppressionRepository
    personal_data: PersonalDataRepository
    review_marks: ReviewMarkRepository
    conversation_languages: ConversationLanguageRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def flush(self) -> None:
        """Send pending changes, so new rows get their ids."""

    def commit(self) -> None:
        """Make the changes permanent."""

    def rollback(self) -> None:
        """Throw the changes away."""


class SqlAlchemyUnitOfWork:
    """A unit of work over one SQLAlchemy session."""

    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self.session_factory()
        self.accounts = AccountRepository(self.session)
        self.products = ProductRepository(self.session)
        self.quotes = QuoteRepository(self.session)
        self.orders = OrderRepository(self.session)
        self.leads = LeadRepository(self.session)
        self.activities = ActivityRepository(self.session)
        self.interactions = InteractionRepository(self.session)
        self.campaigns = CampaignRepository(self.session)
        self.call_lists = CallListRepository(self.session)
        self.call_list_entries = CallListEntryRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.transcripts = TranscriptRepository(self.session)
        self.number_consents = NumberConsentRepository(self.session)
        self.inbound_messages = InboundMessageRepository(self.session)
        self.agents = AgentRepository(self.session)
        self.desk_sessions = DeskSessionRepository(self.session)
        self.handoffs = HandoffRepository(self.session)
        self.handoff_notes = HandoffNoteRepository(self.session)
        self.suppressions = SuppressionRepository(self.session)
        self.personal_data = PersonalDataRepository(self.session)
        self.review_marks = ReviewMarkRepository(self.session)
        self.conversation_languages = ConversationLanguageRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def flush(self) -> None:
        """Send pending changes, translating database errors."""
        try:
            self.session.flush()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(str(exc.orig)) from exc
        except OperationalError as exc:
            self.session.rollback()
            raise CrmUnavailable("the database cannot be reached") from exc

    def commit(self) -> None:
        """Commit, translating database errors."""
        try:
            self.session.commit()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(str(exc.orig)) from exc
        except OperationalError as exc:
            self.session.rollback()
            raise CrmUnavailable("the database cannot be reached") from exc

    def rollback(self) -> None:
        """Throw the changes away."""
        self.session.rollback()
