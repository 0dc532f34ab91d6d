"""Did you mean ...? A message not understood, or a write not surely meant.

- ``action_clarify``: a message not understood gets buttons for the likeliest
  intents; the second in a row gets the offer of an adviser. A message whose
  likeliest intent writes to the CRM (an order, a quote, a contact change,
  do-not-contact...) but that the write guard (``bot/write_guard.py``) held
  back gets one yes/no question naming the action instead; the same write
  said again in answer ("by e-mail", "by e-mail") is taken as that yes.
- ``action_take_suggestion``: "yes" to that question, or to a single
  suggestion, is the customer's first message again, with the suggested
  intent: the dialogue goes on as if it had been understood at once, with the
  products, numbers and dates that message carried.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .messages import intent_of

CLARIFY = "action_clarify"
CONFIRM_WRITE = "utter_confirm_write"
TAKE_SUGGESTION = "action_take_suggestion"
FALLBACK = "nlu_fallback"
SUGGESTIONS = 3
NOT_SUGGESTED = frozenset({FALLBACK, "out_of_scope"})
# Offered when the ranking has fewer likely intents than buttons.
DEFAULT_SUGGESTIONS = ("help", "request_human", "ask_product_info")


def misunderstood_before(tracker: Tracker) -> bool:
    """Whether the customer's message before the latest one was not understood either.

    A person in between (the conversation was handed off, then back) starts
    the count again: the misunderstanding before it was the person's to solve.
    """
    seen_latest = False
    for event in reversed(tracker.events):
        if seen_latest and _handed_off(event):
            return False
        if event.get("event") == "user":
            if seen_latest:
                return intent_of(event.get("parse_data") or {}) == "nlu_fallback"
            seen_latest = True
        elif (
            seen_latest and event.get("event") == "action" and event.get("name") == "action_clarify"
        ):
            return True
    return False


def _handed_off(event: dict[str, Any]) -> bool:
    return event.get("event") == "resume" or (
        event.get("event") == "action" and event.get("name") == "action_handoff"
    )


def ranked(tracker: Tracker) -> list[str]:
    """The latest message's intents, likeliest first, without the fallback and out of scope."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    return [
        str(r.get("name"))
        for r in sorted(ranking, key=lambda r: -float(r.get("confidence") or 0))
        if r.get("name") not in NOT_SUGGESTED
    ]


def likely_intents(tracker: Tracker, labels: dict[str, Any]) -> list[str]:
    """The three likeliest intents worth a button, filled up with the defaults.

    Only intents with a label are offered: the labels are marketing's list of
    what a customer may pick ("yes" or "thanks" make no button).
    """
    labelled = [intent for intent in ranked(tracker) if intent in labels]
    return list(dict.fromkeys([*labelled, *DEFAULT_SUGGESTIONS]))[:SUGGESTIONS]


class ActionClarify(Action):  # type: ignore[misc]  # rasa_sdk ships no types
    """Ask to rephrase with the likeliest intents, or note the second misunderstanding in a row.

    Sets ``suggestion_<n>`` (an intent) and ``suggestion_<n>_title`` (its
    label from ``intent_labels``; a default without one reads as its name)
    for n = 1..3, and ``misunderstood_twice``. A writing intent the write
    guard held back is asked about instead: ``suggestion_1`` is that intent,
    ``write_question`` its words from ``write_questions``, and the next
    action is ``utter_confirm_write`` (a yes/no question naming the action).
    """

    def name(self) -> str:
        return CLARIFY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        labels: dict[str, Any] = tracker.get_slot("intent_labels") or {}
        questions: dict[str, Any] = tracker.get_slot("write_questions") or {}
        guarded = guarded_write(tracker, questions)
        declined = guarded is not None and declined_before(tracker, guarded)
        if declined:
            # "No" to that write for these very words: they meant something else; offer the rest.
            labels = {k: v for k, v in labels.items() if k != guarded}
            guarded = None
        events: list[EventType] = []
        for n, intent in enumerate(likely_intents(tracker, labels), start=1):
            events += [
                SlotSet(f"suggestion_{n}", intent),
                SlotSet(f"suggestion_{n}_title", str(labels.get(intent) or intent)),
            ]
        if guarded is not None and asked_about(tracker, guarded):
            # Asked "do you want me to ...?", the customer said the same again: that is a yes.
            latest = last_user_event(tracker)
            if latest is not None and says_it_again(tracker, latest):
                return [
                    SlotSet("write_question", None),
                    SlotSet("misunderstood_twice", False),
                    ActionExecuted("action_listen"),
                    understood_as(latest, guarded, tracker),
                ]
        if guarded is not None:
            # Understood, but not surely enough to write: ask, naming the action.
            return [
                SlotSet("suggestion_1", guarded),
                SlotSet("write_question", str(questions[guarded])),
                SlotSet("misunderstood_twice", False),
                FollowupAction(CONFIRM_WRITE),
            ]
        return [*events, SlotSet("misunderstood_twice", misunderstood_before(tracker))]


