"""The catalog the words of an order are read against, read every half minute, not every message.

Reading order lines ("2 Vista 24 and a case for it", "with the warranty")
needs every active product with its aliases and accessories. Read as ORM
objects, that took about 2 ms per message, a fifth of the action server's
CPU per turn (py-spy under ``make bench-scaled``). A snapshot is read at
most once every :data:`MAX_AGE` seconds per process and detached from its
session: its products are values to match words against, never written.

What a snapshot may lag on is only what the words can mean: a product
renamed, added or retired in the CRM is understood within :data:`MAX_AGE`
seconds. The prices, stock and state of the lines a customer orders are
read afresh from the CRM when the lines are priced and the order placed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from crm_backend.models import Product

from . import runtime

MAX_AGE = 30.0  # seconds


@dataclass(frozen=True)
class _Snapshot:
    read_at: float
    factory: sessionmaker[Session]
    products: tuple[Product, ...]


class CatalogSnapshots:
    """The latest snapshot of the active catalog, read again when older than ``max_age``.

    A snapshot belongs to the session factory it was read with: tests (and a
    reconfigured process) that hand the actions another database get its catalog.
    """

    def __init__(
        self, *, max_age: float = MAX_AGE, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._latest: _Snapshot | None = None

    def products(self) -> Sequence[Product]:
        """Every active product, by name, with its aliases, accessories and alternatives.

        Raises:
            CrmUnavailable: the database cannot be reached and no fresh snapshot is at hand.
        """
        factory = runtime.session_factory()
        with self._lock:
            now = self._clock()
            latest = self._latest
            if latest is None or latest.factory is not factory or self._aged(latest, now):
                latest = _Snapshot(read_at=now, factory=factory, products=_read())
                self._latest = latest
            return latest.products

    def _aged(self, snapshot: _Snapshot, now: float) -> bool:
        return now - snapshot.read_at >= self._max_age


def _read() -> tuple[Product, ...]:
    with runtime.unit_of_work() as uow:
        products = tuple(uow.products.list_active(related=True))
        # Detached with everything loaded: readable in any thread, after the session is gone.
        uow.session.expunge_all()
    return products


_snapshots = CatalogSnapshots()


def catalog() -> Sequence[Product]:
    """The process's snapshot of the active catalog (see the module's docstring)."""
    return _snapshots.products()
