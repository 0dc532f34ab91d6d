"""action_ask_<slot>: ask once, with the variation the form notice picks, then clear it."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions import questions
from tests.actions.trackers import responses, tracker, user_event

ALL_QUESTIONS = [
    "identity_key",
    "lookup_postcode",
    "verification_answer",
    "identity_confirmed",
    "new_name",
    "new_email",
    "new_postcode",
    "quote_lines",
    "requested_date",
    "order_lines",
    "order_confirmed",
    "lead_product",
    "lead_timeframe",
    "lead_contact",
    "lead_name",
    "lead_company",
    "lead_need",
    "lead_quantity",
    "contact_field",
    "contact_value",
    "contact_confirmed",
    "callback_phone",
    "script_answer",
    "satisfaction_answer",
]


CLEARED = [SlotSet("form_notice", None)]


def bot_said(response):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}


def test_every_form_question_has_its_action():
    names = sorted(cls().name() for cls in questions.AskSlot.__subclasses__())
    assert names == sorted(f"action_ask_{slot}" for slot in ALL_QUESTIONS)


async def test_the_question_is_asked(dispatcher):
    events = await questions.ActionAskIdentityKey().run(dispatcher, tracker(), {})
    assert (events, responses(dispatcher)) == (CLEARED, ["utter_ask_identity_key"])


async def test_the_notice_picks_the_variation_and_is_cleared_after_asking(dispatcher):
    asking = tracker(slots={"form_notice": "invalid_postcode"})
    events = await questions.ActionAskLookupPostcode().run(dispatcher, asking, {})
    assert events == CLEARED
    assert responses(dispatcher) == ["utter_ask_lookup_postcode"]


async def test_a_question_just_repeated_for_help_is_not_asked_twice(dispatcher):
    events = [user_event("why?", intent="help"), bot_said("utter_ask_identity_key")]
    helped = tracker(intent="help", events=events)
    assert await questions.ActionAskIdentityKey().run(dispatcher, helped, {}) == CLEARED
    assert dispatcher.messages == []


async def test_a_question_asked_before_the_customer_answered_is_asked_again(dispatcher):
    events = [bot_said("utter_ask_identity_key"), user_event("blah", intent="nlu_fallback")]
    await questions.ActionAskIdentityKey().run(dispatcher, tracker(events=events), {})
    assert responses(dispatcher) == ["utter_ask_identity_key"]


@pytest.mark.parametrize("slot", ALL_QUESTIONS)
async def test_each_question_utters_its_own_response(slot, dispatcher):
    [action] = [c() for c in questions.AskSlot.__subclasses__() if c.slot == slot]
    await action.run(dispatcher, tracker(), {})
    assert responses(dispatcher) == [f"utter_ask_{slot}"]
