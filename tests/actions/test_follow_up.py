"""Contact data, preferences and feedback: the follow-up of a contact."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.follow_up import (
    ActionRecordFeedback,
    ActionRecordPreference,
    ActionUpdateContact,
    ValidateContactForm,
)
from crm_backend.models import ConsentStatus, ContactChannel
from crm_backend.services import accounts, conversation, follow_up
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import (
    CALL_START,
    SENDER,
    entity,
    form_tracker,
    tracker,
    user_event,
)


async def validate(dispatcher, domain, **kwargs):
    return await ValidateContactForm().run(
        dispatcher, form_tracker("contact_form", **kwargs), domain
    )


# --- contact details --------------------------------------------------------------------


async def test_a_new_phone_in_one_message_gives_the_field_too(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot=None,
        intent="update_contact",
        text="My new phone number is +33698765432",
        filled={"contact_value": "+33698765432"},
    )
    assert events == [
        SlotSet("contact_value", "+33698765432"),
        SlotSet("contact_field", "phone"),
        SlotSet("requested_slot", None),  # nothing more to ask in chat
    ]


# --- on the phone, the value heard is read back before it is saved ---------------------

FORM_SLOTS = ["contact_field", "contact_value", "contact_confirmed"]


async def asked_of(channel, dispatcher, domain):
    asking = form_tracker("contact_form", requested_slot=None, slots={"channel": channel})
    return await ValidateContactForm().required_slots(FORM_SLOTS, dispatcher, asking, domain)


async def test_on_the_phone_the_number_heard_is_read_back(crm, dispatcher, domain):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="contact_value",
        slots={"channel": "voice", "contact_field": "phone"},
        text="0698765432",
        entities=[entity("phone", "0698765432")],
        filled={"contact_value": "0698765432"},
    )
    assert SlotSet("contact_value", "+33698765432") in events
    assert SlotSet("contact_value_said", "plus 3 3, 6, 9 8, 7 6, 5 4, 3 2") in events
    assert await asked_of("voice", dispatcher, domain) == FORM_SLOTS


async def test_in_chat_or_by_sms_nothing_is_read_back(crm, dispatcher, domain):
    for typed in ("web", "sms"):
        assert await asked_of(typed, dispatcher, domain) == ["contact_field", "contact_value"]


async def answering_the_read_back(dispatcher, domain, answer, text, filled, entities=None):
    """The caller's answer to "I heard plus 3 3, 6, 5 5, ... Shall I save it?"."""
    return await validate(
        dispatcher,
        domain,
        requested_slot="contact_confirmed",
        slots={"channel": "voice", "contact_field": "phone", "contact_value": "+33655500021"},
        intent=answer,
        text=text,
        entities=entities,
        filled=filled,
    )


async def test_yes_to_the_number_read_back_keeps_it(crm, dispatcher, domain):
    events = await answering_the_read_back(
        dispatcher, domain, "affirm", "yes", {"contact_confirmed": True}
    )
    assert events == [SlotSet("contact_confirmed", True)]


async def test_no_to_the_number_read_back_asks_for_it_again(crm, dispatcher, domain):
    events = await answering_the_read_back(
        dispatcher, domain, "deny", "no", {"contact_confirmed": False}
    )
    assert events == [SlotSet("contact_confirmed", None), SlotSet("contact_value", None)]


async def test_no_with_the_right_number_reads_that_one_back(crm, dispatcher, domain):
    events = await answering_the_read_back(
        dispatcher,
        domain,
        "deny",
        "no it's 0655500012",
        {"contact_confirmed": False, "contact_value": "0655500012"},
        entities=[entity("phone", "0655500012")],
    )
    assert SlotSet("contact_value", "+33655500012") in events
    assert SlotSet("contact_value", None) not in events
    assert SlotSet("contact_value_said", "plus 3 3, 6, 5 5, 5 0, 0 0, 1 2") in events
    assert SlotSet("contact_confirmed", True) not in events  # the new one is asked about


@pytest.mark.parametrize(
    ("field", "said", "kept"),
    [
        ("phone", "06 98 76 54 32", "+33698765432"),
        ("email", "Pierre.M@Example.fr", "pierre.m@example.fr"),
        ("address", "8 place Bellecour, 69002 Lyon", "8 place Bellecour, 69002 Lyon"),
    ],
)
async def test_the_new_value_is_kept_as_the_crm_keeps_it(
    crm, dispatcher, domain, field, said, kept
):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="contact_value",
        slots={"contact_field": field},
        filled={"contact_value": said},
    )
    assert events == [SlotSet("contact_value", kept), SlotSet("requested_slot", None)]


