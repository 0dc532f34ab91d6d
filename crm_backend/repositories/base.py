"""What every repository shares: add and find rows of one model.

Repositories add and find; they never commit (the unit of work does).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import models

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
