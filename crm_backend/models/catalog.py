"""The product catalog: products, aliases, cross-sell relations and discount rules."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class RelationKind(enum.StrEnum):
    """How one product relates to another."""

    ACCESSORY = "accessory"
    ALTERNATIVE = "alternative"


class Product(Base):
    """Something the company sells."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Accent- and case-free name, for search.
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(50), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    specs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    list_price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    stock: Mapped[int] = mapped_column(default=0)
    # Days to replenish; None means what is in stock is all there will be.
    lead_time_days: Mapped[Optional[int]]
    active: Mapped[bool] = mapped_column(default=True)

    aliases: Mapped[list[ProductAlias]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductAlias.id"
    )
    relations: Mapped[list[ProductRelation]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        foreign_keys="ProductRelation.product_id",
        order_by="ProductRelation.rank",
    )

    def related(self, kind: RelationKind) -> list[Product]:
        """The related products of one kind, best ranked first."""
        return [r.related for r in self.relations if r.kind == kind and r.related.active]


class ProductAlias(Base):
    """Another name customers use for a product ("eclipse laptop")."""

    __tablename__ = "product_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200))
    search_alias: Mapped[str] = mapped_column(String(200), index=True)

    product: Mapped[Product] = relationship(back_populates="aliases")


class ProductRelation(Base):
    """An accessory or an alternative of a product."""

    __tablename__ = "product_relations"
    __table_args__ = (UniqueConstraint("product_id", "related_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    related_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    kind: Mapped[RelationKind] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="relations", foreign_keys=[product_id])
    # Loaded with the relation: offering accessories or alternatives reads them
    # all, and lazily that was one query per related product.
    related: Mapped[Product] = relationship(foreign_keys=[related_id], lazy="joined")


class DiscountRule(Base):
    """A volume discount: from ``min_quantity`` units, ``percent`` off.

    A rule names a product, a category, or neither (then it applies to all).
    The best matching rule wins; rules do not add up.
    """

    __tablename__ = "discount_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[Optional[int]] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    category: Mapped[Optional[str]] = mapped_column(String(50))
    min_quantity: Mapped[int]
    percent: Mapped[Decimal]