@pytest.mark.parametrize(
    ("field", "said", "notice"),
    [
        ("phone", "12", "invalid_phone"),
        ("email", "pierre at example", "invalid_email"),
        ("address", "somewhere in Lyon", "invalid_postcode"),
    ],
)
async def test_a_value_that_is_not_one_is_asked_again(crm, dispatcher, domain, field, said, notice):
    events = await validate(
        dispatcher,
        domain,
        requested_slot="contact_value",
        slots={"contact_field": field},
        filled={"contact_value": said},
    )
    assert events == [
        SlotSet("contact_value", None),
        SlotSet("form_notice", notice),
        SlotSet("requested_slot", "contact_value"),
    ]


FORM_EMPTIED = [
    SlotSet("contact_field", None),
    SlotSet("contact_value", None),
    SlotSet("contact_confirmed", None),
    SlotSet("contact_value_said", None),
]


def updating(account_id, field, value, *, status="verified"):
    slots = {"account_id": str(account_id), "identity_status": status}
    return tracker(slots={**slots, "contact_field": field, "contact_value": value})


@pytest.fixture
def verified_here(crm, pierre):
    """Pierre confirmed his identity in this conversation, as action_give_account_context does."""
    with SqlAlchemyUnitOfWork(crm) as uow:
        contact = conversation.ensure_interaction(
            uow, channel="web", conversation_id=SENDER, now=CALL_START
        )
        conversation.confirm_identity(uow, interaction_id=contact.id, account_id=pierre.id)
        uow.commit()


def phones_of(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=account_id)
        return sorted((p.number, p.is_primary) for p in account.phones)


async def test_no_contact_change_without_the_second_factor_in_this_conversation(
    crm, pierre, dispatcher
):
    # An account_id alone (a forged tracker, a slot carried over) is no verified customer.
    unverified = updating(pierre.id, "phone", "+33698765432", status=None)
    events = await ActionUpdateContact().run(dispatcher, unverified, {})
    assert events == [*FORM_EMPTIED, SlotSet("result", "contact_unverified")]
    assert phones_of(crm, pierre.id) == [("+33612345678", True)]


async def test_no_contact_change_when_the_crm_saw_no_verification_in_this_conversation(
    crm, pierre, dispatcher
):
    # Verified in an earlier conversation (or session) is not verified in this one.
    with SqlAlchemyUnitOfWork(crm) as uow:
        earlier = conversation.ensure_interaction(
            uow, channel="web", conversation_id="an-earlier-one", now=CALL_START
        )
        conversation.confirm_identity(uow, interaction_id=earlier.id, account_id=pierre.id)
        uow.commit()
    events = await ActionUpdateContact().run(
        dispatcher, updating(pierre.id, "phone", "+33698765432"), {}
    )
    assert events == [*FORM_EMPTIED, SlotSet("result", "contact_unverified")]
    assert phones_of(crm, pierre.id) == [("+33612345678", True)]


