"""Review: the conversations the bot did not understand, and a reviewer's verdicts on them.

The conversations come from Rasa's tracker store (:mod:`crm_backend.tracker_store`),
read as rows: each customer message is a ``user`` event whose ``parse_data``
holds the predicted intent, its confidence and the ranking of the others.
A message is up for review when what followed it says the bot was unsure:

| outcome | the sign |
| --- | --- |
| ``clarify`` | the bot asked a clarifying question (``action_clarify``, ``utter_confirm_write``) |
| ``fallback`` | the intent is ``nlu_fallback`` (the fallback classifier's bars) |
| ``handoff`` | the bot handed the conversation to a person (``action_handoff``) |
| ``low_confidence`` | the predicted intent's confidence is under ``LOW_CONFIDENCE`` |

A reviewer (a manager or a trainer) marks the intent the message should have
had, or ``out_of_scope``; the mark keeps the message's words with the personal
data already replaced (:func:`crm_backend.redact.placeholders`), so the CRM
keeps nothing personal for it and the export needs no tracker.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import InvalidRequest, MessageNotFound
from ..models import OUT_OF_SCOPE, ReviewMark
from ..redact import placeholders
from ..tracker_store import StoredEvent, TrackerStore
from ..uow import UnitOfWork

OUTCOMES = {
    "clarify": "Clarifying question",
    "fallback": "Fallback",
    "handoff": "Handoff",
    "low_confidence": "Low confidence",
}
CLARIFY_ACTIONS = frozenset({"action_clarify", "utter_confirm_write"})
HANDOFF_ACTIONS = frozenset({"action_handoff"})
FALLBACK_INTENT = "nlu_fallback"
LOW_CONFIDENCE = 0.5
# Where a conversation names a person: the entity and the slots that hold a name.
NAME_ENTITY = "person_name"
NAME_SLOTS = frozenset({"customer_name", "candidate_name", "new_name"})
DEFAULT_DAYS = 7
MAX_TEXT = 2000


@dataclass(frozen=True)
class Alternative:
    """Another intent the classifier ranked, with its confidence."""

    intent: str
    confidence: float


@dataclass(frozen=True)
class Turn:
    """One customer message: what the bot read in it, what followed, the reviewer's mark."""

    timestamp: float
    text: str
    intent: str | None
    confidence: float
    alternatives: tuple[Alternative, ...]
    outcomes: tuple[str, ...]
    mark: str | None = None

    @property
    def flagged(self) -> bool:
        """Whether the message is up for review."""
        return bool(self.outcomes)


@dataclass(frozen=True)
class Conversation:
    """A conversation's customer messages, oldest first."""

    conversation_id: str
    channel: str
    started: dt.datetime
    turns: tuple[Turn, ...]
    names: tuple[str, ...] = field(default=(), repr=False)

    @property
    def outcomes(self) -> set[str]:
        """Every outcome of its messages."""
        return {o for t in self.turns for o in t.outcomes}

    @property
    def intents(self) -> set[str]:
        """Every intent predicted in it."""
        return {t.intent for t in self.turns if t.intent}


@dataclass(frozen=True)
class Filters:
    """What the review list is narrowed to; None: any."""

    day: dt.date | None = None
    channel: str | None = None
    intent: str | None = None
    outcome: str | None = None


def conversations_of(
    events: Iterable[StoredEvent], *, low_confidence: float = LOW_CONFIDENCE
) -> list[Conversation]:
    """The conversations these events make, each message with its outcomes; oldest first."""
    by_sender: dict[str, list[StoredEvent]] = defaultdict(list)
    for event in events:
        by_sender[event.sender_id].append(event)
    found = [_conversation(s, evs, low_confidence) for s, evs in by_sender.items()]
    return sorted((c for c in found if c.turns), key=lambda c: c.started)


def _conversation(sender: str, events: list[StoredEvent], low: float) -> Conversation:
    turns: list[dict[str, Any]] = []
    names: list[str] = []
    channel = ""
    for event in events:
        data = event.data
        if event.type_name == "user":
            parse = data.get("parse_data") or {}
            channel = channel or str((data.get("metadata") or {}).get("channel") or "")
            names += [
                str(e.get("value") or "")
                for e in parse.get("entities") or []
                if isinstance(e, dict) and e.get("entity") == NAME_ENTITY
            ]
            turns.append({"event": event, "parse": parse, "outcomes": set()})
        elif event.type_name == "slot" and data.get("name") in NAME_SLOTS and data.get("value"):
            names.append(str(data["value"]))
        elif event.type_name == "action" and turns:
            name = data.get("name")
            if name in CLARIFY_ACTIONS:
                turns[-1]["outcomes"].add("clarify")
            elif name in HANDOFF_ACTIONS:
                turns[-1]["outcomes"].add("handoff")
    built = tuple(_turn(t["event"], t["parse"], t["outcomes"], low) for t in turns)
    started = dt.datetime.fromtimestamp(events[0].timestamp, dt.UTC) if events else dt.datetime.min
    return Conversation(sender, channel or "web", started, built, tuple(n for n in names if n))


