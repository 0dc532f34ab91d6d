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

from . import repositories as repos
from .errors import Conflict, CrmUnavailable


class UnitOfWork(Protocol):
    """What services need: repositories, flush, commit and rollback."""

    accounts: repos.AccountRepository
    products: repos.ProductRepository
    quotes: repos.QuoteRepository
    orders: repos.OrderRepository
    leads: repos.LeadRepository
    activities: repos.ActivityRepository
    interactions: repos.InteractionRepository
    campaigns: repos.CampaignRepository
    call_lists: repos.CallListRepository
    call_list_entries: repos.CallListEntryRepository
    outbox: repos.OutboxRepository
    transcripts: repos.TranscriptRepository
    number_consents: repos.NumberConsentRepository
    inbound_messages: repos.InboundMessageRepository
    agents: repos.AgentRepository
    desk_sessions: repos.DeskSessionRepository
    handoffs: repos.HandoffRepository
    handoff_notes: repos.HandoffNoteRepository
    suppressions: repos.SuppressionRepository
    personal_data: repos.PersonalDataRepository

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
        self.accounts = repos.AccountRepository(self.session)
        self.products = repos.ProductRepository(self.session)
        self.quotes = repos.QuoteRepository(self.session)
        self.orders = repos.OrderRepository(self.session)
        self.leads = repos.LeadRepository(self.session)
        self.activities = repos.ActivityRepository(self.session)
        self.interactions = repos.InteractionRepository(self.session)
        self.campaigns = repos.CampaignRepository(self.session)
        self.call_lists = repos.CallListRepository(self.session)
        self.call_list_entries = repos.CallListEntryRepository(self.session)
        self.outbox = repos.OutboxRepository(self.session)
        self.transcripts = repos.TranscriptRepository(self.session)
        self.number_consents = repos.NumberConsentRepository(self.session)
        self.inbound_messages = repos.InboundMessageRepository(self.session)
        self.agents = repos.AgentRepository(self.session)
        self.desk_sessions = repos.DeskSessionRepository(self.session)
        self.handoffs = repos.HandoffRepository(self.session)
        self.handoff_notes = repos.HandoffNoteRepository(self.session)
        self.suppressions = repos.SuppressionRepository(self.session)
        self.personal_data = repos.PersonalDataRepository(self.session)
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
