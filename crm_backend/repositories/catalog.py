"""Repositories of :mod:`crm_backend.models.catalog`: products and their discount rules."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import models
from ..text import normalize
from .base import SqlRepository


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

    def list_active(self, *, related: bool = False) -> Sequence[models.Product]:
        """Every active product, by name, with its aliases (read at once, not one by one).

        With ``related``, their accessories and alternatives are read at once too,
        so the products can be read after the session is gone.
        """
        options = [selectinload(models.Product.aliases)]
        if related:
            options.append(selectinload(models.Product.relations))
        stmt = select(models.Product).where(models.Product.active.is_(True)).options(*options)
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
