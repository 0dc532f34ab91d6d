"""Marketing actions: an outbound call's start, the offer, objections, and how a contact ends."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.conversation import ActionCloseInteraction, ActionSessionStart
from actions.marketing import (
    ActionBookCampaignCallback,
    ActionHandleObjection,
    ActionPresentOffer,
    ActionRecordNotInterested,
)
from actions.marketing_consent import ActionRecordDoNotContact
from crm_backend.models import ActivityKind, ConsentStatus, ContactChannel
from crm_backend.services import consent
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.marketing_fixtures import SCRIPT, pending_entry, use_scripts_from
from tests.actions.trackers import CALL_START, SENDER, entity, tracker

OFFER = (
    "As an Éclipse owner, you can trade up to the new Éclipse 3000 this month, "
    "and we add the Éclipse Laptop Bag for free."
)
PRICE = (
    "I understand. Your old laptop counts towards the price, the bag is free, "
    "and you can pay in three instalments at no extra cost."
)
TIMING = (
    "No problem. The offer runs until the end of the month, and a few answers "
    "now let us tell you about it at the right moment."
)


@pytest.fixture
def called(crm):
    return pending_entry(crm)


def entry_of(crm, entry_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        entry = uow.call_list_entries.get(entry_id)
        return entry.status, entry.outcome, entry.lead_id


# --- the start of an outbound call -------------------------------------------------------


async def test_an_outbound_call_starts_with_whom_we_called_and_why(crm, called, dispatcher):
    start = tracker(slots={"session_started_metadata": called.metadata()}, events=[])

    events = await ActionSessionStart().run(dispatcher, start, {})

    assert events == [
        SessionStarted(),
        SlotSet("channel", "voice"),
        SlotSet("outbound_call", True),
        SlotSet("call_list_entry_id", str(called.entry_id)),
        SlotSet("called_account_id", str(called.account_id)),
        SlotSet("called_name", called.account_name),
        SlotSet("campaign_id", str(called.campaign_id)),
        SlotSet("campaign_name", "Éclipse 3000 upgrade offer"),
        SlotSet("script_name", SCRIPT),
        ActionExecuted("action_listen"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        [opened] = uow.interactions.list_by(conversation_id=SENDER)
        assert (opened.direction, opened.account_id, opened.campaign_id, opened.channel) == (
            "outbound",
            called.account_id,
            called.campaign_id,
            "voice",
        )


async def test_outbound_metadata_for_an_unknown_account_starts_an_ordinary_call(
    crm, called, dispatcher
):
    metadata = {**called.metadata(), "account_id": 999_999, "caller_phone": "+33700000009"}
    start = tracker(slots={"session_started_metadata": metadata}, events=[])

    events = await ActionSessionStart().run(dispatcher, start, {})

    assert events == [
        SessionStarted(),
        SlotSet("channel", "voice"),
        ActionExecuted("action_listen"),
    ]


# --- the offer ---------------------------------------------------------------------------


async def test_the_calls_campaign_offer_in_its_scripts_words(crm, called, dispatcher):
    events = await ActionPresentOffer().run(dispatcher, tracker(slots=called.slots()), {})

    assert events == [
        SlotSet("offer_found", True),
        SlotSet("campaign_id", str(called.campaign_id)),
        SlotSet("campaign_name", "Éclipse 3000 upgrade offer"),
        SlotSet("script_name", SCRIPT),
        SlotSet("product_name", "Éclipse 3000"),
        SlotSet("focus_product", "ECL-3000"),
        SlotSet("offer_text", OFFER),
        SlotSet("result", "offer"),
    ]


async def test_an_inbound_prospect_gets_the_running_offer_of_the_product(crm, called, dispatcher):
    asked = tracker(
        intent="ask_offer",
        text="I saw your ad about the Éclipse 3000",
        entities=[entity("product", "ECL-3000")],
    )

    events = await ActionPresentOffer().run(dispatcher, asked, {})

    assert events[0] == SlotSet("offer_found", True)
    assert SlotSet("campaign_id", str(called.campaign_id)) in events
    assert events[-2:] == [SlotSet("offer_text", OFFER), SlotSet("result", "offer")]


async def test_no_running_campaign_means_no_offer(crm, dispatcher):
    with SqlAlchemyUnitOfWork(crm) as uow:
        for campaign in uow.campaigns.list_by():
            campaign.status = "ended"
        uow.commit()

    events = await ActionPresentOffer().run(dispatcher, tracker(intent="ask_offer"), {})

    assert events == [SlotSet("offer_found", False), SlotSet("result", "no_offer")]


async def test_a_campaign_whose_script_is_missing_has_no_offer(
    crm, called, dispatcher, monkeypatch, tmp_path
):
    use_scripts_from(monkeypatch, tmp_path)

    events = await ActionPresentOffer().run(dispatcher, tracker(slots=called.slots()), {})

    assert events == [SlotSet("offer_found", False), SlotSet("result", "no_offer")]


# --- objections ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "text", "answer"),
    [
        ("give_quote_feedback", "that's far too expensive", PRICE),
        ("raise_objection", "I can't afford it", PRICE),
        ("not_buying_now", "hmm, I'd rather wait", TIMING),
        ("not_buying_now", "perhaps in spring", TIMING),
    ],
)
async def test_an_objection_gets_the_scripts_answer(called, dispatcher, intent, text, answer):
    said = tracker(slots=called.slots(), intent=intent, text=text)

    events = await ActionHandleObjection().run(dispatcher, said, {})

    assert events == [SlotSet("objection_answer", answer), SlotSet("result", "objection")]
    assert dispatcher.messages == []


async def test_an_objection_the_script_does_not_know(called, dispatcher):
    said = tracker(slots=called.slots(), intent="raise_objection", text="my wife decides")

    events = await ActionHandleObjection().run(dispatcher, said, {})

    assert events == [SlotSet("objection_answer", None), SlotSet("result", "objection_unknown")]


# --- how the contact ends ------------------------------------------------------------------


async def test_not_a_good_time_books_a_call_back(crm, called, dispatcher):
    events = await ActionBookCampaignCallback().run(
        dispatcher, tracker(slots=called.slots(), intent="deny", text="no, I'm driving"), {}
    )

    assert events == [SlotSet("result", "callback_booked")]
    assert entry_of(crm, called.entry_id)[1] == "callback_booked"
    with SqlAlchemyUnitOfWork(crm) as uow:
        [callback] = [
            a
            for a in uow.activities.list_by(account_id=called.account_id)
            if a.kind == ActivityKind.CALLBACK and a.created_at == CALL_START
        ]
        assert callback.subject == (
            "Call back: Éclipse 3000 upgrade offer: not a good time for the call (voice)"
        )


async def test_not_interested_is_kept_on_the_entry_and_the_customers_record(
    crm, called, dispatcher
):
    events = await ActionRecordNotInterested().run(
        dispatcher, tracker(slots=called.slots(), intent="not_interested"), {}
    )

    assert events == [SlotSet("result", "not_interested_recorded")]
    assert entry_of(crm, called.entry_id)[1] == "not_interested"
    with SqlAlchemyUnitOfWork(crm) as uow:
        answers = uow.accounts.get(called.account_id).script_answers
        assert [
            (a.script, a.question, a.answer) for a in answers if a.recorded_at == CALL_START
        ] == [(SCRIPT, "interest", "not interested")]


async def test_not_interested_without_an_offer_is_just_noted(crm, dispatcher):
    events = await ActionRecordNotInterested().run(dispatcher, tracker(intent="not_interested"), {})

    assert events == [SlotSet("result", "noted")]


async def test_do_not_call_me_again_marks_the_called_account_at_once(crm, called, dispatcher):
    events = await ActionRecordDoNotContact().run(
        dispatcher, tracker(slots=called.slots(), intent="stop_contact"), {}
    )

    assert events == [SlotSet("result", "do_not_contact_recorded")]
    assert entry_of(crm, called.entry_id)[1] == "do_not_contact"
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = uow.accounts.get(called.account_id)
        assert account.do_not_contact
        assert consent.contact_refusal(account, channel="phone") == consent.DO_NOT_CONTACT


async def test_do_not_contact_from_a_trusted_number_nobody_verified_opts_the_number_out(
    crm, pierre, dispatcher
):
    number = {"channel": "sms", "caller_phone": "+33612345678"}
    said = tracker(slots={"channel": "sms", "session_started_metadata": number})

    events = await ActionRecordDoNotContact().run(dispatcher, said, {})

    assert events == [SlotSet("result", "do_not_contact_recorded")]
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = uow.accounts.get(pierre.id)
        statuses = {c.channel: c.status for c in account.consents}
        assert statuses[ContactChannel.PHONE] == ConsentStatus.OPT_OUT
        assert statuses[ContactChannel.SMS] == ConsentStatus.OPT_OUT


async def test_do_not_contact_from_nobody_asks_who_they_are(crm, dispatcher):
    events = await ActionRecordDoNotContact().run(dispatcher, tracker(intent="stop_contact"), {})

    assert events == [SlotSet("result", "do_not_contact_unknown")]


async def test_the_interaction_ends_with_the_marketing_outcome(crm, called, dispatcher):
    await ActionSessionStart().run(
        dispatcher, tracker(slots={"session_started_metadata": called.metadata()}, events=[]), {}
    )
    ran = [
        {"event": "action", "name": "action_present_offer"},
        {"event": "action", "name": "action_record_not_interested"},
    ]

    await ActionCloseInteraction().run(dispatcher, tracker(slots=called.slots(), events=ran), {})

    with SqlAlchemyUnitOfWork(crm) as uow:
        [ended] = uow.interactions.list_by(conversation_id=SENDER)
        assert (ended.outcome, ended.summary) == (
            "not_interested",
            "offer presented: Éclipse 3000 upgrade offer; not interested",
        )