async def test_the_new_phone_number_is_saved_as_primary(crm, pierre, dispatcher, verified_here):
    events = await ActionUpdateContact().run(
        dispatcher, updating(pierre.id, "phone", "+33698765432"), {}
    )
    assert events == [
        SlotSet("updated_field", "phone"),
        SlotSet("updated_value", "+33698765432"),
        *FORM_EMPTIED,
        SlotSet("result", "contact_updated"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=pierre.id)
        phones = sorted((p.number, p.is_primary) for p in account.phones)
    assert phones == [("+33612345678", False), ("+33698765432", True)]


async def test_a_new_address_is_saved(crm, pierre, dispatcher, verified_here):
    events = await ActionUpdateContact().run(
        dispatcher, updating(pierre.id, "address", "8 place Bellecour, 69002 Lyon"), {}
    )
    assert events == [
        SlotSet("updated_field", "address"),
        SlotSet("updated_value", "8 place Bellecour, 69002 Lyon"),
        *FORM_EMPTIED,
        SlotSet("result", "contact_updated"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=pierre.id)
        address = (account.street, account.postcode, account.city)
    assert address == ("8 place Bellecour", "69002", "Lyon")


async def test_an_invalid_value_changes_nothing(crm, pierre, dispatcher, verified_here):
    events = await ActionUpdateContact().run(dispatcher, updating(pierre.id, "email", "nope"), {})
    assert events == [*FORM_EMPTIED, SlotSet("result", "contact_invalid")]
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=pierre.id)
        assert [e.address for e in account.emails] == ["pierre.moreau@example.fr"]


# --- preferences and feedback ------------------------------------------------------------


async def test_contact_preferences_are_recorded(crm, pierre, dispatcher):
    asked = tracker(
        slots={"account_id": str(pierre.id), "channel": "web"},
        intent="set_preference",
        text="please contact me by SMS in the mornings",
        entities=[entity("channel_pref", "sms"), entity("contact_time", "in the mornings")],
    )
    events = await ActionRecordPreference().run(dispatcher, asked, {})
    assert events == [
        SlotSet("preference_summary", "by SMS, in the mornings"),
        SlotSet("result", "preference_recorded"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=pierre.id)
        kept = sorted((p.key, p.value, p.source) for p in account.preferences)
    assert kept == [
        ("contact_time", "in the mornings", "bot:web"),
        ("preferred_channel", "sms", "bot:web"),
    ]


async def test_a_preference_without_a_channel_or_time_is_asked(crm, pierre, dispatcher):
    asked = tracker(slots={"account_id": str(pierre.id)}, intent="set_preference", text="hmm")
    events = await ActionRecordPreference().run(dispatcher, asked, {})
    assert events == [SlotSet("result", "preference_unclear")]


async def test_a_channel_said_without_the_usual_words_is_the_one_preferred(crm, pierre, dispatcher):
    asked = tracker(
        slots={"account_id": str(pierre.id)},
        intent="set_preference",
        text="e-mail suits me best",
    )
    events = await ActionRecordPreference().run(dispatcher, asked, {})
    assert events == [
        SlotSet("preference_summary", "by e-mail"),
        SlotSet("result", "preference_recorded"),
    ]


async def test_a_channel_refused_in_a_preference_is_opted_out(crm, pierre, dispatcher):
    asked = tracker(
        slots={"account_id": str(pierre.id)},
        intent="set_preference",
        text="stop the texts please, e-mail is what I read",
    )
    events = await ActionRecordPreference().run(dispatcher, asked, {})
    assert events == [
        SlotSet("preference_summary", "by e-mail, not by SMS"),
        SlotSet("result", "preference_recorded"),
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=pierre.id)
        statuses = {c.channel: c.status for c in account.consents}
        assert not account.do_not_contact
    assert statuses[ContactChannel.SMS] == ConsentStatus.OPT_OUT


async def test_a_channel_only_less_preferred_is_not_opted_out(crm, pierre, dispatcher):
    asked = tracker(
        slots={"account_id": str(pierre.id)},
        intent="set_preference",
        text="write to me by e-mail rather than the phone",
        entities=[entity("channel_pref", "email")],
    )
    events = await ActionRecordPreference().run(dispatcher, asked, {})
    assert events[0] == SlotSet("preference_summary", "by e-mail")
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=pierre.id)
        assert ConsentStatus.OPT_OUT not in {c.status for c in account.consents}


async def test_feedback_goes_on_the_record_of_a_known_customer(crm, pierre, dispatcher):
    said = tracker(
        slots={"account_id": str(pierre.id)},
        intent="give_feedback",
        text="the delivery was really fast, well done",
    )
    assert await ActionRecordFeedback().run(dispatcher, said, {}) == [
        SlotSet("result", "feedback_recorded")
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=pierre.id)
        answers = [(a.script, a.question, a.answer) for a in account.script_answers]
    assert answers == [("contact", "feedback", "the delivery was really fast, well done")]
    with SqlAlchemyUnitOfWork(crm) as uow:
        kept = conversation.open_interaction_for(uow, conversation_id=SENDER)
        assert kept is not None
        assert (kept.account_id, kept.feedback_kind) == (pierre.id, "praise")
        assert kept.feedback == "the delivery was really fast, well done"


async def test_anonymous_feedback_is_kept_at_once_without_a_goodbye(crm, dispatcher):
    said = tracker(
        slots={"channel": "sms"},
        intent="give_feedback",
        text="finding the invoices on your site is confusing",
    )
    assert await ActionRecordFeedback().run(dispatcher, said, {}) == [
        SlotSet("result", "feedback_recorded")
    ]
    with SqlAlchemyUnitOfWork(crm) as uow:
        kept = follow_up.recent_feedback(uow)
        summary = [(i.channel, i.account_id, i.feedback, i.feedback_kind) for i in kept]
    assert summary == [
        ("sms", None, "finding the invoices on your site is confusing", "suggestion")
    ]


async def test_feedback_chosen_with_a_button_keeps_the_words_said_before(crm, dispatcher):
    said = tracker(
        intent="give_feedback",
        text="/give_feedback",
        events=[
            user_event("ur driver was so kind today"),
            user_event("/give_feedback", intent="give_feedback"),
        ],
    )
    await ActionRecordFeedback().run(dispatcher, said, {})
    with SqlAlchemyUnitOfWork(crm) as uow:
        assert [i.feedback for i in follow_up.recent_feedback(uow)] == [
            "ur driver was so kind today"
        ]


async def test_a_feedback_button_alone_asks_what_it_is(crm, dispatcher):
    said = tracker(intent="give_feedback", text="/give_feedback")
    assert await ActionRecordFeedback().run(dispatcher, said, {}) == [
        SlotSet("result", "feedback_unclear")
    ]
