"""Repositories: the only place that writes SQL queries for the services.

Repositories add and find; they never commit (the unit of work does). Each
has a SQL implementation here and an in-memory twin in ``tests/fakes.py``
for the fast unit tests of the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import func, or_, select, update
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


class CampaignRepository(SqlRepository[models.Campaign]):
    """Campaigns."""

    model = models.Campaign


class CallListRepository(SqlRepository[models.CallList]):
    """Call lists."""

    model = models.CallList


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
