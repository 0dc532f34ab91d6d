"""Reading the seeded rows back, for the seed's tests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_backend import models
from crm_backend.models import Account, Product

PIERRE = "C-100001"


def find_account(session: Session, number: str) -> Account:
    return session.scalars(select(Account).where(Account.customer_number == number)).one()


def find_product(session: Session, sku: str) -> Product:
    return session.scalars(select(Product).where(Product.sku == sku)).one()


def count_rows(session: Session, model: type[models.Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0
