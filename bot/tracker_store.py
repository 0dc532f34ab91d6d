"""Rasa's SQL tracker store, with the trackers it last saved kept in memory while still current.

Rasa 3.6 reads a conversation's every event of the session from the
database, decodes its JSON and replays it into a new tracker on every turn:
the longer the conversation, the costlier each turn (a fifth of Rasa's CPU
per turn at turn 40, ``bench/results/profile-summary.md``). This store keeps
the tracker it saved (or read) last for each conversation, and hands it out
again as long as the database still holds what it knew when it kept it.

"Still holds": the conversation's rows (all sessions) have the same count,
the same highest id and the same latest timestamp as after that save or
read. One small query checks them on every read. Whatever else writes the
conversation — another Rasa server on the same database, the CRM's erasure
or purge (``python -m crm_backend erase|purge``) — changes one of them (a
new row has a new id and a later time; a deleted one lowers the count), and
the tracker is read from the database as before.

A conversation not saved for five minutes (``cache_seconds``) leaves the
cache at the store's next use: an erased conversation's words do not stay
in Rasa's memory for long (nor beyond a restart). A tracker handed out
leaves the cache until it is saved again: two readers of one conversation
never share one object, and a tracker changed but never saved (a turn that
failed half-way) is never handed out again. A new domain
(a new model) empties the cache: a tracker's slots are the domain's.

``endpoints.yml`` names it (``tracker_store: type: bot.tracker_store.CachedSQLTrackerStore``)
with the SQL store's own settings.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

_STORED = "_icbot_events_stored"  # on a tracker this store saved: how many of its events
DEFAULT_CACHE_SIZE = 200  # conversations; a 40-turn tracker holds some 400 events
# A conversation left alone this long leaves the memory: erased or not, its words are not
# kept in Rasa's memory for longer than a conversation's pause.
DEFAULT_CACHE_SECONDS = 300.0

# count, highest id, latest timestamp of a conversation's rows.
Key = tuple[int, Optional[int], Optional[float]]


@dataclass(frozen=True)
class _Kept:
    """A tracker as saved: the rows it matched, how many events it had, when."""

    tracker: DialogueStateTracker
    key: Key
    length: int
    kept_at: float


class CachedSQLTrackerStore(SQLTrackerStore):
    """:class:`SQLTrackerStore` that skips reading a conversation nobody else has written."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        cache_seconds: float = DEFAULT_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        # Rasa builds a custom store with host=<url>, domain, event_broker and the
        # endpoint's other keys: the SQL store's own (dialect, db, ...).
        self._cache: OrderedDict[str, _Kept] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.cache_size = int(cache_size)
        self.cache_seconds = float(cache_seconds)
        self._clock = clock
        super().__init__(domain=domain, **kwargs)

    @property  # type: ignore[override]
    def domain(self) -> Domain:
        """The domain of the trackers."""
        return self._domain

    @domain.setter
    def domain(self, domain: Optional[Domain]) -> None:
        self._domain = domain or Domain.empty()
        with self._cache_lock:
            self._cache.clear()

    def _key(self, sender_id: str) -> Key:
        event = self.SQLEvent
        query = sa.select(
            sa.func.count(event.id), sa.func.max(event.id), sa.func.max(event.timestamp)
        ).where(event.sender_id == sender_id)
        with self.session_scope() as session:
            count, highest, latest = session.execute(query).one()
        return int(count), highest, latest

    def _forget_old(self) -> None:
        """Drop the trackers kept longer than ``cache_seconds`` (the lock held)."""
        limit = self._clock() - self.cache_seconds
        while self._cache and next(iter(self._cache.values())).kept_at < limit:
            self._cache.popitem(last=False)

    def _take(self, sender_id: str) -> Optional[_Kept]:
        with self._cache_lock:
            self._forget_old()
            return self._cache.pop(sender_id, None)

    def _keep(self, tracker: DialogueStateTracker, key: Key) -> None:
        if self.cache_size <= 0 or key[0] == 0:
            return
        with self._cache_lock:
            kept = _Kept(tracker, key, len(tracker.events), self._clock())
            self._cache[tracker.sender_id] = kept
            self._cache.move_to_end(tracker.sender_id)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            self._forget_old()

    def _current(self, kept: _Kept, key: Key) -> bool:
        return kept.key == key and len(kept.tracker.events) == kept.length

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The latest session's tracker: the one kept, if the database has not moved on."""
        kept = self._take(sender_id)
        if kept is not None and self._current(kept, self._key(sender_id)):
            return kept.tracker
        # Read as Rasa does; the caller's until it saves it.
        return await super().retrieve(sender_id)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        """The tracker's events not stored yet.

        Rasa counts the stored rows of the latest session (from the session
        start's time on) and skips as many events. A tracker kept here may hold
        events of the session's start stamped a little before it (the session
        start's own action), which that count leaves out: the same events would
        be stored again on every turn. For a tracker this store saved, it knows
        how many of its events are stored.
        """
        stored = tracker.__dict__.get(_STORED)
        if isinstance(stored, int) and stored <= len(tracker.events):
            return itertools.islice(tracker.events, stored, None)
        return super()._additional_events(session, tracker)

    async def peek(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The latest session's tracker to read only, never to change: the one kept stays kept."""
        with self._cache_lock:
            self._forget_old()
            kept = self._cache.get(sender_id)
        if kept is not None:
            if self._current(kept, self._key(sender_id)):
                return kept.tracker
            self._take(sender_id)  # outdated: never handed out again
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events, then keep the tracker as the database now holds it.

        A tracker that holds more than the latest session (a session started
        during the turn, or a tracker of every session) is not kept: read
        again, the database gives the latest session only.
        """
        self._take(tracker.sender_id)
        await self._write(tracker)
        tracker.__dict__[_STORED] = len(tracker.events)
        if sum(isinstance(e, SessionStarted) for e in tracker.events) > 1:
            return
        self._keep(tracker, self._key(tracker.sender_id))

    async def _write(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, with the new events in one INSERT of many rows.

        Rasa adds one ORM object per event: one INSERT, one round trip to
        PostgreSQL, for each of the ten or so events of a turn. The rows are
        Rasa's own (:meth:`SQLTrackerStore.save`).
        """
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [_row(tracker.sender_id, e) for e in self._additional_events(session, tracker)]
            if rows:
                session.execute(sa.insert(self.SQLEvent), rows)
            session.commit()


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """An event's row in Rasa's ``events`` table, as Rasa writes it."""
    data = event.as_dict()
    parse_data = data.get("parse_data") or {}
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": (parse_data.get("intent") or {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }
