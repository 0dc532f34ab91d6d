"""action_record_do_not_contact: everything, or only the channels the customer names."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.marketing_consent import ActionRecordDoNotContact, channels_to_stop
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import tracker, user_event

SMS, EMAIL, PHONE = ContactChannel.SMS, ContactChannel.EMAIL, ContactChannel.PHONE


@pytest.mark.parametrize(
    ("said", "stopped"),
    [
        ("quit texting me please", [SMS]),
        ("i'm getting too many sms from you", [SMS]),
        ("no more text messages, you can still send e-mails", [SMS]),
        ("stop ringing my mobile", [PHONE]),
        ("unsubscribe me from the newsletters", [EMAIL]),
        ("stop calling and emailing me", [EMAIL, PHONE]),
        ("only e-mail from now on, nothing else", [PHONE, SMS]),
        ("leave me alone, never contact me again", []),
        ("take me off your lists", []),
        ("quit phoning me, take me off your list", []),
        ("no more calls, don't contact me at all", []),
        ("please take me off your sms list", [SMS]),
    ],
)
def test_the_channels_named_are_the_ones_stopped(said, stopped):
    assert sorted(channels_to_stop(said)) == sorted(stopped)


def consents_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = uow.accounts.get(account_id)
        return account.do_not_contact, {c.channel: c.status for c in account.consents}


async def test_no_more_texts_opts_out_of_sms_only(crm, pierre, dispatcher):
    before = consents_of(crm, pierre.id)[1]
    said = tracker(
        slots={"account_id": str(pierre.id)},
        intent="stop_contact",
        text="enough with the text messages please, e-mail is fine",
    )

    events = await ActionRecordDoNotContact().run(dispatcher, said, {})

    assert events == [
        SlotSet("opted_out_channels", "text messages"),
        SlotSet("result", "channel_opt_out_recorded"),
    ]
    do_not_contact, after = consents_of(crm, pierre.id)
    assert not do_not_contact
    assert after[SMS] == ConsentStatus.OPT_OUT
    assert {c: s for c, s in after.items() if c != SMS} == {
        c: s for c, s in before.items() if c != SMS
    }


async def test_an_opt_out_asked_before_identification_is_done_after_it(crm, pierre, dispatcher):
    events = [
        user_event("stop calling me", intent="stop_contact"),
        user_event("pierre.moreau@example.fr", intent="inform"),
        user_event("yes", intent="affirm"),
    ]
    confirmed = tracker(slots={"account_id": str(pierre.id)}, intent="affirm", events=events)

    result = await ActionRecordDoNotContact().run(dispatcher, confirmed, {})

    assert result[-1] == SlotSet("result", "channel_opt_out_recorded")
    assert consents_of(crm, pierre.id)[1][PHONE] == ConsentStatus.OPT_OUT


async def test_no_channel_named_is_do_not_contact(crm, pierre, dispatcher):
    said = tracker(
        slots={"account_id": str(pierre.id)}, intent="stop_contact", text="never contact me again"
    )

    events = await ActionRecordDoNotContact().run(dispatcher, said, {})

    assert events == [SlotSet("result", "do_not_contact_recorded")]
    assert consents_of(crm, pierre.id)[0]


async def test_a_trusted_number_cannot_opt_out_of_e_mails_without_an_account(
    crm, pierre, dispatcher
):
    number = {"channel": "sms", "caller_phone": "+33612345678"}
    said = tracker(
        slots={"channel": "sms", "session_started_metadata": number},
        intent="stop_contact",
        text="stop the e-mails",
    )

    events = await ActionRecordDoNotContact().run(dispatcher, said, {})

    assert events == [SlotSet("result", "do_not_contact_unknown")]


async def test_dont_call_me_again_to_our_marketing_call_is_do_not_contact(crm, pierre, dispatcher):
    said = tracker(
        slots={"called_account_id": str(pierre.id), "outbound_call": True},
        intent="stop_contact",
        text="don't call me again",
    )

    events = await ActionRecordDoNotContact().run(dispatcher, said, {})

    assert events == [SlotSet("result", "do_not_contact_recorded")]
    assert consents_of(crm, pierre.id)[0]
