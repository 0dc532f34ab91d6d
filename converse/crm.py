"""The CRM as the judge sees it: snapshots of every data table, and what changed between two.

A run is judged by the rows it left: before a conversation the runner takes
a :func:`snapshot`, after each turn another, and :func:`diff` lists every row
added, changed or removed in between. The tables are the CRM's own
(``crm_backend.models``), read with SQLAlchemy Core so no ORM cache hides a
write another process made.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from crm_backend.models import (
    Account,
    AccountKind,
    Base,
    HandoffStatus,
    OrderStatus,
    Product,
    Quote,
    QuoteStatus,
    SalesOrder,
    VerificationFailure,
)
from crm_backend.services.handoff import leave_queue
from crm_backend.services.pricing import LineRequest
from crm_backend.services.quotes import create_quote
from crm_backend.uow import SqlAlchemyUnitOfWork

# Every table that holds customer data a conversation may write.
WATCHED = (
    "accounts", "phones", "emails", "account_contacts", "preferences", "consents",
    "number_consents", "registered_products", "complaints", "script_answers", "suppressions",
    "quotes", "quote_lines", "sales_orders", "order_lines", "order_status_changes", "outbox",
    "leads", "activities", "handoffs", "call_list_entries", "interactions",
)  # fmt: skip
# Written by every conversation (its record of the contact): read, never an unwanted write.
BOOKKEEPING = frozenset({"interactions"})
# Moved by any write to the row: a change of these alone is no change.
IGNORED_COLUMNS = frozenset({"updated_at", "recorded_at", "last_seen_at"})

Row = Mapping[str, Any]
Snapshot = dict[str, dict[int, Row]]


@dataclass(frozen=True)
class Change:
    """One row a run added, changed or removed."""

    table: str
    kind: str  # added, changed or removed
    id: int
    row: Row  # as it is now (as it was, when removed)
    before: Row | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns that changed (all of them for an added or removed row)."""
        if self.before is None:
            return tuple(self.row)
        return tuple(
            k for k in self.row if k not in IGNORED_COLUMNS and self.row[k] != self.before.get(k)
        )

    def describe(self) -> str:
        """One line for the report: the table, what happened, the values that matter."""
        if self.kind == "changed" and self.before is not None:
            moved = ", ".join(
                f"{c}: {self.before.get(c)!r} → {self.row[c]!r}" for c in self.columns
            )
            return f"{self.table} #{self.id} changed ({moved})"
        shown = {
            k: v
            for k, v in self.row.items()
            if v not in (None, "", {}, []) and not k.endswith("_at")
        }
        return f"{self.table} #{self.id} {self.kind} {shown}"


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def snapshot(engine: Engine) -> Snapshot:
    """Every row of the watched tables, by table and id."""
    taken: Snapshot = {}
    with engine.connect() as connection:
        for name in WATCHED:
            table = Base.metadata.tables[name]
            rows = connection.execute(select(table)).mappings()
            taken[name] = {int(r["id"]): {k: _plain(v) for k, v in r.items()} for r in rows}
    return taken


def diff(before: Snapshot, after: Snapshot) -> list[Change]:
    """The rows added, changed (beyond bookkeeping columns) and removed, table by table."""
    changes = []
    for name in WATCHED:
        old, new = before.get(name, {}), after.get(name, {})
        for row_id, row in new.items():
            if row_id not in old:
                changes.append(Change(table=name, kind="added", id=row_id, row=row))
            else:
                change = Change(table=name, kind="changed", id=row_id, row=row, before=old[row_id])
                if change.columns:
                    changes.append(change)
        changes += [
            Change(table=name, kind="removed", id=i, row=row)
            for i, row in old.items()
            if i not in new
        ]
    return changes


@dataclass(frozen=True)
class Catalog:
    """What the judge needs of the products: SKU by id, name and price by SKU."""

    sku_by_id: Mapping[int, str]
    name_by_sku: Mapping[str, str]
    price_by_sku: Mapping[str, Decimal]


def catalog(sessions: sessionmaker[Session]) -> Catalog:
    """The products in the database."""
    with sessions() as session:
        products = session.scalars(select(Product)).all()
        return Catalog(
            sku_by_id={p.id: p.sku for p in products},
            name_by_sku={p.sku: p.name for p in products},
            price_by_sku={p.sku: p.list_price for p in products},
        )


def persona_facts(sessions: sessionmaker[Session], customer_number: str) -> dict[str, str]:
    """What a demo customer knows about themselves, read from their account.

    Raises:
        LookupError: no account has that customer number.
    """
    with sessions() as session:
        account = session.scalar(
            select(Account)
            .where(Account.customer_number == customer_number)
            .options(selectinload(Account.phones), selectinload(Account.emails))
        )
        if account is None:
            raise LookupError(f"no account {customer_number} in the seeded database")
        facts = {
            "customer_number": account.customer_number,
            "name": account.name,
            "first_name": account.first_name or "",
            "last_name": account.last_name or "",
            "email": account.primary_email or "",
            "phone": account.primary_phone or "",
            "postcode": account.postcode or "",
            "city": account.city or "",
            "street": account.street or "",
            "account_id": str(account.id),
        }
        if account.kind == AccountKind.COMPANY:
            facts["company"] = account.name
            facts["name"] = f"{account.first_name} {account.last_name}"
        quotes = session.scalars(
            select(Quote).where(Quote.account_id == account.id, Quote.status == QuoteStatus.OPEN)
            .order_by(Quote.id.desc())
        ).all()  # fmt: skip
        orders = session.scalars(
            select(SalesOrder)
            .where(SalesOrder.account_id == account.id)
            .order_by(SalesOrder.id.desc())
        ).all()
        done = (OrderStatus.DELIVERED, OrderStatus.CANCELLED)
        if quotes:
            facts["open_quote"] = quotes[0].number or ""
        if orders:
            facts["latest_order"] = orders[0].number or ""
        open_orders = [o for o in orders if o.status not in done]
        if open_orders:
            facts["open_order"] = open_orders[0].number or ""
        return {k: v for k, v in facts.items() if v}


def forget_failed_checks(engine: Engine) -> None:
    """Clear every failed identity check, so one run's wrong postcode never locks the next out."""
    with engine.begin() as connection:
        connection.execute(delete(VerificationFailure))


def leave_waiting_queue(sessions: sessionmaker[Session], conversation_id: str) -> int:
    """Take a run's waiting handoffs out of the agents' queue (the customer left); how many."""
    with SqlAlchemyUnitOfWork(sessions) as uow:
        waiting = [
            h for h in uow.handoffs.list_by(status=HandoffStatus.WAITING)
            if h.conversation_id.endswith(conversation_id)
        ]  # fmt: skip
        for handoff in waiting:
            leave_queue(uow, handoff_id=handoff.id)
        uow.commit()
    return len(waiting)


def give_open_quote(
    sessions: sessionmaker[Session], customer_number: str, lines: Mapping[str, int]
) -> str:
    """A fresh open quote for the account (a scenario's ``setup``); its number."""
    with SqlAlchemyUnitOfWork(sessions) as uow:
        account = uow.accounts.get_by(customer_number=customer_number)
        if account is None:
            raise LookupError(f"no account {customer_number} in the seeded database")
        requested = [LineRequest(sku=sku, quantity=qty) for sku, qty in lines.items()]
        quote = create_quote(uow, account_id=account.id, lines=requested)
        uow.commit()
        return str(quote.number)
