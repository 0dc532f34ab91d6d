"""Everything the CRM holds about one customer, as one JSON-able document (a GDPR access request).

Rows are written column by column as the database has them (dates in ISO
8601, amounts as strings), so a new column shows up in the export without a
change here. Conversations are the transcripts of every conversation id the
customer's interactions and handoffs name.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect

from ..models import Base, utcnow
from ..uow import UnitOfWork
from .accounts import get_account_by_number

FORMAT = "icbot-personal-data/1"


def export_person(
    uow: UnitOfWork, *, customer_number: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The customer's account and everything hanging on it, as plain data.

    Raises:
        AccountNotFound: no account has that customer number.
    """
    account = get_account_by_number(uow, customer_number=customer_number)
    interactions = sorted(uow.interactions.list_by(account_id=account.id), key=_id)
    handoffs = sorted(uow.handoffs.list_by(account_id=account.id), key=_id)
    conversation_ids = sorted(
        {i.conversation_id for i in interactions if i.conversation_id}
        | {h.conversation_id for h in handoffs}
    )
    return {
        "format": FORMAT,
        "exported_at": (now or utcnow()).isoformat(),
        "account": row_data(account),
        "phones": rows_data(account.phones),
        "emails": rows_data(account.emails),
        "contacts": rows_data(account.contacts),
        "consents": rows_data(account.consents),
        "number_consents": rows_data(
            c for phone in account.phones for c in uow.number_consents.list_by(number=phone.number)
        ),
        "preferences": rows_data(account.preferences),
        "registered_products": rows_data(account.registered_products),
        "complaints": rows_data(account.complaints),
        "script_answers": rows_data(account.script_answers),
        "quotes": [
            {**row_data(q), "lines": rows_data(q.lines)}
            for q in sorted(uow.quotes.list_by(account_id=account.id), key=_id)
        ],
        "orders": [
            {**row_data(o), "lines": rows_data(o.lines), "history": rows_data(o.history)}
            for o in sorted(uow.orders.list_by(account_id=account.id), key=_id)
        ],
        "leads": rows_data(sorted(uow.leads.list_by(account_id=account.id), key=_id)),
        "activities": rows_data(sorted(uow.activities.list_by(account_id=account.id), key=_id)),
        "interactions": rows_data(interactions),
        "handoffs": [{**row_data(h), "notes": rows_data(h.notes)} for h in handoffs],
        "conversations": [
            {
                "conversation_id": conversation_id,
                "transcript": rows_data(uow.transcripts.for_conversation(conversation_id)),
            }
            for conversation_id in conversation_ids
        ],
    }


def row_data(row: Base) -> dict[str, Any]:
    """One row's columns as JSON-able values."""
    mapper = inspect(type(row))
    return {attr.key: _plain(getattr(row, attr.key)) for attr in mapper.column_attrs}


def rows_data(rows: Iterable[Base]) -> list[dict[str, Any]]:
    """Each row's columns as JSON-able values."""
    return [row_data(row) for row in rows]


def _id(row: Any) -> int:
    return int(row.id)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value
