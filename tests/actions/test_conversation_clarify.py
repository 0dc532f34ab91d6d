"""action_clarify and action_take_suggestion: "did you mean ...?", and a write asked about first."""

from __future__ import annotations

from rasa_sdk.events import ActionExecuted, FollowupAction, SlotSet

from actions.conversation_clarify import ActionClarify, ActionTakeSuggestion
from tests.actions.trackers import entity, responses, tracker, user_event

LABELS = {
    "order_status": "Where is my order?",
    "request_quote": "Get a quote",
    "help": "What can you do?",
    "request_human": "Talk to a person",
    "ask_product_info": "Product information",
}
RANKING = [
    {"name": "nlu_fallback", "confidence": 0.55},
    {"name": "request_quote", "confidence": 0.31},
    {"name": "order_status", "confidence": 0.40},
    {"name": "out_of_scope", "confidence": 0.35},
    {"name": "place_order", "confidence": 0.1},
]


def not_understood(events, ranking=RANKING):
    latest = tracker(slots={"intent_labels": LABELS}, intent="nlu_fallback", events=events)
    latest.latest_message["intent_ranking"] = ranking
    return latest


async def test_the_first_misunderstanding_suggests_the_likely_intents(dispatcher):
    events = [user_event("the thing about the stuff", intent="nlu_fallback")]
    result = await ActionClarify().run(dispatcher, not_understood(events), {})
    assert result == [
        SlotSet("suggestion_1", "order_status"),
        SlotSet("suggestion_1_title", "Where is my order?"),
        SlotSet("suggestion_2", "request_quote"),
        SlotSet("suggestion_2_title", "Get a quote"),
        # place_order has no label here: not offered; the first default instead.
        SlotSet("suggestion_3", "help"),
        SlotSet("suggestion_3_title", "What can you do?"),
        SlotSet("misunderstood_twice", False),
    ]
    assert dispatcher.messages == []


async def test_few_likely_intents_are_filled_up_with_help(dispatcher):
    events = [user_event("zzz", intent="nlu_fallback")]
    ranking = [{"name": "nlu_fallback", "confidence": 0.9}]
    result = await ActionClarify().run(dispatcher, not_understood(events, ranking), {})
    assert [e["value"] for e in result[::2]] == [
        "help",
        "request_human",
        "ask_product_info",
        False,
    ]


async def test_the_second_misunderstanding_in_a_row_is_noted(dispatcher):
    events = [
        user_event("the thing", intent="nlu_fallback"),
        {"event": "action", "name": "action_clarify"},
        {"event": "action", "name": "utter_ask_rephrase"},
        user_event("what about that one", intent="nlu_fallback"),
    ]
    result = await ActionClarify().run(dispatcher, not_understood(events), {})
    assert result[-1] == SlotSet("misunderstood_twice", True)


async def test_a_turn_no_rule_covered_after_a_misunderstanding_is_the_second(dispatcher):
    # RulePolicy's core fallback runs action_clarify on a message understood as an intent.
    events = [
        user_event("the thing", intent="nlu_fallback"),
        user_event("yes", intent="affirm"),
    ]
    result = await ActionClarify().run(dispatcher, not_understood(events), {})
    assert result[-1] == SlotSet("misunderstood_twice", True)


async def test_a_misunderstanding_after_an_understood_message_is_the_first(dispatcher):
    events = [
        user_event("the thing", intent="nlu_fallback"),
        {"event": "action", "name": "action_clarify"},
        user_event("where is my order?", intent="order_status"),
        {"event": "action", "name": "utter_identify_first"},
        user_event("blah", intent="nlu_fallback"),
    ]
    result = await ActionClarify().run(dispatcher, not_understood(events), {})
    assert result[-1] == SlotSet("misunderstood_twice", False)


# --- a write the guard held back --------------------------------------------------------

QUESTIONS = {"stop_contact": "take you off our lists", "place_order": "place an order"}
GUARDED = [
    {"name": "nlu_fallback", "confidence": 0.8},
    {"name": "stop_contact", "confidence": 0.62},
    {"name": "out_of_scope", "confidence": 0.3},
]


