"""The cached SQL tracker store: Rasa's trackers, read from the database only when it moved on."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import CachedSQLTrackerStore

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.from_dict(
    {"intents": ["greet"], "slots": {"name": {"type": "text", "mappings": []}}}
)


def _store(path: Path) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path))


def _conversation(store: CachedSQLTrackerStore, sender: str = "c1") -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(
        sender,
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        slots=DOMAIN.slots,
    )
    asyncio.run(store.save(tracker))
    return tracker


def _texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_endpoints_yml_makes_rasa_use_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Not Rasa's silent in-memory fallback for a type it cannot import."""
    monkeypatch.setenv("ICBOT_ACTIONS_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ICBOT_ACTIONS_SECRET", "actions-secret")
    monkeypatch.setenv("ICBOT_TRACKER_DB", str(tmp_path / "tracker.db"))
    endpoints = AvailableEndpoints.read_endpoints(str(REPO_ROOT / "endpoints.yml"))

    store = TrackerStore.create(endpoints.tracker_store, DOMAIN)

    inner = getattr(store, "_tracker_store", store)
    assert isinstance(inner, CachedSQLTrackerStore)


def _written_elsewhere(path: Path) -> CachedSQLTrackerStore:
    """A store that saved conversation c1, which another server's store then wrote to."""
    store, other = _store(path), _store(path)
    _conversation(store)
    elsewhere = asyncio.run(other.retrieve("c1"))
    assert elsewhere is not None
    elsewhere.update(UserUttered("hello from the other server"))
    asyncio.run(other.save(elsewhere))
    return store


