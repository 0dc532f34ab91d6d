"""The satisfaction question after the goodbye: when it is due, its answer, what is kept."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.conversation import ActionCloseInteraction
from actions.conversation_satisfaction import (
    NEW_REQUEST,
    NO_ANSWER,
    ActionAskSatisfactionAnswer,
    ActionRecordSatisfaction,
    ValidateSatisfactionForm,
)
from crm_backend.services import consent
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import (
    CALL_START,
    SENDER,
    form_tracker,
    responses,
    tracker,
    user_event,
)

ANSWER = "satisfaction_answer"
QUESTION = "utter_ask_satisfaction_answer"


def kept(crm):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [
            (
                i.satisfaction_asked_at,
                i.satisfaction_score,
                i.satisfaction_comment,
                i.satisfaction_answered_at,
            )
            for i in uow.interactions.list_by(conversation_id=SENDER)
        ]


def asked(text, *, events=()):
    """The form's validator's tracker: the customer answered ``text`` to the question."""
    validated = form_tracker(
        "satisfaction_form", requested_slot=ANSWER, filled={ANSWER: text}, text=text
    )
    validated.events[:0] = list(events)
    return validated


async def test_goodbye_asks_and_the_score_and_comment_are_kept(crm, dispatcher):
    bye = tracker(slots={"channel": "web"}, intent="goodbye")
    events = await ActionCloseInteraction().run(dispatcher, bye, {})
    assert events == [SlotSet("result", "goodbye"), SlotSet("satisfaction_due", True)]
    assert kept(crm) == [(CALL_START, None, None, None)]

    answered = tracker(slots={"channel": "web", ANSWER: "4 - quick, but the bag was late"})
    events = await ActionRecordSatisfaction().run(dispatcher, answered, {})

    assert events == [SlotSet(ANSWER, None), SlotSet("result", "satisfaction_recorded")]
    assert kept(crm) == [(CALL_START, 4, "quick, but the bag was late", CALL_START)]
    assert responses(dispatcher) == []  # the rule utters utter_record_satisfaction_result


async def test_not_asked_after_a_complaint(crm, dispatcher):
    events = [
        user_event("my laptop is broken", intent="complain"),
        user_event("bye", intent="goodbye"),
    ]
    bye = tracker(slots={"channel": "web"}, intent="goodbye", events=events)

    assert await ActionCloseInteraction().run(dispatcher, bye, {}) == [
        SlotSet("result", "goodbye"),
        SlotSet("satisfaction_due", False),
    ]
    assert kept(crm) == [(None, None, None, None)]


async def test_not_asked_by_sms_from_a_number_that_opted_out(crm, dispatcher):
    with SqlAlchemyUnitOfWork(crm) as uow:
        consent.opt_out_number(uow, phone="+33698765432", channel="sms", source="sms keyword")
        uow.commit()
    metadata = {"channel": "sms", "caller_phone": "+33698765432"}
    bye = tracker(
        slots={"channel": "sms", "session_started_metadata": metadata},
        intent="goodbye",
        sender_id=SENDER,
    )

    events = await ActionCloseInteraction().run(dispatcher, bye, {})

    assert events == [SlotSet("result", "goodbye"), SlotSet("satisfaction_due", False)]


async def test_a_score_is_kept_as_said(dispatcher, domain):
    events = await ValidateSatisfactionForm().run(dispatcher, asked("five stars!"), domain)
    assert events == [SlotSet(ANSWER, "five stars!")]


async def test_no_score_is_asked_once_more_then_let_go(dispatcher, domain):
    first = await ValidateSatisfactionForm().run(dispatcher, asked("meh"), domain)
    assert first == [SlotSet(ANSWER, None), SlotSet("form_notice", "not_understood")]

    twice = [
        {"event": "action", "name": "action_close_interaction"},
        {"event": "bot", "text": "Before you go", "metadata": {"utter_action": QUESTION}},
        user_event("meh"),
        {"event": "bot", "text": "Sorry", "metadata": {"utter_action": QUESTION}},
    ]
    second = await ValidateSatisfactionForm().run(dispatcher, asked("meh", events=twice), domain)
    assert second == [SlotSet(ANSWER, NO_ANSWER)]


async def test_no_thanks_ends_the_survey_at_once(dispatcher, domain):
    events = await ValidateSatisfactionForm().run(dispatcher, asked("no thanks"), domain)
    assert events == [SlotSet(ANSWER, NO_ANSWER)]


async def test_no_score_keeps_nothing(crm, dispatcher):
    await ActionCloseInteraction().run(dispatcher, tracker(intent="goodbye"), {})
    declined = tracker(slots={ANSWER: NO_ANSWER})

    events = await ActionRecordSatisfaction().run(dispatcher, declined, {})

    assert events == [SlotSet(ANSWER, None), SlotSet("result", "satisfaction_skipped")]
    assert kept(crm) == [(CALL_START, None, None, None)]


async def test_an_answer_nobody_asked_for_is_not_kept(crm, dispatcher):
    stray = tracker(slots={ANSWER: "5"})
    events = await ActionRecordSatisfaction().run(dispatcher, stray, {})
    assert events == [SlotSet(ANSWER, None), SlotSet("result", "satisfaction_skipped")]


async def test_the_question_is_asked_by_its_response(dispatcher):
    events = await ActionAskSatisfactionAnswer().run(dispatcher, tracker(), {})
    assert (responses(dispatcher), events) == ([QUESTION], [SlotSet("form_notice", None)])


def answered_with(text, intent, confidence):
    validated = form_tracker(
        "satisfaction_form", requested_slot=ANSWER, filled={ANSWER: text}, text=text, intent=intent
    )
    validated.latest_message["intent"]["confidence"] = confidence
    return validated


async def test_a_new_request_instead_of_a_score_ends_the_survey(dispatcher, domain):
    where = answered_with("actually where is my order?", "order_status", 0.93)
    unsure = answered_with("hmm the order", "order_status", 0.41)
    thanks = answered_with("thanks a lot", "thank", 0.99)
    scored = answered_with("5, and where is my order?", "order_status", 0.9)

    assert await ValidateSatisfactionForm().run(dispatcher, where, domain) == [
        SlotSet(ANSWER, NEW_REQUEST)
    ]
    assert await ValidateSatisfactionForm().run(dispatcher, unsure, domain) == [
        SlotSet(ANSWER, None),
        SlotSet("form_notice", "not_understood"),
    ]
    assert (await ValidateSatisfactionForm().run(dispatcher, thanks, domain))[0] == SlotSet(
        ANSWER, None
    )
    assert await ValidateSatisfactionForm().run(dispatcher, scored, domain) == [
        SlotSet(ANSWER, "5, and where is my order?")
    ]


async def test_the_new_request_is_given_back_to_the_dialogue_as_just_said(crm, dispatcher):
    request = tracker(
        slots={ANSWER: NEW_REQUEST},
        intent="order_status",
        text="actually where is my order?",
        metadata={"channel": "web"},
    )

    events = await ActionRecordSatisfaction().run(dispatcher, request, {})

    assert [e["event"] for e in events] == ["slot", "slot", "action", "user"]
    assert events[:3] == [
        SlotSet(ANSWER, None),
        SlotSet("result", "satisfaction_skipped"),
        {**events[2], "name": "action_listen"},
    ]
    again = events[3]
    assert (again["text"], again["parse_data"]["intent"]["name"], again["metadata"]) == (
        "actually where is my order?",
        "order_status",
        {"channel": "web"},
    )
    assert responses(dispatcher) == []
