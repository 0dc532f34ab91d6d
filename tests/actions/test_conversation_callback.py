"""validate_callback_form and action_request_callback: the call back an adviser will make."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.conversation_callback import ActionRequestCallback, ValidateCallbackForm
from crm_backend.models import ActivityKind
from crm_backend.services import accounts
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import form_tracker, tracker


async def test_a_verified_customer_is_not_asked_for_a_number(crm, pierre, dispatcher, domain):
    form = ValidateCallbackForm()
    known = form_tracker("callback_form", requested_slot=None, slots={"account_id": str(pierre.id)})
    assert await form.required_slots(form.domain_slots(domain), dispatcher, known, domain) == []
    assert await form.run(dispatcher, known, domain) == [SlotSet("requested_slot", None)]


async def test_a_number_that_is_none_is_asked_again(crm, dispatcher, domain):
    asked = form_tracker(
        "callback_form", requested_slot="callback_phone", filled={"callback_phone": "12"}
    )
    events = await ValidateCallbackForm().run(dispatcher, asked, domain)
    assert events == [SlotSet("callback_phone", None), SlotSet("form_notice", "invalid_phone")]


async def test_a_number_is_kept_in_international_form(crm, dispatcher, domain):
    asked = form_tracker(
        "callback_form", requested_slot="callback_phone", filled={"callback_phone": "0611223344"}
    )
    events = await ValidateCallbackForm().run(dispatcher, asked, domain)
    assert events == [SlotSet("callback_phone", "+33611223344")]


def callbacks_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        return [
            (a.subject, a.interaction_id is not None)
            for a in uow.activities.list_by(account_id=account_id)
            if a.kind == ActivityKind.CALLBACK
        ]


async def test_two_misunderstandings_give_a_verified_customer_a_call_back(crm, pierre, dispatcher):
    asked = tracker(
        slots={"account_id": str(pierre.id), "channel": "web", "misunderstood_twice": True}
    )
    events = await ActionRequestCallback().run(dispatcher, asked, {})
    assert events == [
        SlotSet("callback_phone", "+33612345678"),
        SlotSet("callback_phone_said", "+33612345678"),
        SlotSet("result", "callback_created"),
    ]
    assert callbacks_of(crm, pierre.id) == [
        ("Call back: the bot misunderstood twice (web); call +33612345678", True)
    ]


async def test_a_stranger_is_called_back_on_a_prospect_account(crm, dispatcher):
    asked = tracker(slots={"callback_phone": "+33611223344", "channel": "sms"})
    events = await ActionRequestCallback().run(dispatcher, asked, {})
    assert events == [
        SlotSet("callback_phone", "+33611223344"),
        SlotSet("callback_phone_said", "+33611223344"),
        SlotSet("result", "callback_created"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        [prospect] = accounts.find_accounts(uow, phone="+33611223344")
        prospect_id, name = prospect.id, prospect.name
    assert name == "Prospect +33611223344"
    assert callbacks_of(crm, prospect_id) == [
        ("Call back: asked for an adviser (sms); call +33611223344, identity not verified", True)
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


async def test_no_call_back_when_the_crm_is_down(down, dispatcher):
    asked = tracker(slots={"callback_phone": "+33611223344"})
    events = await ActionRequestCallback().run(dispatcher, asked, {})
    assert events == [SlotSet("result", "technical_problem")]