def guarded_write(tracker: Tracker, questions: dict[str, Any]) -> str | None:
    """The writing intent the write guard held back in the latest message, if any.

    The guard leaves the classifier's ranking under ``nlu_fallback``; its
    head, when it is an intent with a question in ``write_questions``, is
    what the customer most likely meant.
    """
    if intent_of(tracker.latest_message or {}) != FALLBACK:
        return None
    likeliest = ranked(tracker)
    return likeliest[0] if likeliest and likeliest[0] in questions else None


_ASKING = frozenset({CONFIRM_WRITE, CLARIFY, "action_listen", "action_extract_slots"})


def declined_before(tracker: Tracker, intent: str) -> bool:
    """Whether the customer said no when asked about that write for the same words before."""
    said = _words_of(tracker.latest_message or {})
    asked, words = None, None
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") == "suggestion_1":
            asked = event.get("value")
        elif event.get("event") == "user":
            parsed = event.get("parse_data") or {}
            if words == said and asked == intent and intent_of(parsed) == "deny":
                return True
            words = _words_of(event)
        elif event.get("event") == "action" and event.get("name") not in _ASKING:
            words = None
    return False


def _words_of(message: dict[str, Any]) -> str:
    return " ".join(str(message.get("text") or "").lower().split())


def asked_about(tracker: Tracker, intent: str) -> bool:
    """Whether the bot's last question, before the latest message, was the write of that intent."""
    if tracker.get_slot("suggestion_1") != intent:
        return False
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest:
                return False
            seen_latest = True
        elif seen_latest and event.get("event") == "action":
            if event.get("name") == "action_listen":
                continue
            return bool(event.get("name") == CONFIRM_WRITE)
    return False


def says_it_again(tracker: Tracker, latest: dict[str, Any]) -> bool:
    """Whether the latest message repeats the request, or gives what it is about.

    "By e-mail" (a channel) or the same words again, not a question about
    it ("will you still send my invoices?"), which the guard may hold back
    with the same intent.
    """
    if (latest.get("parse_data") or {}).get("entities"):
        return True
    earlier = message_before_latest(tracker)
    said = " ".join(str(latest.get("text") or "").lower().split())
    return earlier is not None and said == " ".join(str(earlier.get("text") or "").lower().split())


def last_user_event(tracker: Tracker) -> dict[str, Any] | None:
    """The customer's latest message, as the tracker holds it."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return users[-1] if users else None


def understood_as(message: dict[str, Any], intent: str, tracker: Tracker) -> EventType:
    """The customer's message again, now understood with that intent.

    Its words, entities and channel are kept, with the metadata of the latest
    message (the gateway's judgement now, such as whether a handoff is still allowed).
    """
    parsed = dict(message.get("parse_data") or {})
    parsed["intent"] = {"name": intent, "confidence": 1.0}
    parsed["intent_ranking"] = [{"name": intent, "confidence": 1.0}]
    return {
        "event": "user",
        "timestamp": None,
        "text": message.get("text"),
        "parse_data": parsed,
        "input_channel": message.get("input_channel"),
        "metadata": (tracker.latest_message or {}).get("metadata") or {},
    }


def message_before_latest(tracker: Tracker) -> dict[str, Any] | None:
    """The customer's message before the latest one (the "yes"), as the tracker holds it."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return users[-2] if len(users) >= 2 else None


class ActionTakeSuggestion(Action):  # type: ignore[misc]  # rasa_sdk ships no types
    """The customer's "yes": their message before it, now with ``suggestion_1`` as its intent.

    Rasa then goes on as if that message had been understood at once: the
    events are the listening the message ended and the message itself,
    its words, entities and channel kept, and the metadata of the "yes" (the
    gateway's judgement now, such as whether a handoff is still allowed).
    Without a suggestion or an earlier message the bot asks what it can do.
    """

    def name(self) -> str:
        return TAKE_SUGGESTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = tracker.get_slot("suggestion_1")
        earlier = message_before_latest(tracker)
        if not intent or earlier is None:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        again = understood_as(earlier, str(intent), tracker)
        return [SlotSet("write_question", None), ActionExecuted("action_listen"), again]
