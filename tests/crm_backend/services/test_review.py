"""Review: which conversations and messages are up for review, and a reviewer's marks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crm_backend.errors import InvalidRequest, MessageNotFound
from crm_backend.services import agents, privacy, review
from crm_backend.settings import REPO_ROOT
from crm_backend.tracker_store import TrackerStore
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.review_events import DAY, misunderstood_twice, store_events, understood

Uows = Callable[[], SqlAlchemyUnitOfWork]
INTENTS = review.known_intents(REPO_ROOT / "domain")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TrackerStore]:
    """A tracker store with three conversations: two misunderstood (web, SMS), one not."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store_events(url, "web-a", misunderstood_twice())
    store_events(
        url, "sms-+33612345678", misunderstood_twice(DAY + dt.timedelta(days=1), channel="sms")
    )
    store_events(url, "web-fine", understood())
    tracker = TrackerStore(url)
    yield tracker
    tracker.close()


@pytest.fixture
def reviewer(uow_factory: Uows) -> int:
    with uow_factory() as uow:
        agent = agents.create_agent(
            uow, username="tess", password="a long password", display_name="Tess", role="trainer"
        )
        uow.commit()
        return agent.id


def mark(
    uow_factory: Uows,
    store: TrackerStore,
    reviewer: int,
    *,
    conversation_id: str,
    timestamp: float,
    intent: str,
) -> None:
    """The reviewer marks the message said at ``timestamp`` with ``intent``, and it is kept."""
    with uow_factory() as uow:
        review.mark_message(
            uow,
            store,
            conversation_id=conversation_id,
            timestamp=timestamp,
            intent=intent,
            agent_id=reviewer,
            intents=INTENTS,
        )
        uow.commit()


def listed(uow_factory: Uows, store: TrackerStore, **filters: object) -> list[str]:
    with uow_factory() as uow:
        found = review.review_list(
            uow, store, filters=review.Filters(**filters), now=DAY + dt.timedelta(days=2)
        )
    return [c.conversation_id for c in found]


def test_each_message_shows_the_intent_its_confidence_the_alternatives_and_what_followed(
    uow_factory: Uows, store: TrackerStore
) -> None:
    with uow_factory() as uow:
        found = review.review_conversation(uow, store, conversation_id="web-a")

    assert found.channel == "web"
    assert found.names == ("Pierre Moreau",)
    assert [
        (
            t.text,
            t.intent,
            t.confidence,
            [(a.intent, a.confidence) for a in t.alternatives],
            t.outcomes,
        )
        for t in found.turns
    ] == [
        ("hello", "greet", 0.98, [("goodbye", 0.01)], ()),
        (
            "the blue thing for pierre.moreau@example.fr",
            "nlu_fallback",
            0.2,
            [("ask_product_info", 0.12), ("place_order", 0.1)],
            ("clarify", "fallback"),
        ),
        (
            "Moreau here, ring me on 06 12 34 56 78 about it",
            "request_human",
            0.31,
            [("update_contact", 0.3)],
            ("clarify", "handoff", "low_confidence"),
        ),
    ]


def test_the_list_holds_the_misunderstood_conversations_newest_first(
    uow_factory: Uows, store: TrackerStore
) -> None:
    assert listed(uow_factory, store) == ["sms-+33612345678", "web-a"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"day": DAY.date()}, ["web-a"]),
        ({"day": (DAY + dt.timedelta(days=1)).date()}, ["sms-+33612345678"]),
        ({"day": (DAY + dt.timedelta(days=5)).date()}, []),
        ({"channel": "sms"}, ["sms-+33612345678"]),
        ({"channel": "voice"}, []),
        ({"outcome": "handoff"}, ["sms-+33612345678", "web-a"]),
        ({"intent": "request_human", "outcome": "low_confidence"}, ["sms-+33612345678", "web-a"]),
        # A fallback's intent is the classifier's best guess under it.
        ({"intent": "ask_product_info", "outcome": "fallback"}, ["sms-+33612345678", "web-a"]),
        # Both filters hold for one and the same message.
        ({"intent": "request_human", "outcome": "fallback"}, []),
        ({"intent": "greet"}, []),
    ],
)
def test_the_filters(
    uow_factory: Uows, store: TrackerStore, filters: dict[str, object], expected: list[str]
) -> None:
    assert listed(uow_factory, store, **filters) == expected


def test_a_tracker_store_rasa_never_wrote_holds_nothing_to_review(
    uow_factory: Uows, tmp_path: Path
) -> None:
    assert listed(uow_factory, TrackerStore(f"sqlite:///{tmp_path / 'none.db'}")) == []


