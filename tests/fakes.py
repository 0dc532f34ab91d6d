"""An in-memory unit of work, for fast unit tests of the services.

The fake repositories answer the same methods as the modules of ``crm_backend.repositories``
over plain model objects held in a :class:`FakeStore`. A flush does what the
database would do for the services' purposes: it takes in the objects
reachable through relationships, fills column defaults, hands out ids, sets
foreign keys from relationships (and relationships from foreign keys), and
refuses a duplicate unique value with :class:`~crm_backend.errors.Conflict`.
Queries flush first, as the SQL session's autoflush does.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, cast

from sqlalchemy import Table, UniqueConstraint, inspect
from sqlalchemy.orm import Mapper, RelationshipDirection

from crm_backend import models
from crm_backend.errors import Conflict
from crm_backend.text import normalize

T = TypeVar("T", bound=models.Base)


class FakeStore:
    """Every object the fake session knows, by model class, in the order they were added."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Base], list[models.Base]] = defaultdict(list)
        self.new: list[models.Base] = []
        self._ids: dict[type[models.Base], Iterator[int]] = defaultdict(lambda: itertools.count(1))

    def add(self, obj: models.Base) -> None:
        """Stage an object (and, at the next flush, whatever it refers to)."""
        if not self._known(obj):
            self.rows[type(obj)].append(obj)
            self.new.append(obj)

    def of(self, model: type[T]) -> list[T]:
        """The objects of one model, in id order, after a flush."""
        self.flush()
        rows = cast(list[T], self.rows[model])
        return sorted(rows, key=lambda o: cast(int, o.id))  # type: ignore[attr-defined]

    def flush(self) -> None:
        """Cascade, fill defaults and ids, sync keys, check unique values."""
        self._cascade()
        for obj in [o for objs in self.rows.values() for o in objs]:
            self._fill_defaults(obj)
        for obj in [o for objs in self.rows.values() for o in objs]:
            self._sync_relationships(obj)
        self._check_unique()

    def forget_new(self) -> None:
        """Drop the objects added since the last commit, as a rollback would."""
        dropped = {id(o) for o in self.new}
        for model, objs in self.rows.items():
            self.rows[model] = [o for o in objs if id(o) not in dropped]
        self.new.clear()

    def _known(self, obj: models.Base) -> bool:
        return any(o is obj for o in self.rows[type(obj)])

    def _cascade(self) -> None:
        pending = [o for objs in self.rows.values() for o in objs]
        while pending:
            obj = pending.pop()
            for rel in _mapper(obj).relationships:
                value = getattr(obj, rel.key)
                related = value if rel.uselist else [value] if value is not None else []
                for other in related:
                    if not self._known(other):
                        self.add(other)
                        pending.append(other)

    def _fill_defaults(self, obj: models.Base) -> None:
        mapper = _mapper(obj)
        for attr in mapper.column_attrs:
            column = attr.columns[0]
            if column.primary_key:
                if getattr(obj, attr.key) is None:
                    setattr(obj, attr.key, next(self._ids[type(obj)]))
            elif getattr(obj, attr.key) is None and column.default is not None:
                default = column.default
                value = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined,operator]
                setattr(obj, attr.key, value)

    def _sync_relationships(self, obj: models.Base) -> None:
        mapper = _mapper(obj)
        for rel in mapper.relationships:
            if rel.direction is RelationshipDirection.MANYTOONE:
                self._sync_many_to_one(obj, mapper, rel)
            elif rel.direction is RelationshipDirection.ONETOMANY:
                for child in getattr(obj, rel.key):
                    child_mapper = _mapper(child)
                    for parent_col, child_col in rel.local_remote_pairs or ():
                        key = child_mapper.get_property_by_column(child_col).key
                        parent_key = mapper.get_property_by_column(parent_col).key
                        setattr(child, key, getattr(obj, parent_key))

    def _sync_many_to_one(self, obj: models.Base, mapper: Mapper[Any], rel: Any) -> None:
        related = getattr(obj, rel.key)
        pairs = rel.local_remote_pairs or ()
        if related is not None:
            for local_col, remote_col in pairs:
                remote_key = _mapper(related).get_property_by_column(remote_col).key
                setattr(
                    obj, mapper.get_property_by_column(local_col).key, getattr(related, remote_key)
                )
            return
        # Only a foreign key was set: find what it points to, as a lazy load would.
        target = rel.mapper.class_
        for local_col, remote_col in pairs:
            fk = getattr(obj, mapper.get_property_by_column(local_col).key)
            if fk is None:
                return
            remote_key = rel.mapper.get_property_by_column(remote_col).key
            found = next((o for o in self.rows[target] if getattr(o, remote_key) == fk), None)
            if found is not None:
                setattr(obj, rel.key, found)

    def _check_unique(self) -> None:
        for model, objs in self.rows.items():
            table = cast(Table, model.__table__)
            keys = [c for c in table.constraints if isinstance(c, UniqueConstraint)]
            for constraint in keys:
                attrs = [
                    _mapper_of(model).get_property_by_column(c).key for c in constraint.columns
                ]
                seen: set[tuple[Any, ...]] = set()
                for obj in objs:
                    value = tuple(getattr(obj, a) for a in attrs)
                    if None in value:
                        continue
                    if value in seen:
                        raise Conflict(f"UNIQUE constraint failed: {table.name}.{','.join(attrs)}")
                    seen.add(value)