def guarded(text, ranking=GUARDED, events=None):
    held = tracker(
        slots={"intent_labels": LABELS, "write_questions": QUESTIONS},
        intent="nlu_fallback",
        text=text,
        events=events or [user_event(text, intent="nlu_fallback")],
    )
    held.latest_message["intent_ranking"] = ranking
    return held


async def test_a_write_held_back_is_asked_about_by_name(dispatcher):
    result = await ActionClarify().run(dispatcher, guarded("no more of that"), {})
    assert result == [
        SlotSet("suggestion_1", "stop_contact"),
        SlotSet("write_question", "take you off our lists"),
        SlotSet("misunderstood_twice", False),
        FollowupAction("utter_confirm_write"),
    ]


async def test_a_writing_intent_second_in_the_ranking_gets_the_usual_buttons(dispatcher):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "order_status", "confidence": 0.5},
        {"name": "place_order", "confidence": 0.45},
    ]
    result = await ActionClarify().run(dispatcher, guarded("my order thing", ranking), {})
    assert result[0] == SlotSet("suggestion_1", "order_status")
    assert not any(e.get("event") == "followup" for e in result)


async def test_an_understood_message_is_never_asked_about(dispatcher):
    # The core fallback runs action_clarify on a message the NLU understood.
    understood = tracker(
        slots={"intent_labels": LABELS, "write_questions": QUESTIONS},
        intent="stop_contact",
        events=[user_event("stop calling me", intent="stop_contact")],
    )
    understood.latest_message["intent_ranking"] = [{"name": "stop_contact", "confidence": 0.99}]
    result = await ActionClarify().run(dispatcher, understood, {})
    assert not any(e.get("event") == "followup" for e in result)


CARRIED = [entity("product", "ECL-3000"), entity("quantity", "2")]


def after_yes(suggestion="place_order", yes_metadata=None):
    events = [
        user_event("2 eclipse 3000 for me", intent="nlu_fallback", entities=CARRIED),
        {"event": "action", "name": "action_clarify"},
        {"event": "action", "name": "utter_confirm_write"},
        user_event("yes", intent="affirm", metadata=yes_metadata),
    ]
    return tracker(
        slots={"suggestion_1": suggestion},
        intent="affirm",
        text="yes",
        metadata=yes_metadata,
        events=events,
    )


async def test_yes_is_the_first_message_again_with_the_suggested_intent(dispatcher):
    result = await ActionTakeSuggestion().run(dispatcher, after_yes(), {})
    assert result[:2] == [SlotSet("write_question", None), ActionExecuted("action_listen")]
    again = result[2]
    assert (again["event"], again["text"]) == ("user", "2 eclipse 3000 for me")
    assert again["parse_data"]["intent"] == {"name": "place_order", "confidence": 1.0}
    assert again["parse_data"]["intent_ranking"] == [{"name": "place_order", "confidence": 1.0}]
    assert again["parse_data"]["entities"] == CARRIED
    assert dispatcher.messages == []


async def test_the_message_again_carries_the_gateways_judgement_of_now(dispatcher):
    # A client whose handoffs are spent stays so: the "yes" carries the gateway's verdict.
    spent = {"handoff_allowed": False}
    result = await ActionTakeSuggestion().run(dispatcher, after_yes(yes_metadata=spent), {})
    assert result[2]["metadata"] == spent


async def test_without_a_suggestion_the_bot_asks_what_it_can_do(dispatcher):
    result = await ActionTakeSuggestion().run(dispatcher, after_yes(suggestion=None), {})
    assert result == []
    assert responses(dispatcher) == ["utter_anything_else"]


async def test_without_an_earlier_message_nothing_is_made_up(dispatcher):
    alone = tracker(slots={"suggestion_1": "place_order"}, intent="affirm", text="yes")
    assert await ActionTakeSuggestion().run(dispatcher, alone, {}) == []
    assert responses(dispatcher) == ["utter_anything_else"]