def test_a_saved_tracker_is_handed_out_again_without_reading(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    tracker = _conversation(store)

    assert asyncio.run(store.retrieve("c1")) is tracker


def test_what_another_server_wrote_is_read(tmp_path: Path) -> None:
    store = _written_elsewhere(tmp_path / "t.db")

    assert _texts(asyncio.run(store.retrieve("c1"))) == ["hello from the other server"]


def test_an_erased_conversation_is_gone(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    _conversation(store)
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'c1'"))

    assert asyncio.run(store.retrieve("c1")) is None


def test_a_tracker_changed_but_never_saved_is_read_again(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    _conversation(store)
    handed_out = asyncio.run(store.retrieve("c1"))
    assert handed_out is not None
    handed_out.update(UserUttered("lost in a failed turn"))

    again = asyncio.run(store.retrieve("c1"))

    assert again is not handed_out
    assert _texts(again) == []


def test_a_tracker_is_handed_out_once_until_saved(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    _conversation(store)

    first, second = asyncio.run(store.retrieve("c1")), asyncio.run(store.retrieve("c1"))

    assert first is not None
    assert second is not None
    assert first is not second


def test_the_slots_read_back_are_those_saved(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    tracker = _conversation(store)
    tracker.update(SlotSet("name", "Pierre"))
    asyncio.run(store.save(tracker))
    fresh = _store(tmp_path / "t.db")

    cached, read = asyncio.run(store.retrieve("c1")), asyncio.run(fresh.retrieve("c1"))

    assert cached is tracker
    assert read is not None
    assert read.get_slot("name") == cached.get_slot("name") == "Pierre"


def test_a_new_domain_empties_the_cache(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    tracker = _conversation(store)

    store.domain = DOMAIN

    assert asyncio.run(store.retrieve("c1")) is not tracker


def test_a_tracker_of_two_sessions_is_not_kept(tmp_path: Path) -> None:
    """Read back, the database gives the latest session only."""
    store = _store(tmp_path / "t.db")
    tracker = _conversation(store)
    tracker.update(UserUttered("first session"))
    tracker.update_with_events(
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        DOMAIN,
    )
    asyncio.run(store.save(tracker))

    again = asyncio.run(store.retrieve("c1"))

    assert again is not tracker
    assert _texts(again) == []


def _rows(path: Path) -> list[tuple[str, float]]:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        return [
            (str(r[0]), float(r[1]))
            for r in connection.execute(sa.text("SELECT type_name, timestamp FROM events"))
        ]


def test_each_event_is_stored_once_turn_after_turn(tmp_path: Path) -> None:
    """As Rasa starts a session: the session start's own action is stamped before it, so
    Rasa's count of the session's stored rows leaves it out."""
    store = _store(tmp_path / "t.db")
    tracker = DialogueStateTracker.from_events(
        "c1",
        [
            SlotSet("name", "from metadata", timestamp=1.0),
            ActionExecuted("action_session_start", timestamp=2.0),
            SessionStarted(timestamp=3.0),
            ActionExecuted("action_listen", timestamp=4.0),
        ],
        slots=DOMAIN.slots,
    )
    asyncio.run(store.save(tracker))
    for turn in range(3):
        kept = asyncio.run(store.retrieve("c1"))
        assert kept is tracker
        kept.update(UserUttered(f"turn {turn}", timestamp=10.0 + turn))
        kept.update(ActionExecuted("action_listen", timestamp=10.5 + turn))
        asyncio.run(store.save(kept))

    rows = _rows(tmp_path / "t.db")
    assert len(rows) == len(set(rows)) == len(tracker.events)


def test_a_peek_leaves_the_tracker_kept(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    tracker = _conversation(store)

    assert asyncio.run(store.peek("c1")) is tracker
    assert asyncio.run(store.retrieve("c1")) is tracker


def test_a_peek_at_what_another_server_wrote_reads_it(tmp_path: Path) -> None:
    store = _written_elsewhere(tmp_path / "t.db")

    assert _texts(asyncio.run(store.peek("c1"))) == ["hello from the other server"]


def test_a_conversation_left_alone_leaves_the_memory(tmp_path: Path) -> None:
    now = [100.0]
    store = CachedSQLTrackerStore(
        DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), cache_seconds=300, clock=lambda: now[0]
    )
    _conversation(store, "c1")
    now[0] += 200
    _conversation(store, "c2")
    now[0] += 200  # c1 kept 400 s ago, c2 200 s ago

    assert asyncio.run(store.peek("c2")) is not None
    assert list(store._cache) == ["c2"]


def test_a_peek_at_an_outdated_tracker_drops_it(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    tracker = _conversation(store)
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'c1'"))

    assert asyncio.run(store.peek("c1")) is None
    assert "c1" not in store._cache
    assert tracker is not None


def test_a_turn_is_one_insert_of_the_rows_rasa_writes(tmp_path: Path) -> None:
    """Rasa's own store sends one INSERT per event, a round trip each on PostgreSQL."""
    from rasa.core.tracker_store import SQLTrackerStore

    events = [
        ActionExecuted("action_session_start", timestamp=1.0),
        SessionStarted(timestamp=2.0),
        ActionExecuted("action_listen", timestamp=3.0),
        UserUttered("hello", intent={"name": "greet", "confidence": 0.9}, timestamp=4.0),
        SlotSet("name", "Pierre", timestamp=5.0),
        ActionExecuted("utter_greet", timestamp=6.0),
        ActionExecuted("action_listen", timestamp=7.0),
    ]
    ours = _store(tmp_path / "ours.db")
    inserts: list[str] = []
    sa.event.listen(
        ours.engine,
        "before_cursor_execute",
        lambda *args: inserts.append(args[2]) if args[2].startswith("INSERT") else None,
    )
    asyncio.run(ours.save(DialogueStateTracker.from_events("c1", events, slots=DOMAIN.slots)))
    rasas = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    asyncio.run(rasas.save(DialogueStateTracker.from_events("c1", events, slots=DOMAIN.slots)))

    assert len(inserts) == 1
    assert _whole_rows(tmp_path / "ours.db") == _whole_rows(tmp_path / "rasa.db")
    assert len(_whole_rows(tmp_path / "ours.db")) == len(events)


def _whole_rows(path: Path) -> list[tuple[object, ...]]:
    engine = sa.create_engine(f"sqlite:///{path}")
    columns = "id, sender_id, type_name, timestamp, intent_name, action_name, data"
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(f"SELECT {columns} FROM events"))]
