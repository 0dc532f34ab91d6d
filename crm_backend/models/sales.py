"""Quotes (offers), sales orders, their lines and the ERP outbox."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .accounts import Account
    from .catalog import Product


class QuoteStatus(enum.StrEnum):
    """Where a quote stands."""

    OPEN = "open"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REJECTED = "rejected"


class OrderStatus(enum.StrEnum):
    """Where a sales order stands."""

    CREATED = "created"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class Quote(Base):
    """An offer: products, quantities, prices and a delivery date, valid for a while."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Optional[str]] = mapped_column(String(20), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    status: Mapped[QuoteStatus] = mapped_column(String(10), default=QuoteStatus.OPEN)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    requested_delivery_date: Mapped[Optional[dt.date]]
    delivery_date: Mapped[dt.date]
    valid_until: Mapped[dt.date]
    feedback: Mapped[Optional[str]] = mapped_column(Text)
    feedback_at: Mapped[Optional[dt.datetime]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship()
    lines: Mapped[list[QuoteLine]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteLine.id"
    )


class QuoteLine(Base):
    """One product on a quote, priced."""

    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    unit_price: Mapped[Decimal]
    discount_percent: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    line_total: Mapped[Decimal]

    quote: Mapped[Quote] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()


class SalesOrder(Base):
    """A commitment to deliver products at a date, for the ERP to fulfil."""

    __tablename__ = "sales_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Optional[str]] = mapped_column(String(20), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    quote_id: Mapped[Optional[int]] = mapped_column(ForeignKey("quotes.id"))
    # One confirmation, one order: a retried confirmation carries the same key.
    idempotency_key: Mapped[Optional[str]] = mapped_column(String(200), unique=True)
    status: Mapped[OrderStatus] = mapped_column(String(10), default=OrderStatus.CREATED)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    promised_delivery_date: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    account: Mapped[Account] = relationship()
    quote: Mapped[Optional[Quote]] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    history: Mapped[list[OrderStatusChange]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderStatusChange.id"
    )


class OrderLine(Base):
    """One product on a sales order, priced."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("sales_orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    unit_price: Mapped[Decimal]
    discount_percent: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    line_total: Mapped[Decimal]

    order: Mapped[SalesOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()


class OrderStatusChange(Base):
    """One step of an order's life, kept for its history."""

    __tablename__ = "order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("sales_orders.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[OrderStatus] = mapped_column(String(10))
    note: Mapped[Optional[str]] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    order: Mapped[SalesOrder] = relationship(back_populates="history")


class OutboxRecord(Base):
    """An event waiting to be handed to the ERP, written in the same transaction."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    exported_at: Mapped[Optional[dt.datetime]] = mapped_column(index=True)
