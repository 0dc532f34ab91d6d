"""action_session_start, action_cancel_form, action_close_interaction."""

from __future__ import annotations

from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.conversation import (
    ActionCancelForm,
    ActionCloseInteraction,
    ActionSessionStart,
)
from actions.identification_context import ActionGiveAccountContext
from actions.orders import ActionPlaceOrder
from crm_backend.services import orders
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_START, SENDER, tracker, user_event
from tests.factories import columns

# --- the start ---------------------------------------------------------------------------


def start_tracker(metadata):
    return tracker(slots={"session_started_metadata": metadata}, events=[])


def interactions_of(crm):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [
            columns(i, without=("id",)) for i in uow.interactions.list_by(conversation_id=SENDER)
        ]


def new_interaction(channel):
    return {
        "conversation_id": SENDER,
        "channel": channel,
        "direction": "inbound",
        "account_id": None,
        "identity_confirmed": False,
        "started_at": CALL_START,
        "ended_at": None,
        "duration_seconds": None,
        "outcome": None,
        "summary": None,
        "quote_id": None,
        "order_id": None,
        "lead_id": None,
        "campaign_id": None,
        "call_list_entry_id": None,
        "wrap_up_code": None,
        "wrap_up_summary": None,
        "stir_verstat": None,
        "feedback": None,
        "feedback_kind": None,
        "satisfaction_asked_at": None,
        "satisfaction_score": None,
        "satisfaction_comment": None,
        "satisfaction_answered_at": None,
    }


def started(channel):
    return [SessionStarted(), SlotSet("channel", channel), ActionExecuted("action_listen")]


async def test_a_web_chat_starts_with_its_channel_and_an_interaction(crm, dispatcher):
    events = await ActionSessionStart().run(dispatcher, start_tracker({"channel": "web"}), {})
    assert events == started("web")
    assert dispatcher.messages == []
    assert interactions_of(crm) == [new_interaction("web")]


async def test_a_trusted_caller_number_only_picks_the_candidate(crm, pierre, dispatcher):
    metadata = {"channel": "voice", "caller_phone": "+33612345678"}
    events = await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    # No name and nothing verified: a number can be spoofed or recycled, the postcode decides.
    assert events == [
        SessionStarted(),
        SlotSet("channel", "voice"),
        SlotSet("caller_known", True),
        SlotSet("identity_key", "+33612345678"),
        SlotSet("identified_by", "caller_phone"),
        SlotSet("verification_kind", "caller"),
        SlotSet("account_candidate_id", str(pierre.id)),
        ActionExecuted("action_listen"),
    ]
    # Known, not confirmed: the interaction learns the account only on confirmation.
    assert interactions_of(crm) == [new_interaction("voice")]


async def test_twilios_verdict_on_the_caller_number_is_kept_on_the_interaction(crm, dispatcher):
    metadata = {
        "channel": "voice",
        "caller_phone": "+33699999999",
        "stir_verstat": "TN-Validation-Passed-A",
    }
    await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    assert interactions_of(crm) == [
        {**new_interaction("voice"), "stir_verstat": "TN-Validation-Passed-A"}
    ]


async def test_an_unknown_caller_number_identifies_nobody(crm, dispatcher):
    metadata = {"channel": "sms", "caller_phone": "+33699999999"}
    events = await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    assert events == started("sms")


async def test_a_phone_in_untrusted_metadata_is_not_a_caller_number(crm, dispatcher):
    # The gateway passes a number only as caller_phone, and only when it trusts it.
    metadata = {"channel": "web", "phone": "+33612345678"}
    events = await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    assert events == started("web")


async def test_the_latest_message_metadata_is_used_when_the_session_has_none(crm, dispatcher):
    events = await ActionSessionStart().run(
        dispatcher, tracker(metadata={"channel": "sms"}, events=[]), {}
    )
    assert events == started("sms")


async def test_an_unknown_channel_reads_as_web(crm, dispatcher):
    events = await ActionSessionStart().run(dispatcher, start_tracker({"channel": "fax"}), {})
    assert events == started("web")


async def test_a_retried_session_start_keeps_one_interaction(crm, dispatcher):
    for _ in range(2):
        await ActionSessionStart().run(dispatcher, start_tracker({"channel": "web"}), {})
    assert interactions_of(crm) == [new_interaction("web")]


async def test_a_new_session_after_an_idle_hour_is_a_new_interaction(crm, dispatcher):
    await ActionSessionStart().run(dispatcher, start_tracker({"channel": "web"}), {})
    later = tracker(
        slots={"session_started_metadata": {"channel": "web"}},
        events=[{"event": "session_started"}, user_event("hi", intent="greet")],
    )
    events = await ActionSessionStart().run(dispatcher, later, {})
    assert events == started("web")
    expired = {
        **new_interaction("web"),
        "ended_at": CALL_START,
        "outcome": "session_expired",
        "summary": "information; the customer left without saying goodbye",
    }
    assert interactions_of(crm) == [new_interaction("web"), expired]


