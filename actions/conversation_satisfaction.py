"""Customer satisfaction (CSAT): one question after the goodbye, ``satisfaction_form``.

``action_close_interaction`` (:mod:`actions.conversation`) decides with
:func:`survey_due` whether the question is asked now (the rule is in
:mod:`crm_backend.services.satisfaction`) and sets ``satisfaction_due``; the
rules then ask it with ``satisfaction_form``. Its validator keeps an answer
that holds a score, asks once more when it holds none, and lets the customer
go on "no thanks" or a second miss; ``action_record_satisfaction`` keeps the
score and comment on the interaction.

A customer who answers the question with a new request ("actually, where is
my order?") is not asked again: the survey gives way (:data:`NEW_REQUEST`), and
``action_record_satisfaction`` hands their message back to the dialogue as
if it had just been said, so the request is served like any other.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from crm_backend.errors import InteractionNotFound
from crm_backend.models import Interaction
from crm_backend.services import satisfaction
from crm_backend.uow import UnitOfWork

from . import runtime
from .messages import caller_phone, channel, intent_of
from .questions import AskSlot

ANSWER = "satisfaction_answer"
QUESTION = f"utter_ask_{ANSWER}"
# What the validator keeps when the customer declined or gave no score twice: no score.
NO_ANSWER = "(no answer)"
# What the validator keeps when the customer answered with a new request instead.
NEW_REQUEST = "(new request)"
# A customer who complained in this contact is not asked to rate it.
UPSET_INTENTS = frozenset({"complain"})
# Intents that start something new: said instead of a score, the survey gives way.
# (Not those a rating may read as: affirm, deny, thank, goodbye, give_feedback, ...)
REQUEST_INTENTS = frozenset(
    {
        "ask_accessories",
        "ask_alternatives",
        "ask_offer",
        "ask_product_info",
        "ask_quote_status",
        "business_inquiry",
        "cancel_order",
        "complain",
        "create_account",
        "order_status",
        "place_order",
        "request_human",
        "request_quote",
        "stop_contact",
        "update_contact",
    }
)
REQUEST_CONFIDENCE = 0.6


def survey_due(uow: UnitOfWork, interaction: Interaction, tracker: Tracker) -> bool:
    """Whether the question is asked at the end of this interaction; if so, record that it is."""
    refusal = satisfaction.survey_refusal(
        uow,
        interaction_id=interaction.id,
        channel=channel(tracker),
        phone=caller_phone(tracker),
        upset=_complained(tracker),
    )
    if refusal is not None:
        return False
    satisfaction.mark_asked(uow, interaction_id=interaction.id, now=runtime.now())
    return True


def _complained(tracker: Tracker) -> bool:
    """Whether the customer complained in this session."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "user" and intent_of(event.get("parse_data") or {}) in (
            UPSET_INTENTS
        ):
            return True
    return False


def _asked_twice(tracker: Tracker) -> bool:
    """Whether the question was asked twice since the goodbye."""
    asked = 0
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_close_interaction":
            break
        if (
            event.get("event") == "bot"
            and (event.get("metadata") or {}).get("utter_action") == QUESTION
        ):
            asked += 1
    return asked >= 2


class ActionAskSatisfactionAnswer(AskSlot):
    """Ask how the customer rates the conversation."""

    slot = ANSWER


class ValidateSatisfactionForm(runtime.CrmFormValidationAction):
    """Validate satisfaction_form: an answer holding a score, else one more try."""

    def name(self) -> str:
        return "validate_satisfaction_form"

    def validate_satisfaction_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Keep the words when they hold a score; "no thanks" or a second miss ends the survey.

        Anything else is asked once more (``form_notice: not_understood``),
        never forced into a score.
        """
        said = str(value or "").strip()
        if satisfaction.read_rating(said) is not None:
            return {ANSWER: said}
        if _new_request(tracker):
            return {ANSWER: NEW_REQUEST}
        if satisfaction.is_refusal(said) or _asked_twice(tracker):
            return {ANSWER: NO_ANSWER}
        return {ANSWER: None, "form_notice": "not_understood"}


def _new_request(tracker: Tracker) -> bool:
    """Whether the answer is a new request, read with confidence, rather than a rating."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    confidence = float(intent.get("confidence") or 0.0)
    return intent.get("name") in REQUEST_INTENTS and confidence >= REQUEST_CONFIDENCE


class ActionRecordSatisfaction(runtime.CrmAction):
    """Keep the score and comment on the interaction that was asked.

    Reads and clears ``satisfaction_answer``; sets ``result``:
    ``satisfaction_recorded``, or ``satisfaction_skipped`` when the answer
    held no score (declined, not understood twice) or nothing waits for one.
    An answer that was a new request is given back to the dialogue: the
    customer's message again, after an ``action_listen``, which the rules
    then answer as they would have without the question.
    """

    def name(self) -> str:
        return "action_record_satisfaction"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot(ANSWER) == NEW_REQUEST:
            return [SlotSet(ANSWER, None), *_said_again(tracker)]
        rating = satisfaction.read_rating(str(tracker.get_slot(ANSWER) or ""))
        cleared = [SlotSet(ANSWER, None)]
        if rating is None:
            return [*cleared, SlotSet("result", "satisfaction_skipped")]
        with runtime.unit_of_work() as uow:
            try:
                satisfaction.record_answer(
                    uow,
                    conversation_id=tracker.sender_id,
                    score=rating.score,
                    comment=rating.comment,
                    now=runtime.now(),
                )
            except InteractionNotFound:
                return [*cleared, SlotSet("result", "satisfaction_skipped")]
            uow.commit()
        return [*cleared, SlotSet("result", "satisfaction_recorded")]


def _said_again(tracker: Tracker) -> list[EventType]:
    """The customer's latest message once more, as if just said: the dialogue takes it up."""
    latest = dict(tracker.latest_message or {})
    return [
        SlotSet("result", "satisfaction_skipped"),
        ActionExecuted("action_listen"),
        {
            **UserUttered(
                str(latest.get("text") or ""),
                parse_data=latest,
                input_channel=tracker.get_latest_input_channel(),
            ),
            "metadata": latest.get("metadata") or {},  # rasa_sdk's helper has no such field
        },
    ]
