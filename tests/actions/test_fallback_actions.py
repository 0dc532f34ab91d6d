"""action_clarify, action_cancel_form, validate_callback_form, action_request_callback."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.fallback import (
    ActionCancelForm,
    ActionClarify,
    ActionRequestCallback,
    ValidateCallbackForm,
)
from crm_backend.models import ActivityKind
from crm_backend.services import accounts
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import form_tracker, tracker, user_event

LABELS = {
    "order_status": "Where is my order?",
    "request_quote": "Get a quote",
    "place_order": "Place an order",
    "help": "What can you do?",
    "request_human": "Talk to a person",
    "ask_product_info": "Product information",
}


def not_understood(events, ranking):
    latest = tracker(slots={"intent_labels": LABELS}, intent="nlu_fallback", events=events)
    latest.latest_message["intent_ranking"] = ranking
    return latest


RANKING = [
    {"name": "nlu_fallback", "confidence": 0.55},
    {"name": "request_quote", "confidence": 0.31},
    {"name": "order_status", "confidence": 0.40},
    {"name": "affirm", "confidence": 0.2},
    {"name": "place_order", "confidence": 0.1},
]


async def test_the_first_misunderstanding_suggests_the_likely_intents(dispatcher):
    events = [user_event("the thing about the stuff", intent="nlu_fallback")]
    result = await ActionClarify().run(dispatcher, not_understood(events, RANKING), {})
    assert result == [
        SlotSet("suggestion_1", "order_status"),
        SlotSet("suggestion_1_title", "Where is my order?"),
        SlotSet("suggestion_2", "request_quote"),
        SlotSet("suggestion_2_title", "Get a quote"),
        SlotSet("suggestion_3", "place_order"),
        SlotSet("suggestion_3_title", "Place an order"),
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
    result = await ActionClarify().run(dispatcher, not_understood(events, RANKING), {})
    assert result[-1] == SlotSet("misunderstood_twice", True)


async def test_a_misunderstanding_after_an_understood_message_is_the_first(dispatcher):
    events = [
        user_event("the thing", intent="nlu_fallback"),
        {"event": "action", "name": "action_clarify"},
        user_event("where is my order?", intent="order_status"),
        {"event": "action", "name": "utter_identify_first"},
        user_event("blah", intent="nlu_fallback"),
    ]
    result = await ActionClarify().run(dispatcher, not_understood(events, RANKING), {})
    assert result[-1] == SlotSet("misunderstood_twice", False)


# --- leaving a form -----------------------------------------------------------------------


def left(form, slots, intent="cancel"):
    events = [
        {"event": "active_loop", "name": form},
        user_event("stop", intent=intent),
        {"event": "active_loop", "name": None},
    ]
    return tracker(slots=slots, intent=intent, events=events)


async def test_cancel_forgets_what_the_quote_form_collected(dispatcher, domain):
    events = await ActionCancelForm().run(
        dispatcher,
        left("quote_form", {"quote_lines": [{"sku": "ECL-3000", "quantity": 2}]}),
        domain,
    )
    assert events == [
        SlotSet("quote_lines", None),
        SlotSet("requested_date", None),
        SlotSet("requested_slot", None),
        SlotSet("form_notice", None),
        SlotSet("pending_task", None),
    ]


async def test_leaving_the_identification_keeps_the_count_of_failed_checks(dispatcher, domain):
    slots = {"identity_key": "pierre.moreau@example.fr", "identify_attempts": 1.0}
    events = await ActionCancelForm().run(dispatcher, left("identify_form", slots), domain)
    assert events == [
        SlotSet("identity_key", None),
        SlotSet("lookup_postcode", None),
        SlotSet("verification_answer", None),
        SlotSet("identity_confirmed", None),
        SlotSet("verification_kind", None),
        SlotSet("identified_by", None),
        SlotSet("account_candidate_id", None),
        SlotSet("candidate_name", None),
        SlotSet("requested_slot", None),
        SlotSet("form_notice", None),
        SlotSet("pending_task", None),
    ]


async def test_a_trusted_caller_who_stops_stays_the_candidate(dispatcher, domain):
    slots = {"identified_by": "caller_phone", "account_candidate_id": "1"}
    events = await ActionCancelForm().run(dispatcher, left("identify_form", slots), domain)
    assert {e["name"] for e in events} == {
        "identity_key",
        "lookup_postcode",
        "verification_answer",
        "identity_confirmed",
        "verification_kind",
        "requested_slot",
        "form_notice",
        "pending_task",
    }


async def test_without_a_form_only_the_question_is_forgotten(dispatcher, domain):
    events = [user_event("what about that one", intent="nlu_fallback")]
    result = await ActionCancelForm().run(dispatcher, tracker(events=events), domain)
    assert result == [
        SlotSet("requested_slot", None),
        SlotSet("form_notice", None),
        SlotSet("pending_task", None),
    ]


# --- the call back --------------------------------------------------------------------------


async def test_a_verified_customer_is_not_asked_for_a_number(crm, pierre, dispatcher, domain):
    form = ValidateCallbackForm()
    known = form_tracker("callback_form", requested_slot=None, slots={"account_id": str(pierre.id)})
    assert await form.required_slots(form.domain_slots(domain), dispatcher, known, domain) == []
    assert await form.run(dispatcher, known, domain) == [SlotSet("requested_slot", None)]


async def test_a_stranger_is_asked_for_a_number(crm, dispatcher, domain):
    events = await ValidateCallbackForm().run(
        dispatcher,
        form_tracker(
            "callback_form", requested_slot="callback_phone", filled={"callback_phone": "12"}
        ),
        domain,
    )
    assert events == [SlotSet("callback_phone", None), SlotSet("form_notice", "invalid_phone")]


def callbacks_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [
            (a.subject, a.interaction_id is not None)
            for a in uow.activities.list_by(account_id=account_id)
            if a.kind == ActivityKind.CALLBACK
        ]


async def test_a_verified_customer_is_called_back_on_the_phone_on_file(crm, pierre, dispatcher):
    asked = tracker(slots={"account_id": str(pierre.id), "channel": "web"})
    events = await ActionRequestCallback().run(dispatcher, asked, {})
    assert events == [
        SlotSet("callback_phone", "+33612345678"),
        SlotSet("result", "callback_created"),
    ]
    assert callbacks_of(crm, pierre.id) == [
        ("Call back: asked for an adviser by web; call +33612345678", True)
    ]


async def test_a_stranger_is_called_back_on_a_prospect_account(crm, dispatcher):
    asked = tracker(slots={"callback_phone": "+33611223344", "channel": "sms"})
    events = await ActionRequestCallback().run(dispatcher, asked, {})
    assert events == [
        SlotSet("callback_phone", "+33611223344"),
        SlotSet("result", "callback_created"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        [prospect] = accounts.find_accounts(uow, phone="+33611223344")
        prospect_id = prospect.id
    assert callbacks_of(crm, prospect_id) == [
        (
            "Call back: asked for an adviser by sms; call +33611223344, identity not verified",
            True,
        )
    ]


async def test_a_trusted_caller_is_called_back_on_the_caller_number(crm, pierre, dispatcher):
    asked = tracker(
        slots={
            "channel": "voice",
            "session_started_metadata": {"channel": "voice", "caller_phone": "+33612345678"},
        }
    )
    events = await ActionRequestCallback().run(dispatcher, asked, {})
    assert events[0] == SlotSet("callback_phone", "+33612345678")
    assert len(callbacks_of(crm, pierre.id)) == 1