def _mapper(obj: models.Base) -> Mapper[Any]:
    return _mapper_of(type(obj))


def _mapper_of(model: type[models.Base]) -> Mapper[Any]:
    return inspect(model)


class FakeRepository(Generic[T]):
    """Add and find objects of one model, like ``crm_backend.repositories.base.SqlRepository``."""

    model: type[T]

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def add(self, obj: T) -> T:
        """Stage a new object; it gets its id at the next flush."""
        self.store.add(obj)
        return obj

    def get(self, id_: int) -> T | None:
        """The object with that id, or None."""
        return next((o for o in self._all() if o.id == id_), None)  # type: ignore[attr-defined]

    def get_by(self, **attrs: Any) -> T | None:
        """The first object whose attributes equal ``attrs``, or None."""
        return next((o for o in self._all() if _matches(o, attrs)), None)

    def list_by(self, *, limit: int | None = None, **attrs: Any) -> Sequence[T]:
        """Objects whose attributes equal ``attrs``, newest id first."""
        found = [o for o in reversed(self._all()) if _matches(o, attrs)]
        return found[:limit] if limit is not None else found

    def count(self) -> int:
        """How many objects there are."""
        return len(self._all())

    def _all(self) -> list[T]:
        return self.store.of(self.model)


def _matches(obj: models.Base, attrs: dict[str, Any]) -> bool:
    return all(getattr(obj, key) == value for key, value in attrs.items())


class FakeAccountRepository(FakeRepository[models.Account]):
    model = models.Account

    def find_by_phone(self, number: str) -> Sequence[models.Account]:
        return [a for a in self._all() if any(p.number == number for p in a.phones)]

    def find_by_email(self, address: str) -> Sequence[models.Account]:
        return [a for a in self._all() if any(e.address == address for e in a.emails)]

    def search(self, text: str, *, limit: int = 50) -> Sequence[models.Account]:
        key = normalize(text)
        found = [
            a
            for a in self._all()
            if key in a.search_name or key in a.customer_number.lower() or key in (a.postcode or "")
        ]
        return found[:limit]

    def add_verification_failure(self, failure: models.VerificationFailure) -> None:
        self.store.add(failure)

    def verification_failures(
        self, account_id: int, *, since: dt.datetime | None = None
    ) -> Sequence[models.VerificationFailure]:
        found = [
            f
            for f in self.store.of(models.VerificationFailure)
            if f.account_id == account_id and (since is None or f.at > since)
        ]
        return sorted(found, key=lambda f: (f.at, f.id), reverse=True)


class FakeProductRepository(FakeRepository[models.Product]):
    model = models.Product

    def search(self, text: str, *, limit: int = 50) -> Sequence[models.Product]:
        key = normalize(text)
        found = [
            p
            for p in self._all()
            if p.active
            and (
                key in p.search_name
                or key in p.sku.lower()
                or key in p.category.lower()
                or any(key in a.search_alias for a in p.aliases)
            )
        ]
        return sorted(found, key=lambda p: p.name)[:limit]

    def list_active(self) -> Sequence[models.Product]:
        return sorted((p for p in self._all() if p.active), key=lambda p: p.name)

    def discount_rules(self) -> Sequence[models.DiscountRule]:
        return self.store.of(models.DiscountRule)

    def take_stock(self, product: models.Product, quantity: int) -> None:
        product.stock -= quantity