def test_a_mark_keeps_the_words_redacted_and_shows_on_the_message(
    uow_factory: Uows, store: TrackerStore, reviewer: int
) -> None:
    said_at = DAY.timestamp() + 3
    mark(
        uow_factory,
        store,
        reviewer,
        conversation_id="web-a",
        timestamp=said_at,
        intent="update_contact",
    )

    with uow_factory() as uow:
        marks = [
            (m.conversation_id, m.event_timestamp, m.text, m.predicted_intent, m.intent, m.agent_id)
            for m in uow.review_marks.list_by()
        ]
        turns = review.review_conversation(uow, store, conversation_id="web-a").turns
    assert marks == [
        (
            "web-a",
            said_at,
            "Martin here, ring me on 06 00 00 00 00 about it",
            "request_human",
            "update_contact",
            reviewer,
        )
    ]
    assert [t.mark for t in turns] == [None, None, "update_contact"]


def test_marking_again_changes_the_verdict(
    uow_factory: Uows, store: TrackerStore, reviewer: int
) -> None:
    said_at = DAY.timestamp() + 2
    for intent in ("ask_product_info", "out_of_scope"):
        mark(
            uow_factory,
            store,
            reviewer,
            conversation_id="web-a",
            timestamp=said_at,
            intent=intent,
        )

    with uow_factory() as uow:
        assert [(m.intent, m.text) for m in uow.review_marks.list_by()] == [
            ("out_of_scope", "the blue thing for jane.doe@example.com")
        ]


@pytest.mark.parametrize(
    ("conversation_id", "offset", "intent", "error"),
    [
        ("web-a", 2, "buy_a_pony", InvalidRequest),
        ("web-a", 2, "nlu_fallback", InvalidRequest),
        ("web-a", 2.5, "greet", MessageNotFound),  # no message then (an action's time)
        ("web-a", 2.1, "greet", MessageNotFound),
        ("web-nobody", 2, "greet", MessageNotFound),
    ],
)
def test_a_wrong_mark_is_refused_and_nothing_is_stored(
    uow_factory: Uows,
    store: TrackerStore,
    reviewer: int,
    conversation_id: str,
    offset: float,
    intent: str,
    error: type[Exception],
) -> None:
    with uow_factory() as uow, pytest.raises(error):
        review.mark_message(
            uow,
            store,
            conversation_id=conversation_id,
            timestamp=DAY.timestamp() + offset,
            intent=intent,
            agent_id=reviewer,
            intents=INTENTS,
        )

    with uow_factory() as uow:
        assert uow.review_marks.count() == 0


def test_the_intents_a_reviewer_may_choose_are_the_domains_and_out_of_scope(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.yml").write_text("intents:\n  - greet\n  - ask_price:\n      use_entities: []\n")
    (tmp_path / "b.yml").write_text("responses: {}\n")

    assert review.known_intents(tmp_path) == ["ask_price", "greet", "out_of_scope"]
    assert {"greet", "place_order", "out_of_scope"} <= set(INTENTS)
    assert "nlu_fallback" not in INTENTS


def test_an_erased_conversation_loses_its_marks(
    uow_factory: Uows, store: TrackerStore, reviewer: int
) -> None:
    with uow_factory() as uow:
        for conversation_id in ("web-a", "sms-+33612345678"):
            review.mark_message(
                uow,
                store,
                conversation_id=conversation_id,
                timestamp=(DAY + dt.timedelta(days=conversation_id.startswith("sms"))).timestamp()
                + 2,
                intent="ask_product_info",
                agent_id=reviewer,
                intents=INTENTS,
            )
        uow.commit()

    with uow_factory() as uow:
        assert uow.personal_data.delete_conversations(["sms-+33612345678"]) == 1
        uow.commit()

    with uow_factory() as uow:
        assert [m.conversation_id for m in uow.review_marks.list_by()] == ["web-a"]


def test_past_the_retention_period_a_mark_keeps_its_words_not_its_conversation(
    uow_factory: Uows, store: TrackerStore, reviewer: int
) -> None:
    marked = (DAY + dt.timedelta(days=1)).timestamp() + 2
    mark(
        uow_factory,
        store,
        reviewer,
        conversation_id="sms-+33612345678",
        timestamp=marked,
        intent="ask_product_info",
    )
    now = dt.datetime.now(dt.UTC)

    with uow_factory() as uow:
        before = privacy.purge_before(uow, cutoff=now - dt.timedelta(days=1))
        after = privacy.purge_before(uow, cutoff=now + dt.timedelta(days=1))
        again = privacy.purge_before(uow, cutoff=now + dt.timedelta(days=1))
        uow.commit()

    with uow_factory() as uow:
        [kept] = uow.review_marks.list_by()
        assert (kept.conversation_id, kept.intent) == (f"purged-{kept.id}", "ask_product_info")
        assert "+336" not in kept.text
    assert [c["review marks unlinked"] for c in (before, after, again)] == [0, 1, 0]