def _turn(event: StoredEvent, parse: dict[str, Any], outcomes: set[str], low: float) -> Turn:
    intent = parse.get("intent") or {}
    name = intent.get("name")
    confidence = float(intent.get("confidence") or 0.0)
    if name == FALLBACK_INTENT:
        outcomes.add("fallback")
    elif name and confidence < low:
        outcomes.add("low_confidence")
    ranking = tuple(
        Alternative(str(r.get("name")), float(r.get("confidence") or 0.0))
        for r in parse.get("intent_ranking") or []
        if isinstance(r, dict) and r.get("name") and r.get("name") != name
    )
    return Turn(
        timestamp=float(event.data.get("timestamp") or event.timestamp),
        text=str(event.data.get("text") or ""),
        intent=str(name) if name else None,
        confidence=confidence,
        alternatives=ranking,
        outcomes=tuple(o for o in OUTCOMES if o in outcomes),
    )


def matches(conversation: Conversation, filters: Filters) -> bool:
    """Whether a conversation is up for review and passes the filters.

    The intent and the outcome filters hold for one and the same message when
    both are given: "fallbacks of ask_price" are not any fallback beside any
    ask_price. A message's intent is the predicted one or, for a fallback
    (``nlu_fallback`` on top), the best of the others: the classifier's guess.
    """
    if filters.channel and conversation.channel != filters.channel:
        return False
    return any(
        turn.flagged
        and (not filters.outcome or filters.outcome in turn.outcomes)
        and (
            not filters.intent
            or filters.intent == turn.intent
            or filters.intent in (a.intent for a in turn.alternatives[:1])
        )
        for turn in conversation.turns
    )


def review_list(
    uow: UnitOfWork,
    store: TrackerStore,
    *,
    filters: Filters,
    now: dt.datetime,
    days: int = DEFAULT_DAYS,
    low_confidence: float = LOW_CONFIDENCE,
) -> list[Conversation]:
    """The conversations up for review, newest first: of ``filters.day``, else of the last days."""
    if filters.day is not None:
        since = dt.datetime.combine(filters.day, dt.time(), dt.UTC)
        until: dt.datetime | None = since + dt.timedelta(days=1)
    else:
        since, until = now - dt.timedelta(days=days), None
    found = conversations_of(store.events(since=since, until=until), low_confidence=low_confidence)
    chosen = [c for c in found if matches(c, filters)]
    chosen = _with_marks(uow, chosen)
    return sorted(chosen, key=lambda c: c.started, reverse=True)


def review_conversation(
    uow: UnitOfWork,
    store: TrackerStore,
    *,
    conversation_id: str,
    low_confidence: float = LOW_CONFIDENCE,
) -> Conversation:
    """One conversation, every message with its outcomes and marks.

    Raises:
        MessageNotFound: the tracker store holds no message of that conversation.
    """
    found = conversations_of(store.events(sender_id=conversation_id), low_confidence=low_confidence)
    if not found:
        raise MessageNotFound(key=conversation_id)
    return _with_marks(uow, found)[0]


def _with_marks(uow: UnitOfWork, found: Sequence[Conversation]) -> list[Conversation]:
    marks = {
        (m.conversation_id, m.event_timestamp): m.intent
        for m in uow.review_marks.for_conversations([c.conversation_id for c in found])
    }
    return [
        replace(
            c,
            turns=tuple(
                replace(t, mark=marks.get((c.conversation_id, t.timestamp))) for t in c.turns
            ),
        )
        for c in found
    ]


def known_intents(domain_dir: Path) -> list[str]:
    """The intents of the bot's domain (``domain/*.yml``), ``out_of_scope`` among them, sorted."""
    intents = {OUT_OF_SCOPE}
    for path in sorted(domain_dir.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in content.get("intents") or []:
            if isinstance(entry, str):
                intents.add(entry)
            elif isinstance(entry, dict):
                intents.update(str(key) for key in entry)
    return sorted(intents)


def mark_message(
    uow: UnitOfWork,
    store: TrackerStore,
    *,
    conversation_id: str,
    timestamp: float,
    intent: str,
    agent_id: int,
    intents: Sequence[str],
) -> ReviewMark:
    """Record the intent a customer message should have had (again: the new verdict stands).

    Raises:
        InvalidRequest: an intent the domain does not know.
        MessageNotFound: the conversation has no customer message at ``timestamp``.
    """
    if intent not in intents:
        raise InvalidRequest(f"{intent!r} is no intent of the bot (nor out_of_scope)")
    conversation = review_conversation(uow, store, conversation_id=conversation_id)
    turn = next((t for t in conversation.turns if t.timestamp == timestamp), None)
    if turn is None or not turn.text.strip():
        raise MessageNotFound(key=f"{conversation_id} at {timestamp}")
    text = " ".join(placeholders(turn.text, names=conversation.names).split())[:MAX_TEXT]
    mark = uow.review_marks.for_message(conversation_id, timestamp)
    if mark is None:
        mark = uow.review_marks.add(
            ReviewMark(
                conversation_id=conversation_id,
                event_timestamp=timestamp,
                text=text,
                predicted_intent=turn.intent,
                intent=intent,
                agent_id=agent_id,
            )
        )
    else:
        mark.intent, mark.text, mark.agent_id = intent, text, agent_id
    uow.flush()
    return mark
