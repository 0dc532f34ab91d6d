"""Rasa's SQL tracker store, read and pruned as a plain SQL database.

Rasa keeps each conversation as rows of one table, ``events`` (``sender_id``
the conversation id, ``timestamp`` in epoch seconds, ``data`` the event as
JSON, with the customer's words and the message metadata). The CRM must
reach it to erase a person or to purge old conversations, but must not
import Rasa (ARCHITECTURE.md): this module knows only that table.

The URL is ``ICBOT_TRACKER_STORE_URL`` (:mod:`crm_backend.settings`), the
same database ``endpoints.yml`` points Rasa at. A store Rasa never wrote to
(no ``events`` table yet) holds nothing, and every call says so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.engine import make_url

_metadata = MetaData()
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
# SQLite allows 32766 bound parameters; stay far below for any database.
_BATCH = 500
# The events a review reads: the customer's messages, the bot's actions, the slots it set.
REVIEW_TYPES = ("user", "action", "slot")


@dataclass(frozen=True)
class StoredEvent:
    """One row of the ``events`` table, its JSON decoded."""

    id: int
    sender_id: str
    type_name: str
    timestamp: float
    data: dict[str, Any]


class TrackerStore:
    """The ``events`` table of Rasa's SQL tracker store."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None

    def _open(self) -> Engine | None:
        """The engine, or None when the store does not exist yet."""
        if self._engine is None:
            parsed = make_url(self.url)
            database = parsed.database
            local = parsed.get_backend_name() == "sqlite" and database not in (None, ":memory:")
            if local and not Path(str(database)).exists():
                return None
            # Not db.build_engine: its WAL mode would stick to Rasa's file.
            self._engine = create_engine(parsed)
            if parsed.get_backend_name() == "sqlite":
                # Deleted events are overwritten, not left readable in the file's free pages.
                event.listen(self._engine, "connect", _secure_delete)
        if not inspect(self._engine).has_table(EVENTS.name):
            return None
        return self._engine

    def close(self) -> None:
        """Close the store's connections."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def senders_mentioning(self, needles: Iterable[str]) -> set[str]:
        """Conversation ids whose id or any event's data contains one of ``needles``."""
        terms = [n.lower() for n in needles if n]
        engine = self._open()
        if engine is None or not terms:
            return set()
        sender, data = EVENTS.c.sender_id, func.lower(EVENTS.c.data)
        conditions = [func.lower(sender).contains(t, autoescape=True) for t in terms]
        conditions += [data.contains(t, autoescape=True) for t in terms]
        with engine.connect() as connection:
            rows = connection.execute(select(sender).where(or_(*conditions)).distinct())
            return {row[0] for row in rows}

    def events(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        sender_id: str | None = None,
        types: Iterable[str] = REVIEW_TYPES,
        limit: int = 20_000,
    ) -> list[StoredEvent]:
        """The events of ``types`` in a time window or one conversation, oldest first.

        A row whose data is not a JSON object (nothing Rasa writes) is left out.
        """
        engine = self._open()
        if engine is None:
            return []
        stmt = select(
            EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data
        ).where(EVENTS.c.type_name.in_(list(types)))
        if since is not None:
            stmt = stmt.where(EVENTS.c.timestamp >= since.timestamp())
        if until is not None:
            stmt = stmt.where(EVENTS.c.timestamp < until.timestamp())
        if sender_id is not None:
            stmt = stmt.where(EVENTS.c.sender_id == sender_id)
        stmt = stmt.order_by(EVENTS.c.timestamp, EVENTS.c.id).limit(limit)
        with engine.connect() as connection:
            rows = connection.execute(stmt).all()
        found = []
        for row in rows:
            try:
                data = json.loads(row.data or "")
            except ValueError:
                continue
            if isinstance(data, dict):
                found.append(
                    StoredEvent(row.id, row.sender_id, row.type_name, row.timestamp or 0.0, data)
                )
        return found

    def delete_senders(self, sender_ids: Iterable[str]) -> int:
        """Delete every event of these conversations; how many events."""
        ids = sorted(set(sender_ids))
        engine = self._open()
        if engine is None or not ids:
            return 0
        deleted = 0
        with engine.begin() as connection:
            for start in range(0, len(ids), _BATCH):
                batch = ids[start : start + _BATCH]
                result = connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(batch)))
                deleted += result.rowcount or 0
        return deleted

    def delete_before(self, cutoff: dt.datetime) -> int:
        """Delete the events older than ``cutoff``; how many."""
        engine = self._open()
        if engine is None:
            return 0
        with engine.begin() as connection:
            result = connection.execute(
                delete(EVENTS).where(EVENTS.c.timestamp < cutoff.timestamp())
            )
            return result.rowcount or 0

    def count(self, sender_id: str | None = None) -> int:
        """How many events there are (of one conversation, when given)."""
        engine = self._open()
        if engine is None:
            return 0
        stmt = select(func.count()).select_from(EVENTS)
        if sender_id is not None:
            stmt = stmt.where(EVENTS.c.sender_id == sender_id)
        with engine.connect() as connection:
            return int(connection.scalar(stmt) or 0)


def _secure_delete(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
