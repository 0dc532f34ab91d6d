"""Repositories of :mod:`crm_backend.models.sales`: quotes, orders, the ERP outbox."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from .. import models
from .base import SqlRepository


class QuoteRepository(SqlRepository[models.Quote]):
    """Quotes."""

    model = models.Quote


class OrderRepository(SqlRepository[models.SalesOrder]):
    """Sales orders."""

    model = models.SalesOrder


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