async def test_the_session_starts_even_when_the_crm_is_down(down, dispatcher):
    metadata = {"channel": "voice", "caller_phone": "+33612345678"}
    events = await ActionSessionStart().run(dispatcher, start_tracker(metadata), {})
    assert events == started("voice")
    assert dispatcher.messages == []


# --- leaving a form -----------------------------------------------------------------------

FORM_INPUTS = [
    "quote_lines",
    "requested_date",
    "order_lines",
    "order_confirmed",
    "order_quote_number",
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
    "contact_value_said",
    "new_name",
    "new_email",
    "new_postcode",
    "form_notice",
    "script_answer",
    "script_question",
    "script_question_text",
    "script_options",
    "script_answers",
    "script_asked_again",
]
IDENTIFICATION_INPUTS = [
    "identity_key",
    "lookup_postcode",
    "verification_answer",
    "identity_confirmed",
    "identified_by",
    "verification_kind",
    "account_candidate_id",
    "candidate_name",
]


async def test_a_verified_customer_who_cancels_forgets_what_the_forms_collected(dispatcher):
    cancelled = tracker(slots={"identity_status": "verified"}, intent="cancel")
    events = await ActionCancelForm().run(dispatcher, cancelled, {})
    assert events == [SlotSet(slot, None) for slot in FORM_INPUTS]


async def test_leaving_an_identification_forgets_the_attempt_but_not_the_count(dispatcher):
    slots = {"identity_key": "pierre.moreau@example.fr", "identify_attempts": 1.0}
    events = await ActionCancelForm().run(dispatcher, tracker(slots=slots, intent="cancel"), {})
    assert events == [SlotSet(slot, None) for slot in FORM_INPUTS + IDENTIFICATION_INPUTS]


# --- the end ------------------------------------------------------------------------------


def interactions_here(crm):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [
            (i.outcome, i.summary, i.ended_at, i.order_id, i.account_id)
            for i in uow.interactions.list_by(conversation_id=SENDER)
        ]


async def test_goodbye_after_an_order_closes_the_interaction_that_links_it(crm, pierre, dispatcher):
    await ActionSessionStart().run(dispatcher, start_tracker({"channel": "web"}), {})
    verified = tracker(slots={"account_id": str(pierre.id), "channel": "web"})
    await ActionGiveAccountContext().run(dispatcher, verified, {})
    ordered = tracker(
        slots={
            "account_id": str(pierre.id),
            "identity_status": "verified",
            "order_lines": [{"sku": "ECL-3000", "quantity": 1}, {"sku": "BAG-ECL", "quantity": 1}],
            "order_confirmed": True,
            "channel": "web",
        },
        intent="affirm",
        events=[user_event("yes", intent="affirm")],
    )
    await ActionPlaceOrder().run(dispatcher, ordered, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        order = orders.latest_order(uow, account_id=pierre.id)
        order_id, number = order.id, order.number
    bye = tracker(
        slots={"account_id": str(pierre.id), "channel": "web", "updated_field": "phone"},
        intent="goodbye",
        events=[
            {"event": "action", "name": "action_place_order"},
            {"event": "action", "name": "action_update_contact"},
            user_event("bye", intent="goodbye"),
        ],
    )
    events = await ActionCloseInteraction().run(dispatcher, bye, {})
    assert events == [SlotSet("result", "goodbye_after_order"), SlotSet("satisfaction_due", True)]
    summary = f"identified as C-100001; order {number}; phone updated"
    assert interactions_here(crm) == [("order_placed", summary, CALL_START, order_id, pierre.id)]


async def test_goodbye_without_anything_done(crm, dispatcher):
    bye = tracker(slots={"channel": "sms"}, intent="goodbye")
    assert await ActionCloseInteraction().run(dispatcher, bye, {}) == [
        SlotSet("result", "goodbye"),
        SlotSet("satisfaction_due", True),
    ]
    again = await ActionCloseInteraction().run(dispatcher, bye, {})
    # A second goodbye records nothing and asks nothing: the question comes once.
    assert again == [SlotSet("result", "goodbye"), SlotSet("satisfaction_due", False)]
    assert interactions_here(crm) == [("information", "no request", CALL_START, None, None)]


async def test_anonymous_feedback_is_kept_in_the_summary(crm, dispatcher):
    events = [
        user_event("the delivery was really fast", intent="give_feedback"),
        {"event": "action", "name": "action_record_feedback"},
        user_event("bye", intent="goodbye"),
    ]
    await ActionCloseInteraction().run(dispatcher, tracker(intent="goodbye", events=events), {})
    [(outcome, summary, *_)] = interactions_here(crm)
    assert (outcome, summary) == ("information", 'feedback: "the delivery was really fast"')


async def test_goodbye_when_the_crm_is_down(down, dispatcher):
    events = await ActionCloseInteraction().run(dispatcher, tracker(intent="goodbye"), {})
    assert events == [SlotSet("result", "technical_problem"), SlotSet("satisfaction_due", False)]