async def test_the_same_write_said_again_after_the_question_is_taken_as_meant(dispatcher):
    asked_before = [
        user_event("no more of that", intent="nlu_fallback"),
        {"event": "action", "name": "action_clarify"},
        {"event": "action", "name": "utter_confirm_write"},
        {"event": "action", "name": "action_listen"},
        user_event("no more of that", intent="nlu_fallback"),
    ]
    again = guarded("no more of that", events=asked_before)
    again.slots["suggestion_1"] = "stop_contact"

    result = await ActionClarify().run(dispatcher, again, {})

    assert result[:3] == [
        SlotSet("write_question", None),
        SlotSet("misunderstood_twice", False),
        ActionExecuted("action_listen"),
    ]
    assert (result[3]["text"], result[3]["parse_data"]["intent"]["name"]) == (
        "no more of that",
        "stop_contact",
    )


async def test_a_question_about_the_write_is_no_yes(dispatcher):
    asked_before = [
        user_event("no more of that", intent="nlu_fallback"),
        {"event": "action", "name": "utter_confirm_write"},
        user_event("will you still send my invoices?", intent="nlu_fallback"),
    ]
    question = guarded("will you still send my invoices?", events=asked_before)
    question.slots["suggestion_1"] = "stop_contact"

    result = await ActionClarify().run(dispatcher, question, {})

    assert result[-1] == FollowupAction("utter_confirm_write")


async def test_another_write_after_the_question_is_asked_about_in_turn(dispatcher):
    asked_before = [
        user_event("2 eclipse", intent="nlu_fallback"),
        {"event": "action", "name": "utter_confirm_write"},
        user_event("no more of that", intent="nlu_fallback"),
    ]
    other = guarded("no more of that", events=asked_before)
    other.slots["suggestion_1"] = "place_order"

    result = await ActionClarify().run(dispatcher, other, {})

    assert result[-1] == FollowupAction("utter_confirm_write")


async def test_a_write_declined_for_the_same_words_is_not_asked_again(dispatcher):
    # "No" to the order for these words: said again, they meant something else.
    declined = [
        user_event("you made me an offer, can I still use it", intent="nlu_fallback"),
        {"event": "action", "name": "action_extract_slots"},
        {"event": "action", "name": "action_clarify"},
        {"event": "slot", "name": "suggestion_1", "value": "place_order"},
        {"event": "action", "name": "utter_confirm_write"},
        {"event": "action", "name": "action_listen"},
        user_event("no, not that", intent="deny"),
        {"event": "action", "name": "utter_nothing_written"},
        {"event": "action", "name": "action_listen"},
        user_event("you made me an offer, can I still use it", intent="nlu_fallback"),
    ]
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": "place_order", "confidence": 0.48},
        {"name": "request_quote", "confidence": 0.25},
    ]
    again = guarded("you made me an offer, can I still use it", ranking, events=declined)

    result = await ActionClarify().run(dispatcher, again, {})

    assert result[:2] == [
        SlotSet("suggestion_1", "request_quote"),
        SlotSet("suggestion_1_title", "Get a quote"),
    ]
    assert not any(e.get("event") == "followup" for e in result)


async def test_a_write_declined_for_other_words_is_asked_about(dispatcher):
    declined = [
        user_event("2 eclipse", intent="nlu_fallback"),
        {"event": "action", "name": "action_clarify"},
        {"event": "slot", "name": "suggestion_1", "value": "place_order"},
        {"event": "action", "name": "utter_confirm_write"},
        user_event("no", intent="deny"),
        {"event": "action", "name": "utter_nothing_written"},
        user_event("3 nova", intent="nlu_fallback"),
    ]
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": "place_order", "confidence": 0.6},
    ]
    other = guarded("3 nova", ranking, events=declined)

    result = await ActionClarify().run(dispatcher, other, {})

    assert result[-1] == FollowupAction("utter_confirm_write")