class FakeQuoteRepository(FakeRepository[models.Quote]):
    model = models.Quote


class FakeOrderRepository(FakeRepository[models.SalesOrder]):
    model = models.SalesOrder


class FakeLeadRepository(FakeRepository[models.Lead]):
    model = models.Lead


class FakeActivityRepository(FakeRepository[models.Activity]):
    model = models.Activity


class FakeInteractionRepository(FakeRepository[models.Interaction]):
    model = models.Interaction

    def with_feedback(self, *, limit: int) -> Sequence[models.Interaction]:
        found = [i for i in self._all() if i.feedback is not None]
        return sorted(found, key=lambda i: (i.started_at, i.id), reverse=True)[:limit]


class FakeCampaignRepository(FakeRepository[models.Campaign]):
    model = models.Campaign


class FakeCallListRepository(FakeRepository[models.CallList]):
    model = models.CallList


class FakeCallListEntryRepository(FakeRepository[models.CallListEntry]):
    model = models.CallListEntry

    def fresh(self, entry_id: int) -> models.CallListEntry | None:
        return self.get(entry_id)

    def waiting(
        self, *, assignees: Sequence[str], channel: str | None, now: Any
    ) -> Sequence[models.CallListEntry]:
        found = [
            e
            for e in self._all()
            if e.status == "pending"
            and (e.next_attempt_at is None or e.next_attempt_at <= now)
            and e.call_list.status == "active"
            and e.call_list.campaign.status == "active"
            and e.call_list.assigned_to in assignees
            and channel in (None, e.call_list.campaign.channel)
        ]
        return sorted(found, key=lambda e: (-e.priority, e.id))

    def held(self, *, by: str) -> Sequence[models.CallListEntry]:
        found = [e for e in self._all() if e.status == "calling" and e.claimed_by == by]
        return sorted(found, key=lambda e: (e.claimed_at, e.id))

    def in_status(self, call_list_id: int) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for entry in self._all():
            if entry.call_list_id == call_list_id:
                counts[entry.status] += 1
        return dict(counts)

    def move(self, entry_id: int, *, status: str, when: dict[str, Any], **values: Any) -> bool:
        entry = self.get(entry_id)
        if entry is None or not _matches(entry, when):
            return False
        for key, value in {"status": status, **values}.items():
            setattr(entry, key, value)
        return True


class FakeOutboxRepository(FakeRepository[models.OutboxRecord]):
    model = models.OutboxRecord

    def pending(self, *, limit: int = 1000) -> Sequence[models.OutboxRecord]:
        return [r for r in self._all() if r.exported_at is None][:limit]


class FakeNumberConsentRepository(FakeRepository[models.NumberConsent]):
    model = models.NumberConsent


class FakeAgentRepository(FakeRepository[models.Agent]):
    model = models.Agent


class FakeSuppressionRepository(FakeRepository[models.Suppression]):
    model = models.Suppression


class FakeUnitOfWork:
    """A unit of work over a :class:`FakeStore`; ``committed`` tells whether commit was called.

    Like the SQL one, it rolls back on exit. Unlike a database, a rollback
    forgets new objects but does not undo changes to objects that existed
    before; the services never rely on that.
    """

    def __init__(self, store: FakeStore | None = None) -> None:
        self.store = store or FakeStore()
        self.accounts = FakeAccountRepository(self.store)
        self.products = FakeProductRepository(self.store)
        self.quotes = FakeQuoteRepository(self.store)
        self.orders = FakeOrderRepository(self.store)
        self.leads = FakeLeadRepository(self.store)
        self.activities = FakeActivityRepository(self.store)
        self.interactions = FakeInteractionRepository(self.store)
        self.campaigns = FakeCampaignRepository(self.store)
        self.call_lists = FakeCallListRepository(self.store)
        self.call_list_entries = FakeCallListEntryRepository(self.store)
        self.outbox = FakeOutboxRepository(self.store)
        self.number_consents = FakeNumberConsentRepository(self.store)
        self.agents = FakeAgentRepository(self.store)
        self.suppressions = FakeSuppressionRepository(self.store)
        self.committed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def flush(self) -> None:
        self.store.flush()

    def commit(self) -> None:
        self.store.flush()
        self.store.new.clear()
        self.committed = True

    def rollback(self) -> None:
        self.store.forget_new()

    def add(self, obj: models.Base) -> None:
        """Stage any object (factories use it for rows without a repository)."""
        self.store.add(obj)
